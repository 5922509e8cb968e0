"""The TensorBoard backend receives the panels and the scalars.

A two-iteration training run of the tiny DATransNet with validation: the
visualizer sends mmseg's SegVisualizationHook panels of the validation
images and the logged scalars (loss, learning rate, IRSTD metrics) to every
backend, here the local one and TensorBoard, inside the run's work dir.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from datransnet_mmseg.utils.synthetic_sirst import write_dataset

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY = str(REPO_ROOT / 'tests' / 'test_apis' / 'data' / 'tiny_datransnet.py')


def test_tensorboard_backend_gets_panels_and_scalars(tmp_path):
    event_accumulator = pytest.importorskip(
        'tensorboard.backend.event_processing.event_accumulator')
    data = tmp_path / 'data'
    splits = write_dataset(
        str(data), num_train=2, num_val=2, num_test=1, height=48, width=80)
    loader = f'''dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root={str(data)!r}))'''
    config = tmp_path / 'tensorboard_run.py'
    config.write_text(f'''_base_ = {TINY!r}
vis_backends = [
    dict(type='LocalVisBackend'),
    dict(type='TensorboardVisBackend')
]
visualizer = dict(vis_backends=vis_backends)
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=2),
    visualization=dict(draw=True, interval=1))
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root={str(data)!r}))
val_dataloader = {loader}
test_dataloader = {loader}
''')
    work_dir = tmp_path / 'work'
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['OMP_NUM_THREADS'] = '1'
    result = subprocess.run([
        sys.executable, 'tools/train.py',
        str(config), '--work-dir',
        str(work_dir)
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]

    events, = work_dir.glob('*/vis_data/events.out.tfevents.*')
    run = event_accumulator.EventAccumulator(
        str(events.parent), size_guidance={'images': 0, 'scalars': 0})
    run.Reload()
    tags = run.Tags()
    assert sorted(tags['images']) == sorted(
        f'val_{name}.png' for name in splits['val'])
    for tag in tags['images']:
        image, = run.Images(tag)
        assert image.step == 2
        # 48x80 enlarged 6 times: image | ground truth | prediction
        assert (image.height, image.width) == (20 + 288, 3 * 480 + 8)
    for scalar in ('loss', 'lr', 'mIoU', 'nIoU', 'Pd', 'Fa'):
        assert scalar in tags['scalars'], (scalar, tags['scalars'])
    assert [event.step for event in run.Scalars('loss')] == [1, 2]
    # the local backend got the same panels
    local = sorted(p.name for p in events.parent.glob('vis_image/*.png'))
    assert local == sorted(f'val_{name}.png_2.png' for name in splits['val'])
