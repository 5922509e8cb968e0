"""Official SCTransNet checkpoints and model (xdFai/SCTransNet).

The official training saves ``{'epoch', 'state_dict', 'total_loss'}``; the
network sits in a wrapper as attribute ``model``, so every key of
``state_dict`` starts with ``model.`` (its test script strips those six
characters). The conversion drops the tensors the official forward never
uses: the four position embeddings of the patch embeddings (their shape
depends on the official ``img_size``) and the 16 scalar parameters
``q*_attn*`` of each attention (122,944 values for ``img_size`` 256). The
key and value projections of each attention are stacked into one conv
(``kv_proj``, ``kv_dwconv``: keys first). The deep-supervision convs
(``gt_conv*``, ``outconv``) are kept: they are trained.
"""
import contextlib
import importlib
import importlib.util
import io
import re
import sys
import types
from pathlib import Path
from typing import Dict, Tuple

import torch
import torch.nn as nn
from torch import Tensor

REPOSITORY = 'https://github.com/xdFai/SCTransNet'
COMMIT = 'e0276283794e9a54db334c2105f6e70107312202'
CONFIG = 'configs/_base_/models/sctransnet.py'
IN_CHANNELS = 1

_PREFIX = 'model.'
_UNUSED = re.compile(r'^mtc\.(embeddings_\d\.position_embeddings|'
                     r'encoder\.layer\.\d+\.channel_attn\.q\d_attn\d)$')
# Official key and value projections -> the plugin's stacked convs.
_KV = re.compile(r'^mtc\.encoder\.layer\.(\d+)\.channel_attn\.'
                 r'(mheadk|mheadv|k|v)\.weight$')
_KV_TARGET = {'mheadk': 'kv_proj', 'mheadv': 'kv_proj',
              'k': 'kv_dwconv', 'v': 'kv_dwconv'}
_BLOCK = 'neck.blocks.'
_ATTN = r'^mtc\.encoder\.layer\.(\d+)\.channel_attn\.'


def _level(prefix: str):
    """Replacement ``<prefix>.<level - 1>.`` for a 1-based level in
    group 2 (group 1: the transformer layer)."""
    return lambda m: f'{_BLOCK}{m[1]}.{prefix}.{int(m[2]) - 1}.'


def _stage(prefix: str):
    """Replacement ``<prefix>.<stage - 1>.`` for a 1-based group 1."""
    return lambda m: f'{prefix}.{int(m[1]) - 1}.'


# (official pattern, plugin replacement), the first match applies.
_RENAMES = (
    (r'^inc\.0\.bn([12])\.', r'backbone.stem.norm\1.'),
    (r'^inc\.0\.', 'backbone.stem.'),
    (r'^down_encoder(\d)\.0\.bn([12])\.',
     lambda m: f'backbone.stages.{int(m[1]) - 1}.norm{m[2]}.'),
    (r'^down_encoder(\d)\.0\.', _stage('backbone.stages')),
    (r'^mtc\.embeddings_(\d)\.patch_embeddings\.',
     _stage('neck.patch_embeds')),
    (r'^mtc\.encoder\.layer\.(\d+)\.attn_norm(\d)\.body\.',
     _level('query_norms')),
    (r'^mtc\.encoder\.layer\.(\d+)\.attn_norm\.body\.',
     lambda m: f'{_BLOCK}{m[1]}.kv_norm.'),
    (r'^mtc\.encoder\.layer\.(\d+)\.ffn_norm(\d)\.body\.',
     _level('ffn_norms')),
    (_ATTN + r'mhead(\d)\.', _level('attn.query_projs')),
    (_ATTN + r'q(\d)\.', _level('attn.query_dwconvs')),
    (_ATTN + r'project_out(\d)\.', _level('attn.out_projs')),
    (r'^mtc\.encoder\.layer\.(\d+)\.ffn(\d)\.eca\.conv\.0\.',
     lambda m: f'{_BLOCK}{m[1]}.ffns.{int(m[2]) - 1}.eca.'),
    (r'^mtc\.encoder\.layer\.(\d+)\.ffn(\d)\.dwconv(\d)x\d\.',
     lambda m: f'{_BLOCK}{m[1]}.ffns.{int(m[2]) - 1}.dwconv{m[3]}.'),
    (r'^mtc\.encoder\.layer\.(\d+)\.ffn(\d)\.', _level('ffns')),
    (r'^mtc\.encoder\.encoder_norm(\d)\.body\.', _stage('neck.out_norms')),
    (r'^mtc\.reconstruct_(\d)\.', _stage('neck.reconstructs')),
    (r'^up_decoder(\d)\.coatt\.mlp_x\.1\.',
     lambda m: f'decode_head.up_blocks.{int(m[1]) - 1}.skip_fc.'),
    (r'^up_decoder(\d)\.coatt\.mlp_g\.1\.',
     lambda m: f'decode_head.up_blocks.{int(m[1]) - 1}.up_fc.'),
    (r'^up_decoder(\d)\.nConvs\.(\d)\.(conv|norm)\.',
     lambda m: f'decode_head.up_blocks.{int(m[1]) - 1}.{m[3]}'
     f'{int(m[2]) + 1}.'),
    (r'^outc\.', 'decode_head.conv_seg.'),
    (r'^gt_conv(\d)\.0\.',
     lambda m: f'decode_head.side_convs.{5 - int(m[1])}.'),
    (r'^outconv\.', 'decode_head.fuse_conv.'),
)


def unwrap(checkpoint: dict) -> Dict[str, Tensor]:
    """The official state dict of ``checkpoint``, without the ``model.``
    prefix of the official training wrapper.

    Args:
        checkpoint (dict): What ``torch.load`` returns for the official
            file: ``{'epoch', 'state_dict', 'total_loss'}`` (or the bare
            state dict, with or without the prefix).

    Returns:
        dict: The state dict, official key names.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    if not any(key.endswith('inc.0.conv1.weight') for key in state_dict):
        raise KeyError('not an official SCTransNet checkpoint: '
                       '[model.]inc.0.conv1.weight is missing; keys start '
                       f'with {list(state_dict)[:5]}')
    return {(key[len(_PREFIX):] if key.startswith(_PREFIX) else key): value
            for key, value in state_dict.items()}


def _rename(key: str) -> str:
    for pattern, replacement in _RENAMES:
        new_key, count = re.subn(pattern, replacement, key)
        if count:
            return new_key
    raise KeyError(
        f'unexpected key in the official SCTransNet checkpoint: {key}')


def convert_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[Dict[str, Tensor], int]:
    """Convert an official SCTransNet state dict to the plugin's layout.

    Args:
        state_dict (dict): Official keys (see :func:`unwrap`).

    Returns:
        tuple[dict, int]: Plugin keys (``EncoderDecoder`` of
        :data:`CONFIG`) and the number of dropped parameters (position
        embeddings and ``q*_attn*`` scalars).
    """
    converted = {}
    stacked = {}
    dropped = 0
    for key, value in state_dict.items():
        if _UNUSED.match(key):
            dropped += value.numel()
            continue
        match = _KV.match(key)
        if match:
            layer, name = match.groups()
            target = f'{_BLOCK}{layer}.attn.{_KV_TARGET[name]}.weight'
            stacked.setdefault(target, {})[name] = value
            continue
        converted[_rename(key)] = value
    for target, parts in stacked.items():
        if len(parts) != 2:
            raise KeyError(f'official SCTransNet checkpoint with only '
                           f'{sorted(parts)} for {target}')
        key_part, value_part = (parts['mheadk'], parts['mheadv']) \
            if 'mheadk' in parts else (parts['k'], parts['v'])
        converted[target] = torch.cat([key_part, value_part])
    return converted, dropped


def build_official_model(repo: str) -> nn.Module:
    """The official ``SCTransNet(get_SCTrans_config(), mode='train',
    deepsuper=True)``, as its training builds it, from a checkout of
    :data:`REPOSITORY` at ``repo``.

    The official model file imports ``thop`` (unused by the network); an
    inert stand-in is registered while importing if it is missing.
    ``ml_collections`` and ``einops`` must be installed.
    """
    root = Path(repo).resolve()
    if not (root / 'model' / 'SCTransNet.py').is_file():
        raise FileNotFoundError(f'{root} is not a checkout of '
                                'xdFai/SCTransNet (model/SCTransNet.py is '
                                'missing)')
    saved = {
        name: module
        for name, module in sys.modules.items()
        if name in ('model', 'thop') or name.startswith('model.')
    }
    for name in saved:
        del sys.modules[name]
    if importlib.util.find_spec('thop') is None:
        stand_in = types.ModuleType('thop')
        stand_in.profile = lambda *args, **kwargs: None
        sys.modules['thop'] = stand_in
    sys.path.insert(0, str(root))
    try:
        network = importlib.import_module('model.SCTransNet')
        config = importlib.import_module('model.Config')
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n in ('model', 'thop')
                     or n.startswith('model.')]:
            del sys.modules[name]
        sys.modules.update(saved)
    # The constructor prints whether deep supervision is on.
    with contextlib.redirect_stdout(io.StringIO()):
        return network.SCTransNet(
            config.get_SCTrans_config(), mode='train', deepsuper=True)


def official_probability(outputs) -> Tensor:
    """Probabilities of the official prediction: the official forward
    returns probabilities, the prediction last when it returns all
    deep-supervision maps."""
    if isinstance(outputs, (list, tuple)):
        return outputs[-1]
    return outputs
