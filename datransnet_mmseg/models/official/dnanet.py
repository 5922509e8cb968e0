"""Official DNANet checkpoints and model
(YeRen123455/Infrared-Small-Target-Detection).

The official training saves ``{'epoch', 'state_dict', 'loss', 'mean_IOU'}``
(``*.pth.tar``); the state dict keys have no prefix (the model is never
wrapped in ``DataParallel``). Node ``conv{i}_{j}`` of the nested grid maps
to the backbone (``encoder`` for column 0, ``dense_stages`` otherwise), the
pyramid fusion ``conv0_4_final``, the projections ``conv0_{k}_1x1`` and the
four 1x1 output convs ``final1`` ... ``final4`` to the head. Every official
tensor is used.
"""
import importlib.util
import re
from pathlib import Path
from typing import Dict, Tuple

import torch.nn as nn
from torch import Tensor

REPOSITORY = 'https://github.com/YeRen123455/Infrared-Small-Target-Detection'
COMMIT = '21584be00d19bc3080c78deee0953af250bed99b'
CONFIG = 'configs/_base_/models/dnanet.py'
IN_CHANNELS = 3

# (official pattern, plugin replacement): the first match renames the
# module path of a key.
_MODULES = (
    (r'^conv0_4_final\.0\.', 'decode_head.fusion.'),
    (r'^conv0_(\d)_1x1\.',
     lambda m: f'decode_head.lateral_convs.{int(m[1]) - 1}.'),
    (r'^conv(\d)_0\.', r'backbone.encoder.\1.'),
    (r'^conv(\d)_(\d)\.',
     lambda m: f'backbone.dense_stages.{int(m[2]) - 1}.{m[1]}.'),
    (r'^final4\.', 'decode_head.conv_seg.'),
    (r'^final([123])\.',
     lambda m: f'decode_head.side_segs.{int(m[1]) - 1}.'),
)
# then each block's layers are renamed
_LAYERS = (
    (r'\.bn([12])\.', r'.norm\1.'),
    (r'\.ca\.fc1\.', '.channel_attention.reduce.'),
    (r'\.ca\.fc2\.', '.channel_attention.expand.'),
    (r'\.sa\.conv1\.', '.spatial_attention.conv.'),
)


def unwrap(checkpoint: dict) -> Dict[str, Tensor]:
    """The official state dict inside ``checkpoint``.

    Args:
        checkpoint (dict): What ``torch.load`` returns for the official
            file (``{'epoch', 'state_dict', 'loss', 'mean_IOU'}``), or a
            bare state dict. A ``module.`` prefix (a ``DataParallel``
            model) is removed.

    Returns:
        dict: The state dict, official key names.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    if not any(key.endswith('conv0_0.0.conv1.weight') for key in state_dict):
        raise KeyError(
            'not an official DNANet checkpoint: conv0_0.0.conv1.weight is '
            "missing (the official file holds it under 'state_dict'); keys "
            f'start with {list(state_dict)[:5]}')
    return {(key[len('module.'):] if key.startswith('module.') else key):
            value
            for key, value in state_dict.items()}


def _rename(key: str) -> str:
    for pattern, replacement in _MODULES:
        new_key, count = re.subn(pattern, replacement, key)
        if count:
            for layer, name in _LAYERS:
                new_key = re.sub(layer, name, new_key)
            return new_key
    raise KeyError(f'unexpected key in the official DNANet checkpoint: {key}')


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Convert an official DNANet state dict to the plugin's layout.

    Args:
        state_dict (dict): Official keys (see :func:`unwrap`).

    Returns:
        tuple[dict, int]: Plugin keys (``EncoderDecoder`` of
        :data:`CONFIG`) and the number of dropped parameters (always 0:
        every official tensor is used).
    """
    return {_rename(key): value for key, value in state_dict.items()}, 0


def build_official_model(repo: str) -> nn.Module:
    """The official DNANet as its training builds it (``Res_CBAM_block``,
    ``num_blocks`` [2, 2, 2, 2], ``nb_filter`` [16, 32, 64, 128, 256], three
    input channels, deep supervision) from a checkout of
    :data:`REPOSITORY` at ``repo``.

    Only ``model/model_DNANet.py`` is loaded (it imports nothing but
    torch), under a private module name.
    """
    path = Path(repo).resolve() / 'model' / 'model_DNANet.py'
    if not path.is_file():
        raise FileNotFoundError(
            f'{path.parents[1]} is not a checkout of '
            'YeRen123455/Infrared-Small-Target-Detection '
            '(model/model_DNANet.py is missing)')
    spec = importlib.util.spec_from_file_location('_official_dnanet', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # the official parser passes deep_supervision as the string 'True'
    return module.DNANet(
        num_classes=1,
        input_channels=IN_CHANNELS,
        block=module.Res_CBAM_block,
        num_blocks=[2, 2, 2, 2],
        nb_filter=[16, 32, 64, 128, 256],
        deep_supervision='True')


def official_probability(outputs) -> Tensor:
    """Probabilities of the official prediction: the sigmoid of the last of
    the four logit maps the official forward returns."""
    if isinstance(outputs, (list, tuple)):
        outputs = outputs[-1]
    return outputs.sigmoid()
