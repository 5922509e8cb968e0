"""tools/train.py, tools/test.py and the torchrun scripts, end to end on CPU.

A tiny synthetic dataset (64x64 images) and a few iterations keep each run
at a few seconds; what is checked is the plumbing: checkpoints, resume,
evaluation, and 2-process distributed training and testing.
"""
import json
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from datransnet_mmseg.compat import safe_torch_load


def last_metrics(work_dir):
    """Metrics of the last evaluation logged in ``work_dir``'s JSON logs."""
    # mmengine writes <work_dir>/<timestamp>/<timestamp>.json
    logs = [
        log for log in Path(work_dir).glob('*/*.json')
        if log.stem == log.parent.name
    ]
    records = []
    for log in sorted(logs):
        records += [json.loads(line) for line in log.read_text().splitlines()]
    evaluations = [record for record in records if 'mIoU' in record]
    assert evaluations, f'no evaluation logged in {work_dir}'
    return evaluations[-1]


def test_train_resume_and_test(tools, tiny_sirst, tmp_path):
    work_dir = tmp_path / 'run'
    tools.run('train.py', tools.config, '--work-dir', work_dir,
              '--cfg-options', *tools.options(tiny_sirst, max_iters=2))
    first = safe_torch_load(work_dir / 'iter_2.pth')
    assert first['meta']['iter'] == 2

    result = tools.run('train.py', tools.config, '--work-dir', work_dir,
                       '--resume', '--cfg-options',
                       *tools.options(tiny_sirst, max_iters=4))
    assert 'resumed' in result.stdout + result.stderr
    resumed = safe_torch_load(work_dir / 'iter_4.pth')
    assert resumed['meta']['iter'] == 4
    assert any(key.startswith('backbone.') for key in resumed['state_dict'])

    test_dir = tmp_path / 'test'
    tools.run('test.py', tools.config, work_dir / 'iter_4.pth', '--work-dir',
              test_dir, '--cfg-options', *tools.options(tiny_sirst))
    metrics = last_metrics(test_dir)
    for key in ('mIoU', 'nIoU', 'Pd', 'Fa'):
        assert key in metrics


def test_tools_run_from_another_directory(tools, tiny_sirst, tmp_path):
    """The tools find the repository's package and configs by themselves."""
    tools.run(
        'train.py',
        tools.config,
        '--work-dir',
        tmp_path / 'run',
        '--cfg-options',
        *tools.options(tiny_sirst, max_iters=2),
        cwd=tmp_path)
    assert (tmp_path / 'run' / 'iter_2.pth').is_file()


def test_tools_work_without_installing_the_package(tools, tiny_sirst,
                                                   tmp_path):
    """train.py and test.py import the package from the repository.

    ``python -S`` skips the site hooks, so an installed (editable) copy of
    the package is invisible; the dependencies stay importable through
    ``PYTHONPATH``. Run from another directory, the tools must find the
    package and the configs' ``custom_imports`` by themselves.
    """
    site_dirs = [
        path for path in site.getsitepackages() + sys.path
        if path.endswith(('site-packages', 'dist-packages'))
        and os.path.isdir(path)
    ]
    env = tools.env(PYTHONPATH=os.pathsep.join(dict.fromkeys(site_dirs)))

    def run(*args):
        return subprocess.run([sys.executable, '-S', *map(str, args)],
                              cwd=tmp_path,
                              env=env,
                              capture_output=True,
                              text=True,
                              timeout=600)

    probe = run('-c', 'import mmseg, torch; import datransnet_mmseg')
    if probe.returncode == 0:
        pytest.skip('the package is installed into site-packages itself '
                    '(pip install .), so it cannot be hidden from the tools')
    assert "No module named 'datransnet_mmseg'" in probe.stderr, (
        'precondition: the package must not be importable here, only its '
        f'dependencies:\n{probe.stderr[-2000:]}')

    work_dir = tmp_path / 'run'
    train = run(tools.command('train.py')[1], tools.config, '--work-dir',
                work_dir, '--cfg-options',
                *tools.options(tiny_sirst, max_iters=2))
    assert train.returncode == 0, train.stderr[-5000:]
    test = run(tools.command('test.py')[1], tools.config,
               work_dir / 'iter_2.pth', '--work-dir', tmp_path / 'test',
               '--cfg-options', *tools.options(tiny_sirst))
    assert test.returncode == 0, test.stderr[-5000:]
    assert 'mIoU' in last_metrics(tmp_path / 'test')


@pytest.mark.skipif(
    torch.cuda.is_available(), reason='the 2-process run is the CPU path')
def test_dist_train_resume_and_dist_test(tools, tiny_sirst, tmp_path):
    work_dir = tmp_path / 'dist'
    tools.run('dist_train.sh', tools.config, 2, '--work-dir', work_dir,
              '--cfg-options', *tools.options(tiny_sirst, 2),
              PORT='29641')
    tools.run('dist_train.sh', tools.config, 2, '--work-dir', work_dir,
              '--resume', '--cfg-options', *tools.options(tiny_sirst, 4),
              PORT='29642')
    checkpoint = work_dir / 'iter_4.pth'
    assert safe_torch_load(checkpoint)['meta']['iter'] == 4

    # The official protocol's relative threshold (0.5 * max per image)
    # gives detections even from a barely trained model, and the curves
    # compare the counts at 10 thresholds.
    options = tools.options(tiny_sirst) + [
        'test_evaluator.protocol=official',
        'test_evaluator.curve_thresholds=10'
    ]
    single_dir, dist_dir = tmp_path / 'single', tmp_path / 'dist_test'
    tools.run('test.py', tools.config, checkpoint, '--work-dir', single_dir,
              '--out', single_dir / 'out', '--cfg-options', *options)
    tools.run('dist_test.sh', tools.config, checkpoint, 2, '--work-dir',
              dist_dir, '--out', dist_dir / 'out', '--cfg-options',
              *options, PORT='29643')
    single, dist = last_metrics(single_dir), last_metrics(dist_dir)
    assert single['Fa'] > 0, 'degenerate predictions'
    for key in ('mIoU', 'nIoU', 'Pd', 'Fa', 'pixel_F1', 'target_F1', 'AUC'):
        assert dist[key] == pytest.approx(single[key], abs=1e-9), key
    # Each of the 5 test images is evaluated exactly once, identically.
    single_rows = (single_dir / 'out' / 'per_image.csv').read_text()
    dist_rows = (dist_dir / 'out' / 'per_image.csv').read_text()
    assert len(single_rows.splitlines()) == 1 + 5
    assert sorted(dist_rows.splitlines()) == sorted(single_rows.splitlines())
