"""Conversion of official DATransNet checkpoints to this implementation."""
import re
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Tuple, Union

import torch
from torch import Tensor

from mmengine.runner import CheckpointLoader

import datransnet_mmseg.compat  # noqa: F401  (safe checkpoint loaders)

# Official modules that are built but never called in the forward pass.
UNUSED_PREFIXES = ('encoder5.', 'decoder5.')
BUFFER_SUFFIXES = ('running_mean', 'running_var', 'num_batches_tracked')

# (official pattern, plugin replacement), applied in order to each key.
_RENAMES = (
    (r'^inc\.0\.', 'backbone.stem.'),
    (r'^encoder(\d)\.0\.', lambda m: f'backbone.stages.{int(m[1]) - 1}.'),
    (r'^(backbone\.\S+\.)bn(\d)\.', r'\1norm\2.'),
    (r'^contras(\d)\.out_conv\.0\.',
     lambda m: f'neck.datrans.{int(m[1]) - 1}.out_proj.'),
    (r'^contras(\d)\.out_conv\.1\.',
     lambda m: f'neck.datrans.{int(m[1]) - 1}.out_norm.'),
    (r'^GFEM\.sp\.theta\.', 'neck.gfem.non_local.theta.'),
    (r'^GFEM\.sp\.phi\.0\.', 'neck.gfem.non_local.phi.'),
    (r'^GFEM\.sp\.g\.0\.', 'neck.gfem.non_local.g.'),
    (r'^GFEM\.sp\.W\.0\.', 'neck.gfem.non_local.out_proj.'),
    (r'^GFEM\.sp\.W\.1\.', 'neck.gfem.non_local.out_norm.'),
    (r'^GFEM\.ca\.fc1\.', 'neck.gfem.channel_gate.'),
    (r'^GFEM\.tra_conv_1\.', 'neck.gfem.nonlocal_proj.'),
    (r'^GFEM\.tra_conv_2\.', 'neck.gfem.pooled_proj.'),
    (r'^GFEM\.out_conv\.', 'neck.gfem.out_conv.'),
    (r'^decoder(\d)\.sattn\.0\.',
     lambda m: f'decode_head.up_stages.{int(m[1]) - 1}.gate.'),
    (r'^decoder(\d)\.nConvs\.(\d)\.conv\.', lambda m:
     f'decode_head.up_stages.{int(m[1]) - 1}.conv{int(m[2]) + 1}.'),
    (r'^decoder(\d)\.nConvs\.(\d)\.norm\.', lambda m:
     f'decode_head.up_stages.{int(m[1]) - 1}.norm{int(m[2]) + 1}.'),
    (r'^outc\.0\.dwconv_hw\.', 'decode_head.inception.square_conv.'),
    (r'^outc\.0\.dwconv_w\.', 'decode_head.inception.band_w_conv.'),
    (r'^outc\.0\.dwconv_h\.', 'decode_head.inception.band_h_conv.'),
    (r'^outc\.1\.', 'decode_head.conv_seg.'),
)
_DATRANS_PROJ = re.compile(r'^contras(\d)\.(query|key|value)_convs\.(\d+)\.')


def _rename(key: str) -> str:
    for pattern, replacement in _RENAMES:
        key = re.sub(pattern, replacement, key)
    if not key.startswith(('backbone.', 'neck.', 'decode_head.')):
        raise KeyError(f'unexpected key in the official checkpoint: {key}')
    return key


def _datrans_projections(weights: Dict[str, Dict[int, Tensor]],
                         prefix: str) -> Dict[str, Tensor]:
    """Fuse one DATrans' per-dilation 1x1 projections.

    The query convs of the dilations are stacked so that row
    ``c * num_dilations + k`` holds query channel ``c`` of dilation ``k``:
    the channel order the original code produces with
    ``torch.stack(..., dim=2).view(B, num_heads, -1, N)``, so that head
    ``a`` is the row block ``a * hid ... (a + 1) * hid - 1``. Key and value
    weights are stacked per dilation, unchanged. All are stored without the
    trailing 1x1 kernel dimensions.
    """
    query = [weights['query'][k] for k in sorted(weights['query'])]
    key = [weights['key'][k] for k in sorted(weights['key'])]
    value = [weights['value'][k] for k in sorted(weights['value'])]
    query = torch.stack(query, dim=1).flatten(0, 1)
    return {
        f'{prefix}query.weight': query,
        f'{prefix}key_weight': torch.stack(key).flatten(2),
        f'{prefix}value_weight': torch.stack(value).flatten(2),
    }


def convert_official_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Convert an official DATransNet state dict to the plugin's keys.

    Strips the ``model.`` prefix of the official training wrapper, drops the
    unused ``encoder5`` / ``decoder5``, renames every tensor to the
    ``EncoderDecoder`` layout (``backbone.*``, ``neck.*``,
    ``decode_head.*``) and folds the DATrans head interleave into the query
    weights.

    Args:
        state_dict (dict[str, Tensor]): Official state dict, with or
            without the ``model.`` prefix.

    Returns:
        tuple[dict[str, Tensor], int]: The converted state dict and the
        number of dropped parameters (buffers not counted).
    """
    converted = OrderedDict()
    projections = {}
    dropped = 0
    for key, value in state_dict.items():
        key = key[len('model.'):] if key.startswith('model.') else key
        if key.startswith(UNUSED_PREFIXES):
            if not key.endswith(BUFFER_SUFFIXES):
                dropped += value.numel()
            continue
        match = _DATRANS_PROJ.match(key)
        if match:
            level, kind, dilation = match.groups()
            projections.setdefault(int(level), {}).setdefault(
                kind, {})[int(dilation)] = value.flatten(1)
            continue
        converted[_rename(key)] = value
    for level, weights in sorted(projections.items()):
        converted.update(
            _datrans_projections(weights, f'neck.datrans.{level - 1}.'))
    return converted, dropped


def convert_official_checkpoint(
        checkpoint: Union[str, Path, dict]) -> Tuple[dict, int]:
    """Convert an official DATransNet checkpoint file (or its contents).

    The file (or URL) is read by mmengine's ``CheckpointLoader`` through
    :func:`datransnet_mmseg.compat.safe_torch_load`,
    which runs no code the checkpoint may carry. Both the official training
    format ``{'epoch', 'state_dict', 'total_loss'}`` and a bare state dict
    are accepted.

    Args:
        checkpoint (str | Path | dict): Path of the official checkpoint, or
            the object loaded from it.

    Returns:
        tuple[dict, int]: An mmengine-style checkpoint
        ``{'state_dict': ..., 'meta': ...}`` for ``EncoderDecoder`` with
        ``DATransNetBackbone`` / ``GradFormerNeck`` / ``DATransHead``
        (loadable with ``strict=True``), and the number of dropped
        parameters of the unused ``encoder5`` / ``decoder5``.
    """
    source = None
    if not isinstance(checkpoint, dict):
        source = str(checkpoint)
        checkpoint = CheckpointLoader.load_checkpoint(
            source, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint)
    converted, dropped = convert_official_state_dict(state_dict)
    meta = dict(
        converted_from='official DATransNet checkpoint',
        dropped_unused_params=dropped)
    if source is not None:
        meta['source_file'] = Path(source).name
    if 'epoch' in checkpoint:
        meta['epoch'] = int(checkpoint['epoch'])
    return dict(state_dict=converted, meta=meta), dropped
