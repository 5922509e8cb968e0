"""Interoperability with BasicIRSTD's PyTorch ACM (``ASKCResUNet``).

BasicIRSTD's ``train.py`` saves ``{'epoch', 'state_dict', 'total_loss'}``,
the state dict of its ``Net`` wrapper, whose ``model`` attribute is the
network: every key starts with ``model.``. The plugin's segmentor is built
from ``configs/_base_/models/acm.py``; every official tensor is used.
"""
import importlib
import re
import sys
import types
from pathlib import Path
from typing import Callable, Dict, Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from . import count_parameters

REPOSITORY = 'XinyiYing/BasicIRSTD'
COMMIT = '95650c3970da070473ae7cbd98d1d610aa69fd5b'
CONFIG = 'configs/_base_/models/acm.py'
IN_CHANNELS = 1

# Inside an asymmetric fusion (official index in its Sequential -> plugin).
FUSION_RENAMES = (
    (r'\.topdown\.1\.', '.global_gate.conv1.'),
    (r'\.topdown\.2\.', '.global_gate.norm1.'),
    (r'\.topdown\.4\.', '.global_gate.conv2.'),
    (r'\.topdown\.5\.', '.global_gate.norm2.'),
    (r'\.bottomup\.0\.', '.local_gate.conv1.'),
    (r'\.bottomup\.1\.', '.local_gate.norm1.'),
    (r'\.bottomup\.3\.', '.local_gate.conv2.'),
    (r'\.bottomup\.4\.', '.local_gate.norm2.'),
    (r'\.post\.0\.', '.out_conv.'),
    (r'\.post\.1\.', '.out_norm.'),
)
# The encoder and the segmentation head, shared with ALCNet.
COMMON_RENAMES = (
    (r'^(stem|layer\d)\.', r'backbone.\1.'),
    (r'^head\.block\.([01])\.', r'decode_head.bottleneck.\1.'),
    (r'^head\.block\.4\.', 'decode_head.conv_seg.'),
)
_RENAMES = COMMON_RENAMES + (
    (r'^deconv2\.', 'decode_head.up_convs.0.'),
    (r'^deconv1\.', 'decode_head.up_convs.1.'),
    (r'^fuse2\.', 'decode_head.fusions.0.'),
    (r'^fuse1\.', 'decode_head.fusions.1.'),
    (r'^uplayer2\.', 'decode_head.refines.0.'),
    (r'^uplayer1\.', 'decode_head.refines.1.'),
) + FUSION_RENAMES


def unwrap(checkpoint: dict) -> Dict[str, Tensor]:
    """Return the network's state dict (official names, without the
    wrapper's ``model.`` prefix) from a checkpoint of BasicIRSTD's
    ``train.py`` (``{'epoch', 'state_dict', 'total_loss'}``) or from the
    state dict itself."""
    state_dict = checkpoint.get('state_dict', checkpoint)
    return {
        key[len('model.'):] if key.startswith('model.') else key: value
        for key, value in state_dict.items()
    }


def rename(state_dict: Dict[str, Tensor],
           renames: Sequence[Tuple[str, str]],
           unused: Sequence[str] = ()) -> Tuple[Dict[str, Tensor], int]:
    """Rename official keys with ``renames`` (patterns applied in order),
    dropping keys that start with one of ``unused``.

    Returns:
        tuple[dict, int]: The renamed state dict and the number of
        parameter elements dropped (norm buffers not counted).
    """
    converted, dropped = {}, {}
    for key, value in state_dict.items():
        if key.startswith(tuple(unused)):
            dropped[key] = value
            continue
        new_key = key
        for pattern, replacement in renames:
            new_key = re.sub(pattern, replacement, new_key)
        if not new_key.startswith(('backbone.', 'decode_head.')):
            raise KeyError(f'unexpected key {key!r} in the official '
                           f'checkpoint ({REPOSITORY}); is it a checkpoint '
                           'of this network?')
        converted[new_key] = value
    return converted, count_parameters(dropped)


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Official ACM keys to the plugin's; nothing is dropped."""
    return rename(state_dict, _RENAMES)


class _BasicBlock(nn.Module):
    """Stand-in for torchvision's ResNet ``BasicBlock`` (same arguments,
    submodule names and computation), so that the official code imports
    without torchvision."""

    expansion = 1

    def __init__(self,
                 inplanes: int,
                 planes: int,
                 stride: int = 1,
                 downsample: nn.Module = None,
                 groups: int = 1,
                 base_width: int = 64,
                 dilation: int = 1,
                 norm_layer: Callable = None) -> None:
        super().__init__()
        if groups != 1 or base_width != 64 or dilation != 1:
            raise ValueError('the BasicBlock stand-in supports only '
                             'groups=1, base_width=64 and dilation=1')
        norm_layer = norm_layer or nn.BatchNorm2d
        self.conv1 = nn.Conv2d(
            inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class _Resize:
    """Stand-in for ``torchvision.transforms.Resize`` on tensors: bilinear,
    ``align_corners=False``, antialiased (torchvision's default since 0.17);
    the tensor itself when the size already matches."""

    def __init__(self, size: Sequence[int]) -> None:
        self.size = tuple(size)

    def __call__(self, x: Tensor) -> Tensor:
        if tuple(x.shape[-2:]) == self.size:
            return x
        return F.interpolate(
            x,
            size=self.size,
            mode='bilinear',
            align_corners=False,
            antialias=True)


def import_official(repo: str, module: str) -> types.ModuleType:
    """Import ``model/ACM/<module>.py`` of a BasicIRSTD checkout.

    The file is imported as a submodule of a private package pointing at
    ``model/ACM`` (so that neither ``model/__init__.py``, which imports
    every network of BasicIRSTD, nor ``model/ACM/__init__.py`` runs), with
    stand-ins for the two torchvision names it uses registered in
    ``sys.modules`` while importing and removed afterwards.

    Args:
        repo (str): Root of the BasicIRSTD checkout.
        module (str): ``'model_ACM'`` or ``'model_ALCnet'``.

    Returns:
        module: The imported official module.
    """
    folder = Path(repo).resolve() / 'model' / 'ACM'
    if not (folder / f'{module}.py').is_file():
        raise FileNotFoundError(
            f'{folder / module}.py is missing: {repo} is not a checkout of '
            f'{REPOSITORY}')
    resnet = types.ModuleType('torchvision.models.resnet')
    resnet.BasicBlock = _BasicBlock
    models = types.ModuleType('torchvision.models')
    models.resnet = resnet
    transforms = types.ModuleType('torchvision.transforms')
    transforms.Resize = _Resize
    torchvision = types.ModuleType('torchvision')
    torchvision.models, torchvision.transforms = models, transforms
    package = types.ModuleType('_basicirstd_acm')
    package.__path__ = [str(folder)]
    stand_ins = {
        'torchvision': torchvision,
        'torchvision.models': models,
        'torchvision.models.resnet': resnet,
        'torchvision.transforms': transforms,
        '_basicirstd_acm': package,
    }
    saved = {name: sys.modules.get(name) for name in stand_ins}
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module(f'_basicirstd_acm.{module}')
    finally:
        for name in list(sys.modules):
            if name.startswith('_basicirstd_acm.'):
                del sys.modules[name]
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def build_official_model(repo: str) -> nn.Module:
    """The official ``ASKCResUNet`` as BasicIRSTD's ``net.py`` builds it
    (``ACM()``, all defaults), from the checkout at ``repo``."""
    return import_official(repo, 'model_ACM').ASKCResUNet()


def official_probability(outputs: Tensor) -> Tensor:
    """The official forward already returns the probabilities."""
    return outputs
