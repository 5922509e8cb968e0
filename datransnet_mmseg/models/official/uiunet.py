"""Official UIU-Net checkpoints and model (danfenghong/IEEE_TIP_UIU-Net).

The official training saves ``net.state_dict()`` of ``UIUNET(3, 1)`` as
it is: a bare state dict without key prefix. Every official tensor is
used; the fusion modules ``fuse5`` ... ``fuse2`` become
``decode_head.fusions.3`` ... ``decode_head.fusions.0``.
"""
import re
from typing import Dict, Sequence, Tuple

import torch.nn as nn
from torch import Tensor

from .checkout import import_from_checkout

REPOSITORY = 'https://github.com/danfenghong/IEEE_TIP_UIU-Net'
COMMIT = '625023aae55fed804460fb275fcec222f2c9c442'
CONFIG = 'configs/_base_/models/uiunet.py'
IN_CHANNELS = 3

_PROBE = 'stage1.rebnconvin.conv_s1.weight'
_LAYER = {'conv_s1': 'conv', 'bn_s1': 'bn'}
_FUSION_LAYER = {
    'feature_high.0': 'high_proj.conv',
    'feature_high.1': 'high_proj.bn',
    'topdown.1': 'channel_attention.1.conv',
    'topdown.2': 'channel_attention.1.bn',
    'topdown.4': 'channel_attention.2.conv',
    'topdown.5': 'channel_attention.2.bn',
    'bottomup.0': 'spatial_reduce.conv',
    'bottomup.1': 'spatial_reduce.bn',
    'bottomup.3.conv1': 'spatial_conv',
    'post.0': 'post.conv',
    'post.1': 'post.bn',
}
_RSU_KEY = re.compile(
    r'^stage(\d)(d?)\.rebnconv(in|\d)(d?)\.(conv_s1|bn_s1)\.(\w+)$')
_FUSION_KEY = re.compile(r'^fuse(\d)\.(\w+\.\d(?:\.conv1)?)\.(\w+)$')
_SIDE_KEY = re.compile(r'^side(\d)\.(weight|bias)$')


def unwrap(checkpoint: dict) -> Dict[str, Tensor]:
    """The official state dict of ``checkpoint``.

    Args:
        checkpoint (dict): What ``torch.load`` returns for the official
            file (a bare state dict).

    Returns:
        dict: The state dict, official key names.
    """
    if _PROBE not in checkpoint:
        raise KeyError(f'not an official UIU-Net checkpoint: {_PROBE} is '
                       'missing (the official file is a bare state dict); '
                       f'keys start with {list(checkpoint)[:5]}')
    return dict(checkpoint)


def _rename(key: str) -> str:
    match = _RSU_KEY.match(key)
    if match:
        stage, decoder, conv, up, layer, leaf = match.groups()
        parent = (f'decode_head.decoders.{int(stage) - 1}'
                  if decoder else f'backbone.stages.{int(stage) - 1}')
        if conv == 'in':
            block = 'conv_in'
        else:
            block = f'{"decoder" if up else "encoder"}.{int(conv) - 1}'
        return f'{parent}.{block}.{_LAYER[layer]}.{leaf}'
    match = _FUSION_KEY.match(key)
    if match and match[2] in _FUSION_LAYER:
        level, layer, leaf = match.groups()
        return (f'decode_head.fusions.{int(level) - 2}.'
                f'{_FUSION_LAYER[layer]}.{leaf}')
    match = _SIDE_KEY.match(key)
    if match:
        return f'decode_head.side_convs.{int(match[1]) - 1}.{match[2]}'
    if key.startswith('outconv.'):
        return 'decode_head.conv_seg.' + key[len('outconv.'):]
    raise KeyError(
        f'unexpected key in the official UIU-Net checkpoint: {key}')


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Convert an official UIU-Net state dict to the plugin's layout.

    Args:
        state_dict (dict): Official keys (see :func:`unwrap`).

    Returns:
        tuple[dict, int]: Plugin keys (``EncoderDecoder`` of
        :data:`CONFIG`) and the number of dropped parameters (always 0:
        every official tensor is used).
    """
    return {_rename(key): value for key, value in state_dict.items()}, 0


def build_official_model(repo: str) -> nn.Module:
    """The official ``UIUNET(3, 1)`` (as its ``train.py`` builds it) from a
    checkout of :data:`REPOSITORY` at ``repo``."""
    return import_from_checkout(repo, 'model.uiunet').UIUNET(3, 1)


def official_probability(outputs: Sequence[Tensor]) -> Tensor:
    """The official prediction: the first of the seven outputs (the fused
    map, already a probability)."""
    return outputs[0]
