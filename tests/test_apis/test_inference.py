"""IRSTDInferencer and IRSTDResultWriter against independent expectations.

A small DATransNet with random (seeded) weights keeps each forward pass
cheap. Its probabilities are nearly constant, so masks are cut at the
median probability of a probe image: many irregular components, a hard
case for the target table, which is checked against scipy's labelling.
"""
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmseg.apis import inference_model, init_model
from PIL import Image
from scipy import ndimage

from datransnet_mmseg.apis import IRSTDInferencer, IRSTDResultWriter
from datransnet_mmseg.utils.synthetic_sirst import render_scene

TINY = str(Path(__file__).parent / 'data' / 'tiny_datransnet.py')


def scene(height, width, index=0):
    """A synthetic infrared scene in [0, 1]."""
    return render_scene(3, index, height, width)[0]


def write_formats(folder):
    """Images of odd sizes in every supported format; name -> (H, W)."""

    def grey8(height, width, index):
        return np.round(scene(height, width, index) * 255).astype(np.uint8)

    def grey16(height, width, index):
        return np.round(scene(height, width, index) * 65535).astype(
            np.uint16)

    arrays = {
        'grey8.png': grey8(37, 53, 0),
        'grey16.png': grey16(250, 333, 1),
        'rgb8.png': np.dstack([grey8(61, 47, 2)] * 3),
        'rgba8.png': np.dstack([grey8(45, 70, 3)] * 3 +
                               [np.full((45, 70), 200, np.uint8)]),
        'rgb16.png': np.dstack([grey16(40, 96, 4)] * 3),
        'grey8_bmp.bmp': grey8(33, 31, 5),
    }
    for name, array in arrays.items():
        cv2.imwrite(str(folder / name), array)
    Image.fromarray(grey8(50, 64, 6)).convert('P').save(folder /
                                                        'palette.png')
    shapes = {name: array.shape[:2] for name, array in arrays.items()}
    shapes['palette.png'] = (50, 64)
    return shapes


def expected_targets(mask, prob):
    """Target records computed with scipy.ndimage, in raster order."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    index = np.arange(1, count + 1)
    # order by the first pixel in raster order, as the metric orders them
    first = ndimage.minimum(
        np.arange(mask.size).reshape(mask.shape), labels, index)
    records = []
    for label in index[np.argsort(first)]:
        rows, cols = np.nonzero(labels == label)
        records.append(
            dict(
                centroid_x=cols.mean(),
                centroid_y=rows.mean(),
                bbox_x=cols.min(),
                bbox_y=rows.min(),
                bbox_width=cols.max() - cols.min() + 1,
                bbox_height=rows.max() - rows.min() + 1,
                area=rows.size,
                peak_score=prob[rows, cols].max(),
                mean_score=prob[rows, cols].mean()))
    return records


def assert_targets_match(records, mask, prob):
    expected = expected_targets(mask, prob)
    assert len(records) == len(expected)
    for k, (got, want) in enumerate(zip(records, expected)):
        assert got['id'] == k + 1
        for key in ('bbox_x', 'bbox_y', 'bbox_width', 'bbox_height',
                    'area'):
            assert got[key] == want[key], (k, key)
        for key, tol in (('centroid_x', 1e-3), ('centroid_y', 1e-3),
                         ('peak_score', 1e-6), ('mean_score', 1e-6)):
            assert abs(got[key] - want[key]) <= tol, (k, key)


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    """A checkpoint of the tiny model with seeded random weights."""
    torch.manual_seed(0)
    model = init_model(TINY, device='cpu')
    path = tmp_path_factory.mktemp('ckpt') / 'tiny.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return str(path)


@pytest.fixture(scope='module')
def threshold(checkpoint, tmp_path_factory):
    """The median probability of a probe image."""
    probe = tmp_path_factory.mktemp('probe') / 'probe.png'
    cv2.imwrite(str(probe), np.round(scene(64, 64, 9) * 255).astype(
        np.uint8))
    result = next(IRSTDInferencer(TINY, checkpoint).detect(str(probe)))
    return float(np.median(result.prob))


def test_formats_sizes_and_target_table(checkpoint, threshold, tmp_path):
    shapes = write_formats(tmp_path)
    paths = sorted(str(tmp_path / name) for name in shapes)
    inferencer = IRSTDInferencer(TINY, checkpoint, threshold=threshold)
    writer = IRSTDResultWriter(
        str(tmp_path / 'out'), paths, save_prob='npy')
    results = {}
    for result in inferencer.detect(paths, batch_size=2):
        assert result.error is None, result.error
        writer.write(result)
        results[Path(result.path).name] = result
    summary = writer.close()

    assert set(results) == set(shapes)
    saved = json.loads((tmp_path / 'out' / 'targets.json').read_text())
    assert saved == json.loads(json.dumps(summary))
    assert [Path(i['image']).name for i in saved['images']] == [
        Path(p).name for p in paths
    ]
    total = 0
    for entry in saved['images']:
        name = entry['name']
        height, width = shapes[Path(entry['image']).name]
        assert (entry['height'], entry['width']) == (height, width)
        mask = cv2.imread(
            str(tmp_path / 'out' / 'masks' / f'{name}.png'),
            cv2.IMREAD_UNCHANGED)
        prob = np.load(tmp_path / 'out' / 'probs' / f'{name}.npy')
        assert mask.shape == prob.shape == (height, width)
        assert mask.dtype == np.uint8 and set(np.unique(mask)) <= {0, 255}
        np.testing.assert_array_equal(mask == 255, prob > threshold)
        assert_targets_match(entry['targets'], mask == 255, prob)
        overlay = cv2.imread(
            str(tmp_path / 'out' / 'overlays' / f'{name}.png'))
        assert overlay.shape[0] >= height and overlay.shape[1] >= width
        total += len(entry['targets'])
    assert total > 50  # the median cut gives many components

    rows = (tmp_path / 'out' / 'targets.csv').read_text().splitlines()
    assert len(rows) == 1 + total


def test_batching_does_not_change_results(checkpoint, tmp_path):
    for index, (height, width) in enumerate([(40, 72), (70, 50), (40, 72),
                                             (40, 72)]):
        cv2.imwrite(
            str(tmp_path / f'{index}.png'),
            np.round(scene(height, width, index) * 255).astype(np.uint8))
    paths = [str(tmp_path / f'{index}.png') for index in range(4)]
    inferencer = IRSTDInferencer(TINY, checkpoint)
    single = {r.index: r.prob for r in inferencer.detect(paths, batch_size=1)}
    batched = list(inferencer.detect(paths, batch_size=2))
    # the two 40x72 images 0 and 2 make a batch; 70x50 and the last 40x72
    # image wait for the end
    assert [r.index for r in batched] == [0, 2, 1, 3]
    for result in batched:
        np.testing.assert_allclose(
            result.prob, single[result.index], atol=1e-6)


def test_unreadable_images_are_reported(checkpoint, tmp_path):
    good = tmp_path / 'good.png'
    cv2.imwrite(str(good), np.zeros((32, 32), np.uint8))
    (tmp_path / 'empty.png').write_bytes(b'')
    (tmp_path / 'text.png').write_text('not an image')
    names = ('empty.png', 'good.png', 'text.png', 'gone.png')
    paths = [str(tmp_path / name) for name in names]
    results = {
        Path(r.path).name: r
        for r in IRSTDInferencer(TINY, checkpoint).detect(paths)
    }
    assert results['good.png'].error is None
    for name in ('empty.png', 'text.png', 'gone.png'):
        assert name in results[name].error and results[name].mask is None


def test_slide_equals_whole_on_one_window(checkpoint, tmp_path):
    path = str(tmp_path / 'frame.png')
    cv2.imwrite(path, np.round(scene(64, 64) * 65535).astype(np.uint16))
    whole = next(IRSTDInferencer(TINY, checkpoint, mode='whole').detect(path))
    # crop_size defaults to the training size, model.neck.img_size = 64
    slide = next(IRSTDInferencer(TINY, checkpoint, mode='slide').detect(path))
    np.testing.assert_allclose(slide.prob, whole.prob, atol=1e-6)


def test_slide_is_whole_per_window_on_odd_size(checkpoint, tmp_path):
    """120x180 pads to 128x192: six disjoint 64x64 windows.

    Each window, also those holding the bottom and right padding, must
    equal the whole-image prediction of that part of the frame saved as an
    image of its own (which the preprocessor pads the same way).
    """
    frame = np.round(scene(120, 180) * 65535).astype(np.uint16)
    cv2.imwrite(str(tmp_path / 'frame.png'), frame)
    slide = next(
        IRSTDInferencer(
            TINY, checkpoint, mode='slide', crop_size=64,
            stride=64).detect(str(tmp_path / 'frame.png')))
    assert slide.prob.shape == (120, 180)
    tiles = []
    for top in range(0, 120, 64):
        for left in range(0, 180, 64):
            path = str(tmp_path / f'tile_{top}_{left}.png')
            cv2.imwrite(path, frame[top:top + 64, left:left + 64])
            tiles.append((top, left, path))
    whole = IRSTDInferencer(TINY, checkpoint, mode='whole')
    stitched = np.full((120, 180), np.nan, np.float32)
    results = whole.detect([t[2] for t in tiles])
    for (top, left, _), result in zip(tiles, results):
        height, width = result.prob.shape
        stitched[top:top + height, left:left + width] = result.prob
    np.testing.assert_allclose(slide.prob, stitched, atol=1e-5)


def test_large_frame_sliding_window(checkpoint, threshold, tmp_path):
    path = str(tmp_path / 'frame.png')
    cv2.imwrite(path, np.round(scene(1024, 1280) * 255).astype(np.uint8))
    inferencer = IRSTDInferencer(
        TINY,
        checkpoint,
        mode='slide',
        crop_size=256,
        stride=256,
        threshold=threshold)
    result = next(inferencer.detect(path))
    assert result.prob.shape == result.mask.shape == (1024, 1280)
    assert len(result.targets) > 0
    assert_targets_match(result.targets, result.mask, result.prob)


def test_bad_settings(checkpoint):
    with pytest.raises(ValueError, match='multiple of 32'):
        IRSTDInferencer(TINY, checkpoint, mode='slide', crop_size=100)
    with pytest.raises(ValueError, match='stride'):
        IRSTDInferencer(
            TINY, checkpoint, mode='slide', crop_size=64, stride=65)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        IRSTDInferencer(TINY, 'missing.pth')
    with pytest.warns(UserWarning, match='random initial weights'):
        IRSTDInferencer(TINY)


def test_mmseg_init_model_and_inference_model(checkpoint, tmp_path):
    path = str(tmp_path / 'img.png')
    cv2.imwrite(path, np.round(scene(45, 70) * 65535).astype(np.uint16))
    ours = next(IRSTDInferencer(TINY, checkpoint).detect(path))

    model = init_model(TINY, checkpoint, device='cpu')
    # mmseg's own path, with the config's test pipeline as it is
    sample = inference_model(model, path)
    np.testing.assert_allclose(
        sample.seg_logits.data[0].numpy(), ours.prob, atol=1e-6)
    np.testing.assert_array_equal(
        sample.pred_sem_seg.data[0].numpy() == 1,
        ours.prob > model.decode_head.threshold)
    # an array input: the grey image in the 0..255 scale
    sample = inference_model(model, ours.img)
    np.testing.assert_allclose(
        sample.seg_logits.data[0].numpy(), ours.prob, atol=1e-6)


def test_sirst_v1_modes(shared, checkpoint):
    """One real SIRST v1 image of each PNG mode keeps its size."""
    folder = shared('data', 'sirst-v1', 'images')
    picked = {}
    for path in sorted(folder.iterdir()):
        with Image.open(path) as image:
            picked.setdefault(image.mode, (str(path), image.size[::-1]))
    assert {'L', 'RGB', 'RGBA', 'P'} <= set(picked)
    paths = [path for path, _ in picked.values()]
    for result in IRSTDInferencer(TINY, checkpoint).detect(paths):
        assert result.error is None
        assert result.mask.shape == picked_shape(picked, result.path)


def picked_shape(picked, path):
    return next(shape for p, shape in picked.values() if p == path)
