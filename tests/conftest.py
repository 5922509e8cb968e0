"""Shared pytest fixtures.

Tests that need the shared reference material (the SIRST v1 data and the
official DATransNet outputs) find it at ``$DATRANSNET_SHARED`` or, by
default, at ``../shared`` beside the repository. Without it they skip with
the reason, except in CI (``CI=true``), where they fail.
"""
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import datransnet_mmseg  # noqa: F401  (patches the stack, registers classes)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_ROOT = Path(
    os.environ.get('DATRANSNET_SHARED', REPO_ROOT.parent / 'shared'))


def shared_file(*parts: str) -> Path:
    """Return a path inside the shared folder, or skip (fail in CI)."""
    path = SHARED_ROOT.joinpath(*parts)
    if not path.exists():
        reason = (f'{path} is missing: set DATRANSNET_SHARED to the folder '
                  'holding data/sirst-v1 and reference/datransnet-official')
        if os.environ.get('CI') == 'true':
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def shared():
    """Factory fixture: ``shared('data', 'sirst-v1')`` -> Path."""
    return shared_file


# --------------------------------------------------------------------------
# Running the command-line tools on a tiny synthetic dataset
# --------------------------------------------------------------------------
DEMO_CONFIG = REPO_ROOT / 'configs' / 'datransnet' / \
    'datransnet_1xb4-adam-600it_synthetic-sirst-128x128.py'


@pytest.fixture(scope='session')
def tiny_sirst(tmp_path_factory):
    """A synthetic SIRST dataset of 64x64 images: 8 train, 3 val, 5 test.

    5 test images: not divisible by 2, so a 2-process test sees a padded
    sampler and must still count every image once.
    """
    from datransnet_mmseg.utils.synthetic_sirst import write_dataset
    root = tmp_path_factory.mktemp('synthetic-sirst')
    write_dataset(
        str(root), num_train=8, num_val=3, num_test=5, height=64, width=64)
    return root


def tiny_run_options(data_root, max_iters=4):
    """``--cfg-options`` that shrink the demo config to a few seconds."""
    return [
        f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}',
        'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'model.neck.img_size=64',
        f'train_cfg.max_iters={max_iters}',
        'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1',
        'env_cfg.cudnn_benchmark=False',
    ]


def tool_command(tool, *args):
    """``[python, tools/<tool>, *args]`` (``.sh`` tools run with bash)."""
    path = str(REPO_ROOT / 'tools' / tool)
    launcher = ['bash'] if tool.endswith('.sh') else [sys.executable]
    return launcher + [path] + [str(arg) for arg in args]


def tool_env(**extra):
    """This interpreter's environment without PYTHONPATH: the tools must
    find the package by themselves."""
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env.update(PYTHON=sys.executable, OMP_NUM_THREADS='1', **extra)
    return env


def run_tool(tool, *args, cwd=REPO_ROOT, expect_success=True, **env):
    """Run a tool; assert its exit status; return the CompletedProcess."""
    result = subprocess.run(
        tool_command(tool, *args),
        cwd=cwd,
        capture_output=True,
        text=True,
        env=tool_env(**env),
        timeout=600)
    if expect_success:
        assert result.returncode == 0, (result.stdout[-3000:] +
                                        result.stderr[-5000:])
    return result


@pytest.fixture(scope='session')
def tools():
    """Namespace with ``run``, ``command``, ``env``, ``options`` and the
    demo ``config`` for tests that drive the command-line tools."""
    return SimpleNamespace(
        run=run_tool,
        command=tool_command,
        env=tool_env,
        options=tiny_run_options,
        config=DEMO_CONFIG)
