"""tools/test.py --show-dir: one comparison panel per test image.

mmseg's meaning: the panels of mmseg's SegVisualizationHook, drawn by the
project's visualizer, go to its backends with ``--show-dir`` as the
visualizer's ``save_dir``; a relative folder is inside the work dir.
"""
import os
import subprocess
import sys
from pathlib import Path

import cv2
import torch
from mmseg.apis import init_model

from datransnet_mmseg.utils.synthetic_sirst import write_dataset
from datransnet_mmseg.visualization.irstd_drawing import (HIT_COLOUR,
                                                          MISS_COLOUR)

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY = str(REPO_ROOT / 'tests' / 'test_apis' / 'data' / 'tiny_datransnet.py')


def test_show_dir_writes_one_panel_per_image(tmp_path):
    data = tmp_path / 'data'
    splits = write_dataset(
        str(data), num_train=1, num_val=1, num_test=4, height=48, width=80)
    torch.manual_seed(0)
    checkpoint = tmp_path / 'tiny.pth'
    torch.save(
        dict(state_dict=init_model(TINY, device='cpu').state_dict()),
        checkpoint)
    work_dir = tmp_path / 'work'
    options = [
        f'test_dataloader.dataset.data_root={data}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
    ]
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['OMP_NUM_THREADS'] = '1'
    result = subprocess.run([
        sys.executable, 'tools/test.py', TINY,
        str(checkpoint), '--work-dir',
        str(work_dir), '--show-dir', 'panels', '--cfg-options', *options
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (REPO_ROOT / 'panels').exists()  # not in the current dir

    show_dir = work_dir / 'panels' / 'vis_data' / 'vis_image'
    # the local backend's names: <hook's name>_<step>.png
    assert sorted(p.name for p in show_dir.iterdir()) == sorted(
        f'test_{name}.png_0.png' for name in splits['test'])
    for name in splits['test']:
        panel = cv2.imread(str(show_dir / f'test_{name}.png_0.png'))
        # 48x80 images are enlarged 512 // 80 = 6 times: three 288x480
        # tiles under a 20-pixel title bar, 4-pixel gaps
        assert panel.shape == (20 + 288, 3 * 480 + 8, 3)
        gt = cv2.imread(str(data / 'masks' / f'{name}.png'), 0) > 127
        truth_tile = panel[20:, 484:964]
        truth_pixels = truth_tile[::6, ::6][gt]
        # every true target pixel is painted as a hit or a miss
        is_hit = (truth_pixels == HIT_COLOUR).all(axis=1)
        is_miss = (truth_pixels == MISS_COLOUR).all(axis=1)
        assert (is_hit | is_miss).all()
        # and nothing else: the other pixels stay grey
        others = truth_tile[::6, ::6][~gt].astype(int)
        assert (others.max(axis=1) == others.min(axis=1)).all()
