"""Interoperability with the official MSHNet code (Lliu666/MSHNet).

The official ``MSHNet(3)`` maps one to one onto ``MSHNetBackbone`` and
``MSHNetHead`` (every tensor is used with ``warm_flag`` True, so nothing
is dropped). Official checkpoints come as a bare state dict (the best
weights of a training run), as ``{'net', 'optimizer', 'epoch', 'iou'}``
(the per-epoch resume file) or as ``{'state_dict': ...}`` (the released
``.tar`` weights); keys carry the prefix ``module.`` when the model was
trained wrapped in ``DataParallel``.
"""
import functools
import re
from collections import OrderedDict
from typing import Dict, Tuple

import torch.nn as nn
from torch import Tensor

from .checkout import import_from_checkout

REPOSITORY = 'https://github.com/Lliu666/MSHNet'
COMMIT = '7c5194b8caeb3329ba8a67c75a6928d4dbeb3582'
CONFIG = 'configs/_base_/models/mshnet.py'
IN_CHANNELS = 3

# (official pattern, plugin replacement), applied in order to each key.
_RENAMES = (
    (r'^conv_init\.', 'backbone.stem.'),
    (r'^encoder_(\d)\.', r'backbone.stages.\1.'),
    (r'^middle_layer\.', 'backbone.stages.4.'),
    (r'^decoder_(\d)\.', r'decode_head.decode_stages.\1.'),
    (r'^output_(\d)\.', r'decode_head.side_convs.\1.'),
    (r'^final\.', 'decode_head.conv_seg.'),
    (r'\.bn(\d)\.', r'.norm\1.'),
    (r'\.shortcut\.', '.downsample.'),
    (r'\.ca\.', '.channel_attention.'),
    (r'\.sa\.conv1\.', '.spatial_attention.conv.'),
)


def unwrap(checkpoint: dict) -> Dict[str, Tensor]:
    """The state dict inside an official checkpoint, without the
    ``module.`` prefix of ``DataParallel``."""
    for key in ('state_dict', 'net'):
        if isinstance(checkpoint.get(key), dict):
            checkpoint = checkpoint[key]
            break
    if not any(key.endswith('conv_init.weight') for key in checkpoint):
        raise KeyError('not an official MSHNet checkpoint: conv_init.weight '
                       'is missing; keys start with '
                       f'{list(checkpoint)[:5]}')
    return OrderedDict(
        (key[len('module.'):] if key.startswith('module.') else key, value)
        for key, value in checkpoint.items())


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Rename an official MSHNet state dict to the ``EncoderDecoder``
    layout.

    Args:
        state_dict (dict[str, Tensor]): Official state dict (official
            names, as returned by :func:`unwrap`).

    Returns:
        tuple[dict[str, Tensor], int]: The converted state dict and the
        number of dropped parameters (always 0).
    """
    converted = OrderedDict()
    for key, value in state_dict.items():
        new_key = key
        for pattern, replacement in _RENAMES:
            new_key = re.sub(pattern, replacement, new_key)
        if not new_key.startswith(('backbone.', 'decode_head.')):
            raise KeyError(
                f'unexpected key in the official MSHNet checkpoint: {key}')
        converted[new_key] = value
    return converted, 0


def build_official_model(repo: str) -> nn.Module:
    """The official ``MSHNet(3)`` from a checkout of Lliu666/MSHNet.

    Only ``model/MSHNet.py`` is imported (it needs nothing but torch). The
    official ``forward(x, warm_flag)`` has no default for ``warm_flag``;
    this instance defaults it to True (the official test mode), so that the
    model can be called with the input alone; ``warm_flag=False`` can still
    be given by keyword.

    Args:
        repo (str): Root of the official repository checkout.

    Returns:
        nn.Module: The official model, as ``main.py`` builds it.
    """
    model = import_from_checkout(repo, 'model.MSHNet').MSHNet(IN_CHANNELS)
    model.forward = functools.partial(model.forward, warm_flag=True)
    return model


def official_probability(outputs) -> Tensor:
    """Probabilities of the official prediction: the second element of
    ``(masks, output)``, which holds logits."""
    return outputs[1].sigmoid()
