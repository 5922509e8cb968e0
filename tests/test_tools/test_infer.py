"""tools/infer.py end to end: folder and list inputs, a broken image."""
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmseg.apis import init_model
from scipy import ndimage

from datransnet_mmseg.apis import IRSTDInferencer
from datransnet_mmseg.utils.synthetic_sirst import render_scene

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY = str(REPO_ROOT / 'tests' / 'test_apis' / 'data' / 'tiny_datransnet.py')


def tiny_checkpoint(path):
    """Save the tiny DATransNet with seeded random weights."""
    torch.manual_seed(0)
    model = init_model(TINY, device='cpu')
    meta = dict(dataset_meta=dict(classes=('background', 'target')))
    torch.save(dict(state_dict=model.state_dict(), meta=meta), path)
    return str(path)


def write(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), array)
    return array.shape[:2]


@pytest.fixture
def single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_infer_tool(tmp_path, single_thread):

    def scene(height, width, index):
        return render_scene(5, index, height, width)[0]

    shapes = {
        'imgs/a': write(tmp_path / 'imgs/a.png',
                        np.round(scene(37, 53, 0) * 255).astype(np.uint8)),
        'imgs/b': write(tmp_path / 'imgs/b.png',
                        np.round(scene(70, 45, 1) * 65535).astype(np.uint16)),
        'extra/c': write(tmp_path / 'extra/c.png',
                         np.dstack([np.round(scene(64, 64, 2) * 255)] *
                                   3).astype(np.uint8)),
    }
    (tmp_path / 'imgs/broken.png').write_bytes(b'\x89PNG truncated')
    (tmp_path / 'list.txt').write_text('extra/c.png\n')
    checkpoint = tiny_checkpoint(tmp_path / 'tiny.pth')
    probe = next(IRSTDInferencer(TINY, checkpoint).detect(
        str(tmp_path / 'extra/c.png')))
    threshold = float(np.median(probe.prob))

    out = tmp_path / 'out'
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['OMP_NUM_THREADS'] = '1'
    result = subprocess.run([
        sys.executable, 'tools/infer.py',
        str(tmp_path / 'imgs'),
        str(tmp_path / 'list.txt'), TINY, checkpoint, '--out-dir',
        str(out), '--threshold',
        repr(threshold), '--batch-size', '2', '--save-prob', 'png'
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=300)
    # the broken image is reported by name, the others are done
    assert result.returncode == 1, result.stderr[-3000:]
    assert 'broken.png' in result.stdout and '3 images' in result.stdout

    summary = json.loads((out / 'targets.json').read_text())
    assert summary['num_images'] == 3 and summary['num_failed'] == 1
    assert summary['failed'][0]['image'].endswith('broken.png')
    assert summary['threshold'] == threshold
    # input order: the folder, sorted, then the list
    assert [image['name'] for image in summary['images']] == [
        os.path.join(*name.split('/')) for name in shapes
    ]
    num_targets = 0
    for image in summary['images']:
        name = image['name']
        mask = cv2.imread(str(out / 'masks' / f'{name}.png'),
                          cv2.IMREAD_UNCHANGED)
        prob = cv2.imread(str(out / 'probs' / f'{name}.png'),
                          cv2.IMREAD_UNCHANGED) / 65535.
        assert mask.shape == prob.shape == shapes[name.replace(os.sep, '/')]
        assert (out / 'overlays' / f'{name}.png').is_file()
        # the table against scipy's labelling of the saved mask
        labels, count = ndimage.label(mask == 255, np.ones((3, 3)))
        expected = {}
        for label, (rows, cols) in enumerate(
                ndimage.find_objects(labels), start=1):
            ys, xs = np.nonzero(labels[rows, cols] == label)
            key = (cols.start, rows.start, cols.stop - cols.start,
                   rows.stop - rows.start, ys.size)
            expected[key] = (xs.mean() + cols.start, ys.mean() + rows.start,
                             prob[rows, cols][ys, xs].max())
        assert image['num_targets'] == len(expected) == count
        assert [t['id'] for t in image['targets']] == list(
            range(1, count + 1))
        for target in image['targets']:
            centroid_x, centroid_y, peak = expected.pop(
                (target['bbox_x'], target['bbox_y'], target['bbox_width'],
                 target['bbox_height'], target['area']))
            assert abs(target['centroid_x'] - centroid_x) < 1e-3
            assert abs(target['centroid_y'] - centroid_y) < 1e-3
            assert abs(target['peak_score'] - peak) < 1e-4
        num_targets += count
    assert num_targets > 5
    csv_rows = (out / 'targets.csv').read_text().splitlines()
    assert len(csv_rows) == 1 + num_targets


def test_infer_tool_needs_a_checkpoint(tmp_path):
    """Random weights only on request: without a checkpoint it refuses."""
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    result = subprocess.run([
        sys.executable, 'tools/infer.py', 'frame.png', TINY, '--out-dir',
        str(tmp_path / 'out')
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 2
    assert '--random-weights' in result.stderr
    assert not (tmp_path / 'out').exists()
