"""Helpers of the model tests that compare with official networks.

Plain functions (imported by the test files as ``peer_helpers``); the
fixtures are in ``conftest.py``.
"""
from contextlib import contextmanager
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmseg.registry import MODELS

REPO_ROOT = Path(__file__).resolve().parents[2]


def build_model(config, options=None):
    """Build the model of ``config`` (a path relative to the repository
    root) with the registry; ``options`` overrides model settings by dotted
    keys, e.g. ``{'decode_head.out_channels': 2}``."""
    init_default_scope('mmseg')
    cfg = Config.fromfile(str(REPO_ROOT / config))
    cfg.merge_from_dict(
        {f'model.{key}': value
         for key, value in (options or {}).items()})
    return MODELS.build(cfg.model)


def capture_error(actual, capture):
    """Largest absolute difference between ``actual`` and an official
    capture: a whole tensor, or an entry of the sub-sampled format (a dict
    with ``shape``, ``index``, ``values`` and the whole tensor's ``sum``,
    ``min`` and ``max``).

    For the sub-sampled format the kept positions are compared, and so are
    the whole tensor's minimum, maximum and mean (which catch an error away
    from the kept positions).
    """
    if isinstance(capture, torch.Tensor):
        assert actual.shape == capture.shape, (actual.shape, capture.shape)
        return (actual - capture).abs().max().item()
    assert tuple(actual.shape) == tuple(capture['shape']), (
        actual.shape, capture['shape'])
    kept = actual
    for dim, positions in enumerate(capture['index']):
        kept = kept.index_select(dim, torch.as_tensor(positions))
    whole = actual.double()
    return max((kept - capture['values']).abs().max().item(),
               abs(whole.min().item() - capture['min']),
               abs(whole.max().item() - capture['max']),
               abs(whole.sum().item() - capture['sum']) / actual.numel())


@contextmanager
def captured_outputs(model, modules):
    """Record module outputs while the block runs.

    Args:
        model (nn.Module): The model.
        modules (dict[str, str]): Official name -> name of the plugin
            module (``model.get_submodule``) whose output it is.

    Yields:
        dict: Official name -> the first output of that module in the
        block (tensors cloned, so that later in-place operations do not
        change them).
    """
    captured = {}

    def keep(name, output):
        if isinstance(output, torch.Tensor):
            output = output.clone()
        captured.setdefault(name, output)

    handles = [
        model.get_submodule(plugin).register_forward_hook(
            lambda module, args, output, name=name: keep(name, output))
        for name, plugin in modules.items()
    ]
    try:
        yield captured
    finally:
        for handle in handles:
            handle.remove()
