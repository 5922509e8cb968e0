"""Interoperability with the official code of each network.

One module per network, ``official/<name>.py``, converts the official
checkpoints to the plugin's ``EncoderDecoder`` layout and, for benchmarks
and checks only, builds the official model from a local checkout of its
repository (nothing of the official code is part of this package). Each
module defines:

- ``REPOSITORY`` (str) and ``COMMIT`` (str): the official code it matches;
- ``CONFIG`` (str): the plugin's model base config, relative to the
  repository root;
- ``IN_CHANNELS`` (int): input channels of the official network;
- ``unwrap(checkpoint) -> dict``: the state dict inside an official
  checkpoint (whatever its outer format), official key names;
- ``convert_state_dict(state_dict) -> (dict, int)``: plugin keys and the
  number of parameters dropped (official tensors the forward never uses);
- ``build_official_model(repo) -> nn.Module``: the official model,
  constructed as the official training constructs it;
- ``official_probability(outputs) -> Tensor``: the official prediction, as
  probabilities, from whatever the official forward returns.
"""
import importlib
from pathlib import Path
from types import ModuleType
from typing import Tuple, Union

from mmengine.runner import CheckpointLoader

import datransnet_mmseg.compat  # noqa: F401  (safe checkpoint loaders)

NETWORKS = ('acm', 'alcnet', 'dnanet', 'rdian', 'uiunet', 'mshnet',
            'sctransnet')
BUFFER_SUFFIXES = ('running_mean', 'running_var', 'num_batches_tracked')


def get_official(name: str) -> ModuleType:
    """Return the interop module of network ``name`` (one of
    :data:`NETWORKS`)."""
    if name not in NETWORKS:
        raise KeyError(f'no official interop for {name!r}; choose one of '
                       f'{", ".join(NETWORKS)}')
    return importlib.import_module(f'{__name__}.{name}')


def count_parameters(state_dict: dict) -> int:
    """Number of parameter elements in a state dict (norm buffers and
    ``num_batches_tracked`` not counted)."""
    return sum(value.numel() for key, value in state_dict.items()
               if not key.endswith(BUFFER_SUFFIXES))


def convert_official_peer_checkpoint(
        name: str, checkpoint: Union[str, Path, dict]) -> Tuple[dict, int]:
    """Convert an official checkpoint of network ``name``.

    A file, URL or other mmengine checkpoint path is read by mmengine's
    ``CheckpointLoader`` through :func:`datransnet_mmseg.compat.
    safe_torch_load`, which runs no code the checkpoint may carry.

    Args:
        name (str): Network, one of :data:`NETWORKS`.
        checkpoint (str | Path | dict): Path or URL of the official
            checkpoint, or the object loaded from it.

    Returns:
        tuple[dict, int]: An mmengine-style checkpoint ``{'state_dict',
        'meta'}`` for the segmentor built from the network's config
        (loadable with ``strict=True``) and the number of dropped
        parameters.
    """
    official = get_official(name)
    source = None
    if not isinstance(checkpoint, dict):
        source = Path(str(checkpoint)).name
        checkpoint = CheckpointLoader.load_checkpoint(
            str(checkpoint), map_location='cpu')
    state_dict, dropped = official.convert_state_dict(
        official.unwrap(checkpoint))
    meta = dict(
        converted_from=f'official {name} checkpoint ({official.REPOSITORY}'
        f'@{official.COMMIT})',
        dropped_unused_params=dropped)
    if source is not None:
        meta['source_file'] = source
    return dict(state_dict=state_dict, meta=meta), dropped
