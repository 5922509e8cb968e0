"""Fixtures of the model tests."""
import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from datransnet_mmseg.models import convert_official_checkpoint
from mmseg.registry import MODELS

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE_CONFIG = REPO_ROOT / 'configs' / '_base_' / 'models' / 'datransnet.py'
OFFICIAL = ('reference', 'datransnet-official')
PEERS = ('reference', 'irstd-peers')


def _build(img_size=256, options=None):
    init_default_scope('mmseg')
    cfg = Config.fromfile(str(BASE_CONFIG))
    cfg.model.neck.img_size = img_size
    cfg.merge_from_dict(
        {f'model.{key}': value
         for key, value in (options or {}).items()})
    return MODELS.build(cfg.model)


@lru_cache
def _load_io(path):
    return torch.load(path, weights_only=True)


@lru_cache
def _convert(path):
    return convert_official_checkpoint(path)


@pytest.fixture(autouse=True)
def single_thread():
    """Run these small-input tests single-threaded (restored afterwards):
    faster here, and robust to a machine shared with other jobs."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def build_segmentor():
    """``build_segmentor(img_size=256, options=None)`` -> EncoderDecoder
    built by the registry from ``configs/_base_/models/datransnet.py``;
    ``options`` overrides model settings by dotted keys, e.g.
    ``{'decode_head.out_channels': 2}``."""
    return _build


@pytest.fixture
def official_io(shared):
    """The official reference cases (inputs, outputs, module outputs)."""
    return _load_io(shared(*OFFICIAL, 'official_io.pt'))


@pytest.fixture
def official_checkpoint(shared):
    """``official_checkpoint(file_name)`` -> (converted checkpoint, number
    of dropped parameters)."""
    return lambda name: _convert(shared(*OFFICIAL, name))


@lru_cache
def _peer_reference(root, name):
    spec = importlib.util.spec_from_file_location(
        'reference_weights', Path(root) / 'reference_weights.py')
    weights = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(weights)
    folder = Path(root) / name
    entries = json.loads((folder / 'entries.json').read_text())
    fixture = torch.load(folder / 'io.pt', weights_only=True)
    meta = fixture['meta']
    return SimpleNamespace(
        entries=entries,
        meta=meta,
        cases=fixture['cases'],
        state=weights.reference_state(entries, meta['seed'], meta['gain']))


@pytest.fixture
def peer_reference(shared):
    """``peer_reference(name)`` -> namespace of the official fixtures of a
    peer network (``reference/irstd-peers/<name>``): ``entries``, ``meta``,
    ``cases`` and ``state``, the official weights rebuilt (official names
    and order). Cached: copy ``state`` before changing it."""
    return lambda name: _peer_reference(str(shared(*PEERS)), name)
