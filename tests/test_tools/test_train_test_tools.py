"""tools/train.py, tools/test.py and the torchrun scripts, end to end on CPU.

A tiny synthetic dataset (64x64 images) and a few iterations keep each run
at a few seconds; what is checked is the plumbing: checkpoints, resume,
evaluation, and 2-process distributed training and testing.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from datransnet_mmseg.compat import safe_torch_load
from datransnet_mmseg.utils.synthetic_sirst import write_dataset

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / 'configs/datransnet/' \
    'datransnet_1xb4-adam-600it_synthetic-sirst-128x128.py'


@pytest.fixture(scope='module')
def tiny_data(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic-sirst')
    # 5 test images: not divisible by 2, so the 2-process test sees a
    # padded sampler and must still count every image once.
    write_dataset(
        str(root), num_train=8, num_val=3, num_test=5, height=64, width=64)
    return root


def tiny_options(data_root, max_iters=4):
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


def run(args, cwd=REPO_ROOT, **env):
    """Run a command with this interpreter's environment (no PYTHONPATH)."""
    full_env = {
        key: value
        for key, value in os.environ.items() if key != 'PYTHONPATH'
    }
    full_env.update(PYTHON=sys.executable, OMP_NUM_THREADS='1', **env)
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env=full_env,
        timeout=600)
    assert result.returncode == 0, (result.stdout[-3000:] +
                                    result.stderr[-5000:])
    return result


def last_metrics(work_dir):
    """Metrics of the last evaluation logged in ``work_dir``'s JSON logs."""
    records = []
    # mmengine writes <work_dir>/<timestamp>/<timestamp>.json
    logs = [log for log in Path(work_dir).glob('*/*.json')
            if log.stem == log.parent.name]
    for log in sorted(logs):
        records += [json.loads(line) for line in log.read_text().splitlines()]
    evaluations = [record for record in records if 'mIoU' in record]
    assert evaluations, f'no evaluation logged in {work_dir}'
    return evaluations[-1]


def test_train_resume_and_test(tiny_data, tmp_path):
    work_dir = tmp_path / 'run'
    train = [sys.executable, 'tools/train.py', str(CONFIG), '--work-dir',
             str(work_dir)]
    run(train + ['--cfg-options'] + tiny_options(tiny_data, max_iters=2))
    first = safe_torch_load(work_dir / 'iter_2.pth')
    assert first['meta']['iter'] == 2

    result = run(train + ['--resume', '--cfg-options'] +
                 tiny_options(tiny_data, max_iters=4))
    assert 'resumed' in result.stdout + result.stderr
    resumed = safe_torch_load(work_dir / 'iter_4.pth')
    assert resumed['meta']['iter'] == 4
    assert any(key.startswith('backbone.') for key in resumed['state_dict'])

    test_dir = tmp_path / 'test'
    run([
        sys.executable, 'tools/test.py',
        str(CONFIG),
        str(work_dir / 'iter_4.pth'), '--work-dir',
        str(test_dir), '--cfg-options'
    ] + tiny_options(tiny_data))
    metrics = last_metrics(test_dir)
    for key in ('mIoU', 'nIoU', 'Pd', 'Fa'):
        assert key in metrics


def test_tools_run_from_another_directory(tiny_data, tmp_path):
    """The tools find the repository's package and configs by themselves."""
    run([
        sys.executable,
        str(REPO_ROOT / 'tools/train.py'),
        str(CONFIG), '--work-dir',
        str(tmp_path / 'run'), '--cfg-options'
    ] + tiny_options(tiny_data, max_iters=2),
        cwd=tmp_path)
    assert (tmp_path / 'run' / 'iter_2.pth').is_file()


@pytest.mark.skipif(
    torch.cuda.is_available(), reason='the 2-process run is the CPU path')
def test_dist_train_resume_and_dist_test(tiny_data, tmp_path):
    work_dir = tmp_path / 'dist'
    dist_train = ['bash', 'tools/dist_train.sh', str(CONFIG), '2',
                  '--work-dir', str(work_dir)]
    run(dist_train + ['--cfg-options'] + tiny_options(tiny_data, 2),
        PORT='29641')
    run(dist_train + ['--resume', '--cfg-options'] +
        tiny_options(tiny_data, 4),
        PORT='29642')
    checkpoint = work_dir / 'iter_4.pth'
    assert safe_torch_load(checkpoint)['meta']['iter'] == 4

    single_dir, dist_dir = tmp_path / 'single', tmp_path / 'dist_test'
    # The official protocol's relative threshold (0.5 * max per image)
    # gives detections even from a barely trained model, and the curves
    # compare the counts at 10 thresholds.
    evaluation = ['test_evaluator.protocol=official',
                  'test_evaluator.curve_thresholds=10']
    run([
        sys.executable, 'tools/test.py',
        str(CONFIG),
        str(checkpoint), '--work-dir',
        str(single_dir), '--out',
        str(single_dir / 'out'), '--cfg-options'
    ] + tiny_options(tiny_data) + evaluation)
    run([
        'bash', 'tools/dist_test.sh',
        str(CONFIG),
        str(checkpoint), '2', '--work-dir',
        str(dist_dir), '--out',
        str(dist_dir / 'out'), '--cfg-options'
    ] + tiny_options(tiny_data) + evaluation,
        PORT='29643')
    single, dist = last_metrics(single_dir), last_metrics(dist_dir)
    assert single['Fa'] > 0, 'degenerate predictions'
    for key in ('mIoU', 'nIoU', 'Pd', 'Fa', 'pixel_F1', 'target_F1', 'AUC'):
        assert dist[key] == pytest.approx(single[key], abs=1e-9), key
    # Each of the 5 test images is evaluated exactly once.
    for out in (single_dir / 'out', dist_dir / 'out'):
        rows = (out / 'per_image.csv').read_text().splitlines()[1:]
        assert len(rows) == 5
    assert sorted((single_dir / 'out' / 'per_image.csv').read_text()
                  .splitlines()) == sorted(
                      (dist_dir / 'out' / 'per_image.csv').read_text()
                      .splitlines())
