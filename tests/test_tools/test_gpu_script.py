"""tools/gpu/run_sirst_v1.sh and run_zoo.sh end to end on CPU, tiny budgets.

The synthetic 64x64 dataset is laid out as SIRST v1 (images/, masks/
``<name>_pixels0.png``, idx_427/{train,val,test}.txt): 8 training, 3
validation and 5 test images, so the logs tell which split each evaluation
used.
"""
import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mmengine.config import Config

REPO_ROOT = Path(__file__).resolve().parents[2]


def sirst_v1_layout(synthetic_root, root):
    """Copy the synthetic dataset into the SIRST v1 layout."""
    (root / 'images').mkdir(parents=True)
    (root / 'masks').mkdir()
    (root / 'idx_427').mkdir()
    for split in ('train', 'val', 'test'):
        names = (synthetic_root / 'img_idx' /
                 f'{split}_SynthSIRST.txt').read_text().split()
        for name in names:
            shutil.copy(synthetic_root / 'images' / f'{name}.png',
                        root / 'images' / f'{name}.png')
            shutil.copy(synthetic_root / 'masks' / f'{name}.png',
                        root / 'masks' / f'{name}_pixels0.png')
        (root / 'idx_427' / f'{split}.txt').write_text('\n'.join(names))
    return root


def test_gpu_script_trains_tests_and_compares(tools, tiny_sirst, tmp_path):
    data_root = sirst_v1_layout(tiny_sirst, tmp_path / 'sirst-v1')
    out = tmp_path / 'out'
    tools.run(
        'gpu/run_sirst_v1.sh',
        data_root,
        out,
        BASELINE_CONFIGS='',
        ITERS='3',
        BATCH='2',
        WORKERS='0',
        SPEED_ITERS='1')

    with open(out / 'results.csv') as f:
        rows = list(csv.DictReader(f))
    assert [row['Model'] for row in rows] == ['DATransNet']
    assert [row['Iters'] for row in rows] == ['3']
    for row in rows:
        for key in ('mIoU', 'nIoU', 'Pd', 'F1'):
            assert 0 <= float(row[key]) <= 100
        assert float(row['Params (M)']) > 0 and float(row['FPS']) > 0
    # DATransNet: 2,175,401 parameters (configs/datransnet/README.md)
    assert float(rows[0]['Params (M)']) * 1e6 == 2175401
    table = (out / 'results.md').read_text()
    assert table.startswith('| Model | mIoU |') and 'DATransNet' in table
    assert 'Done' in (out / 'run.log').read_text()

    work_dir = out / 'datransnet'
    check_splits_and_budget(work_dir, iters=3, batch=2)
    cfg = Config.fromfile(str(next(work_dir.glob('*/vis_data/config.py'))))
    assert cfg.optim_wrapper.type == 'OptimWrapper'  # no AMP on CPU
    assert cfg.param_scheduler[-1].end == 3


def check_splits_and_budget(work_dir, iters, batch):
    """One training run that validated on `val` (3 images), one best
    checkpoint tested on `test` (5 images), at the given budget."""
    train_logs = list(work_dir.glob('*/*.log'))
    assert len(train_logs) == 1
    train_log = train_logs[0].read_text()
    assert 'Iter(val) [3/3]' in train_log  # validation split: 3 images
    assert 'Iter(val) [5/5]' not in train_log
    test_log = next(work_dir.glob('test/*/*.log')).read_text()
    assert 'Iter(test) [5/5]' in test_log  # test split: 5 images
    assert len(list(work_dir.glob('best_mIoU_iter_*.pth'))) == 1
    cfg = Config.fromfile(str(next(work_dir.glob('*/vis_data/config.py'))))
    assert cfg.train_cfg.max_iters == iters
    assert cfg.train_dataloader.batch_size == batch


def test_gpu_script_official_recipe_with_two_baselines(tools, tiny_sirst,
                                                       tmp_path):
    data_root = sirst_v1_layout(tiny_sirst, tmp_path / 'sirst-v1')
    out = tmp_path / 'out'
    baselines = ' '.join((
        'configs/acm/acm_askcresunet_1xb16-adam-6.4k_nuaa-sirst-256x256.py',
        'configs/baselines/segformer_mit-b0_1xb4-adam-25.6k_nuaa-sirst-'
        '256x256.py'))
    tools.run(
        'gpu/run_sirst_v1.sh',
        data_root,
        out,
        RECIPE='official',
        BASELINE_CONFIGS=baselines,
        ITERS='4',
        BASELINE_ITERS='1',
        BATCH='2',
        WORKERS='0',
        SPEED_ITERS='1')

    with open(out / 'results.csv') as f:
        rows = list(csv.DictReader(f))
    assert [row['Model'] for row in rows] == [
        'DATransNet', 'acm_askcresunet', 'segformer_mit-b0'
    ]
    assert [row['Iters'] for row in rows] == ['4', '1', '1']
    cfg = Config.fromfile(
        str(next((out / 'datransnet').glob('*/vis_data/config.py'))))
    assert cfg.optim_wrapper.optimizer == dict(
        type='Adam', lr=5e-4, betas=(0.9, 0.999), weight_decay=0)
    # the official milestones (50% and 75% of training), fitted to 4 iters
    assert cfg.param_scheduler == [
        dict(
            type='MultiStepLR',
            by_epoch=False,
            begin=0,
            end=4,
            milestones=[2, 3],
            gamma=0.1)
    ]


def test_zoo_script_trains_every_config_at_one_budget(tools, tiny_sirst,
                                                      tmp_path):
    data_root = sirst_v1_layout(tiny_sirst, tmp_path / 'sirst-v1')
    out = tmp_path / 'out'
    config = ('configs/acm/'
              'acm_askcresunet_1xb16-adam-6.4k_nuaa-sirst-256x256.py')
    tools.run(
        'gpu/run_zoo.sh',
        data_root,
        out,
        CONFIGS=config,
        ITERS='2',
        BATCH='2',
        CROP='32',
        WORKERS='0')

    with open(out / 'results.csv') as f:
        rows = list(csv.DictReader(f))
    assert [row['Model'] for row in rows] == ['acm_askcresunet']
    assert rows[0]['Runs'].endswith('/1')
    assert rows[0]['Budget'] == '2 x 2 @ 32x32'
    assert 'Done' in (out / 'run.log').read_text()
    run_dir = out / 'runs' / 'acm_askcresunet' / 'seed0'
    check_splits_and_budget(run_dir, iters=2, batch=2)
    cfg = Config.fromfile(str(run_dir / 'config.py'))
    assert cfg.optim_wrapper.type == 'OptimWrapper'  # no AMP on CPU
    crops = [t['crop_size'] for t in cfg.train_dataloader.dataset.pipeline
             if 'crop_size' in t]
    assert crops == [(32, 32)]
    assert cfg.model.data_preprocessor.size == (32, 32)
    assert json.loads((run_dir / 'summary.json').read_text())['seed'] == 0


@pytest.mark.parametrize('script', ['run_sirst_v1.sh', 'run_zoo.sh'])
def test_gpu_scripts_refuse_a_missing_dataset(tools, tmp_path, script):
    result = tools.run(
        f'gpu/{script}',
        tmp_path / 'nowhere',
        tmp_path / 'out',
        expect_success=False)
    assert result.returncode != 0
    assert 'idx_427/train.txt is missing' in result.stdout + result.stderr


@pytest.mark.parametrize('script', ['run_sirst_v1.sh', 'run_zoo.sh'])
def test_every_tool_a_gpu_script_names_exists(script):
    script = (REPO_ROOT / 'tools' / 'gpu' / script).read_text()
    named = set(re.findall(r'tools/[\w/.-]+\.(?:sh|py)', script))
    assert 'tools/gpu/download_wheels.sh' in named
    assert [path for path in sorted(named)
            if not (REPO_ROOT / path).is_file()] == []


def test_download_wheels_asks_pip_for_pure_python_wheels(tmp_path):
    # a stand-in interpreter that records the pip command line
    fake_python = tmp_path / 'python'
    fake_python.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/args"\n')
    fake_python.chmod(0o755)
    subprocess.run(
        ['bash', REPO_ROOT / 'tools' / 'gpu' / 'download_wheels.sh',
         tmp_path / 'wheels'],
        env=dict(os.environ, PYTHON=str(fake_python)),
        check=True,
        capture_output=True)
    args = (tmp_path / 'args').read_text().split()
    assert args[:2] == ['-m', 'pip'] and 'download' in args
    assert args[args.index('--dest') + 1] == str(tmp_path / 'wheels')
    # pure-Python wheels only, no dependencies pulled in, no builds
    assert {'--no-deps', '--only-binary=:all:'} <= set(args)
    assert args[args.index('--platform') + 1] == 'any'
    assert args[args.index('--abi') + 1] == 'none'
    # the pins of setup.py, and pkg_resources for mmengine
    assert {'mmsegmentation==1.2.2', 'mmengine==0.10.7'} <= set(args)
    setuptools = [a for a in args if a.startswith('setuptools==')]
    assert len(setuptools) == 1 and int(
        setuptools[0].split('==')[1].split('.')[0]) < 82
