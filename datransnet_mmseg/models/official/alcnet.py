"""Interoperability with BasicIRSTD's PyTorch ALCNet (``ASKCResNetFPN``).

BasicIRSTD's ``train.py`` saves ``{'epoch', 'state_dict', 'total_loss'}``,
the state dict of its ``Net`` wrapper, whose ``model`` attribute is the
network: every key starts with ``model.``. The plugin's segmentor is built
from ``configs/_base_/models/alcnet.py``. The official network builds two
stacks of residual blocks, ``uplayer1`` and ``uplayer2``, that its forward
never calls (92,928 parameters): the converter drops them.
"""
from typing import Dict, Tuple

import torch.nn as nn
from torch import Tensor

from .acm import (COMMIT, COMMON_RENAMES, FUSION_RENAMES, REPOSITORY,
                  import_official, rename, unwrap)

__all__ = [
    'REPOSITORY', 'COMMIT', 'CONFIG', 'IN_CHANNELS', 'unwrap',
    'convert_state_dict', 'build_official_model', 'official_probability'
]

CONFIG = 'configs/_base_/models/alcnet.py'
IN_CHANNELS = 1
UNUSED_PREFIXES = ('uplayer1.', 'uplayer2.')

_RENAMES = COMMON_RENAMES + (
    (r'^deconv2\.', 'decode_head.up_convs.0.'),
    (r'^deconv1\.', 'decode_head.up_convs.1.'),
    (r'^deconv0\.', 'decode_head.up_convs.2.'),
    (r'^fuse23\.', 'decode_head.fusions.0.'),
    (r'^fuse12\.', 'decode_head.fusions.1.'),
) + FUSION_RENAMES


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Official ALCNet keys to the plugin's; the unused ``uplayer1`` and
    ``uplayer2`` tensors are dropped (their parameter count is returned)."""
    return rename(state_dict, _RENAMES, UNUSED_PREFIXES)


def build_official_model(repo: str) -> nn.Module:
    """The official ``ASKCResNetFPN`` as BasicIRSTD's ``net.py`` builds it
    (``ALCNet()``, all defaults), from the checkout at ``repo``."""
    return import_official(repo, 'model_ALCnet').ASKCResNetFPN()


def official_probability(outputs: Tensor) -> Tensor:
    """The official forward already returns the probabilities."""
    return outputs
