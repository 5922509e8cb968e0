"""Official RDIAN checkpoints and model (sun11999/RDIAN).

The official training saves ``net.state_dict()`` as it is: a bare state
dict, its keys prefixed with ``module.`` when the network was wrapped in
``nn.DataParallel`` (the released ``params/best.pth`` has no prefix). The
eight fixed direction kernels ``d11.weight`` ... ``d18.weight`` (frozen
parameters of shape 1x1x5x5 there) are stacked, in that order, into the
backbone's ``direction.kernels`` buffer. Every official tensor is used.
"""
import importlib
import re
import sys
from pathlib import Path
from typing import Dict, Tuple

import torch
import torch.nn as nn
from torch import Tensor

REPOSITORY = 'https://github.com/sun11999/RDIAN'
COMMIT = 'e1df518bb026aba4d231b96e328eb21ecda37749'
CONFIG = 'configs/_base_/models/rdian.py'
IN_CHANNELS = 1

DIRECTION_KEYS = tuple(f'd1{k}.weight' for k in range(1, 9))
DIRECTION_TARGET = 'backbone.direction.kernels'

# conv-BN-activation sequences: official index 0 is the convolution, 1 the
# batch norm (mmcv ConvModule names ``conv`` and ``bn``).
_LAYER = {'0': 'conv', '1': 'bn'}

# (official pattern, plugin replacement), the first match applies.
_RENAMES = (
    (r'^conv([12])\.([01])\.', lambda m: f'backbone.conv{m[1]}.'
     f'{_LAYER[m[2]]}.'),
    (r'^residual_block(\d)\.(\d+)\.layer([12])\.([01])\.',
     lambda m: f'backbone.branches.{m[1]}.{m[2]}.conv{m[3]}.'
     f'{_LAYER[m[4]]}.'),
    (r'^conv_cat\.([01])\.',
     lambda m: f'backbone.fusion_conv.{_LAYER[m[1]]}.'),
    (r'^cbam\.ChannelGate\.mlp\.1\.', 'backbone.cbam.channel_gate.fc1.'),
    (r'^cbam\.ChannelGate\.mlp\.3\.', 'backbone.cbam.channel_gate.fc2.'),
    (r'^cbam\.SpatialGate\.spatial\.(conv|bn)\.',
     r'backbone.cbam.spatial_gate.conv.\1.'),
    (r'^conv_res\.([01])\.',
     lambda m: f'decode_head.shortcut.{_LAYER[m[1]]}.'),
    (r'^head\.block\.([01])\.',
     lambda m: f'decode_head.conv.{_LAYER[m[1]]}.'),
    (r'^head\.block\.4\.', 'decode_head.conv_seg.'),
)


def unwrap(checkpoint: dict) -> Dict[str, Tensor]:
    """The official state dict of ``checkpoint``, without the ``module.``
    prefix of a ``DataParallel`` model.

    Args:
        checkpoint (dict): What ``torch.load`` returns for the official
            file (a bare state dict).

    Returns:
        dict: The state dict, official key names.
    """
    if 'd11.weight' not in checkpoint and 'module.d11.weight' not in \
            checkpoint:
        raise KeyError('not an official RDIAN checkpoint: d11.weight is '
                       'missing (the official file is a bare state dict); '
                       f'keys start with {list(checkpoint)[:5]}')
    return {(key[len('module.'):] if key.startswith('module.') else key):
            value
            for key, value in checkpoint.items()}


def _rename(key: str) -> str:
    for pattern, replacement in _RENAMES:
        new_key, count = re.subn(pattern, replacement, key)
        if count:
            return new_key
    raise KeyError(f'unexpected key in the official RDIAN checkpoint: {key}')


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Convert an official RDIAN state dict to the plugin's layout.

    Args:
        state_dict (dict): Official keys (see :func:`unwrap`).

    Returns:
        tuple[dict, int]: Plugin keys (``EncoderDecoder`` of
        :data:`CONFIG`) and the number of dropped parameters (always 0:
        every official tensor is used).
    """
    missing = [key for key in DIRECTION_KEYS if key not in state_dict]
    if missing:
        raise KeyError(f'official RDIAN checkpoint without {missing}')
    converted = {}
    for key, value in state_dict.items():
        if key in DIRECTION_KEYS:
            if key == DIRECTION_KEYS[0]:
                converted[DIRECTION_TARGET] = torch.cat(
                    [state_dict[k] for k in DIRECTION_KEYS])
            continue
        converted[_rename(key)] = value
    return converted, 0


def build_official_model(repo: str) -> nn.Module:
    """The official ``RDIAN()`` (no arguments, as its training builds it)
    from a checkout of :data:`REPOSITORY` at ``repo``.

    The checkout's package ``model`` is imported with ``repo`` first on
    ``sys.path``; any other module named ``model`` is restored afterwards.
    """
    root = Path(repo).resolve()
    if not (root / 'model' / 'segmentation.py').is_file():
        raise FileNotFoundError(f'{root} is not a checkout of sun11999/RDIAN '
                                '(model/segmentation.py is missing)')
    saved = {
        name: module
        for name, module in sys.modules.items()
        if name == 'model' or name.startswith('model.')
    }
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        module = importlib.import_module('model.segmentation')
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules
                     if n == 'model' or n.startswith('model.')]:
            del sys.modules[name]
        sys.modules.update(saved)
    return module.RDIAN()


def official_probability(outputs) -> Tensor:
    """Probabilities of the official prediction: the sigmoid of the logits
    the official forward returns (a tensor, or a one-element sequence)."""
    if isinstance(outputs, (list, tuple)):
        outputs, = outputs
    return outputs.sigmoid()
