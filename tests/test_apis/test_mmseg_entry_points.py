"""mmseg's own entry points on this project's configs.

``MMSegInferencer``, ``init_model`` + ``inference_model`` and
``show_result_pyplot`` (mmseg's ``demo/image_demo*.py``) run on the tiny
DATransNet and must give the masks that ``tools/infer.py`` writes. Every
config of ``configs/`` must have a test pipeline that mmseg's inferencers
accept and that reads images as the datasets do.
"""
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmseg.apis import (MMSegInferencer, inference_model, init_model,
                        show_result_pyplot)
from PIL import Image

from datransnet_mmseg.apis import IRSTDInferencer
from datransnet_mmseg.utils.synthetic_sirst import render_scene

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY = str(REPO_ROOT / 'tests' / 'test_apis' / 'data' / 'tiny_datransnet.py')


def scene(height, width, index):
    return render_scene(11, index, height, width)[0]


@pytest.fixture(scope='module')
def images(tmp_path_factory):
    """One image of each kind: 8-bit, 16-bit, BGR, palette, odd sizes."""
    folder = tmp_path_factory.mktemp('images')
    cv2.imwrite(str(folder / 'grey8.png'),
                np.round(scene(37, 53, 0) * 255).astype(np.uint8))
    cv2.imwrite(str(folder / 'grey16.png'),
                np.round(scene(64, 80, 1) * 65535).astype(np.uint16))
    cv2.imwrite(str(folder / 'bgr8.png'),
                np.dstack([np.round(scene(45, 70, 2) * 255)] * 3).astype(
                    np.uint8))
    Image.fromarray(np.round(scene(50, 64, 3) * 255).astype(
        np.uint8)).convert('P').save(folder / 'palette.png')
    return sorted(str(path) for path in folder.iterdir())


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory, images):
    """Tiny DATransNet, seeded weights, with the bias of ``conv_seg``
    shifted so that the head's threshold (0.5) cuts a probe image at its
    median probability: masks with many components, not all 0 or all 1."""
    torch.manual_seed(0)
    model = init_model(TINY, device='cpu')
    probe = inference_model(model, images[1]).seg_logits.data
    median = float(probe.median())
    with torch.no_grad():
        model.decode_head.conv_seg.bias -= float(
            np.log(median / (1 - median)))
    path = tmp_path_factory.mktemp('ckpt') / 'tiny.pth'
    meta = dict(dataset_meta=dict(
        classes=('background', 'target'), palette=[[0, 0, 0], [255] * 3]))
    torch.save(dict(state_dict=model.state_dict(), meta=meta), path)
    return str(path)


@pytest.fixture(scope='module')
def tool_masks(tmp_path_factory, images, checkpoint):
    """The masks written by tools/infer.py, {0, 1} per image name."""
    out = tmp_path_factory.mktemp('infer')
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['OMP_NUM_THREADS'] = '1'
    result = subprocess.run(
        [sys.executable, 'tools/infer.py', *images, TINY, checkpoint,
         '--out-dir', str(out), '--no-overlay'],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    masks = {}
    for path in images:
        name = Path(path).stem
        mask = cv2.imread(str(out / 'masks' / f'{name}.png'),
                          cv2.IMREAD_UNCHANGED)
        masks[name] = (mask == 255).astype(np.uint8)
    # not trivial: each mask holds targets and background
    assert all(0 < mask.mean() < 1 for mask in masks.values())
    return masks


def test_mmseg_inferencer_equals_infer_tool(images, checkpoint,
                                            tool_masks, tmp_path):
    inferencer = MMSegInferencer(
        model=TINY, weights=checkpoint, device='cpu')
    samples = inferencer(images, return_datasamples=True, batch_size=1)
    for path, sample in zip(images, samples):
        np.testing.assert_array_equal(
            sample.pred_sem_seg.data[0].numpy(), tool_masks[Path(path).stem])
    # the demo's way: masks and panels written to out_dir
    result = inferencer(images[0], out_dir=str(tmp_path / 'out'))
    np.testing.assert_array_equal(result['predictions'],
                                  tool_masks[Path(images[0]).stem])
    saved, = (tmp_path / 'out' / 'pred').iterdir()
    np.testing.assert_array_equal(
        np.array(Image.open(saved)), tool_masks[Path(images[0]).stem])
    # image | prediction panel of the project's visualizer: 45 x 70 is
    # enlarged 512 // 70 = 7 times, two tiles under a 20-pixel title bar
    assert Path(images[0]).name == 'bgr8.png'
    panel = cv2.imread(str(tmp_path / 'out' / 'vis' / 'bgr8.png'))
    assert panel.shape == (20 + 45 * 7, 2 * 70 * 7 + 4, 3)


def test_irstd_inferencer_call_is_mmseg_inferencers(images, checkpoint,
                                                    tool_masks):
    inferencer = IRSTDInferencer(TINY, checkpoint)
    assert isinstance(inferencer, MMSegInferencer)
    predictions = inferencer(images)['predictions']
    for path, mask in zip(images, predictions):
        np.testing.assert_array_equal(mask, tool_masks[Path(path).stem])


def test_init_model_inference_model_show_result(images, checkpoint,
                                                tool_masks, tmp_path):
    model = init_model(TINY, checkpoint, device='cpu')
    for path in images:
        sample = inference_model(model, path)
        np.testing.assert_array_equal(
            sample.pred_sem_seg.data[0].numpy(), tool_masks[Path(path).stem])
    # an array as cv2 reads it (16-bit kept)
    array = cv2.imread(images[1], cv2.IMREAD_UNCHANGED)
    sample = inference_model(model, array)
    np.testing.assert_array_equal(sample.pred_sem_seg.data[0].numpy(),
                                  tool_masks[Path(images[1]).stem])
    out_file = tmp_path / 'shown.png'
    drawn = show_result_pyplot(
        model, images[1], sample, show=False, out_file=str(out_file))
    assert drawn.shape == (64, 80, 3) and out_file.is_file()


def leaf_configs():
    return sorted(
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / 'configs').rglob('*.py')
        if '_base_' not in path.parts)


def test_every_config_suits_mmseg_inferencers(images):
    """mmseg's inferencers find their loader in every config, and their
    pipeline reads an image exactly as the config's dataset pipeline."""
    init_default_scope('mmseg')
    import datransnet_mmseg  # noqa: F401
    configs = leaf_configs()
    assert len(configs) > 20
    path = images[1]  # 16-bit
    for name in configs:
        cfg = Config.fromfile(str(REPO_ROOT / name))
        # inference_model: cfg.test_pipeline, first step swapped for arrays
        assert cfg.test_pipeline[0].type == 'LoadImageFromFile', name
        dataset = cfg.test_dataloader.dataset
        parts = dataset.get('datasets', [dataset])
        reference = Compose(parts[0].pipeline)(dict(img_path=path))
        if 'pipeline' in dataset:
            # MMSegInferencer's own pipeline construction
            loader = MMSegInferencer._init_pipeline(
                MMSegInferencer.__new__(MMSegInferencer), cfg.copy())
        else:  # a concatenated test set: IRSTDInferencer handles it
            loader = IRSTDInferencer._init_pipeline(
                IRSTDInferencer.__new__(IRSTDInferencer), cfg.copy())
        data = loader(path)
        assert torch.equal(data['inputs'], reference['inputs']), name
