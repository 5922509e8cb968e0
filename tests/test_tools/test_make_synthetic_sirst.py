"""The synthetic SIRST generator: layout, determinism, bit depth, content.

The content checks measure what the generator promises in its docstring
(dim targets of 1 to about 10 px with a signal-to-clutter ratio of a few,
0 to several per image, some target-free images, cluttered backgrounds) on
the rendered images, independently of how they were drawn.
"""
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from datransnet_mmseg.utils.synthetic_sirst import (BACKGROUNDS, SPLIT_NAME,
                                                    render_scene,
                                                    write_dataset)


def _generate(tools, out_dir, *options):
    tools.run('dataset_converters/make_synthetic_sirst.py', out_dir,
              '--num-train', 5, '--num-val', 2, '--num-test', 3, '--height',
              40, '--width', 56, *options)
    return out_dir


def _read(path):
    return cv2.imread(str(path), cv2.IMREAD_UNCHANGED)


def test_cli_writes_the_basicirstd_layout(tools, tmp_path):
    root = _generate(tools, tmp_path / 'synth', '--seed', 3)
    splits = {
        split: (root / 'img_idx' /
                f'{split}_{SPLIT_NAME}.txt').read_text().split()
        for split in ('train', 'val', 'test', 'trainval')
    }
    assert [len(splits[s]) for s in ('train', 'val', 'test')] == [5, 2, 3]
    assert splits['trainval'] == splits['train'] + splits['val']
    names = splits['train'] + splits['val'] + splits['test']
    assert len(set(names)) == 10
    assert sorted(p.stem for p in (root / 'images').iterdir()) == sorted(names)
    for name in names:
        image, mask = _read(root / 'images' / f'{name}.png'), _read(
            root / 'masks' / f'{name}.png')
        assert image.shape == mask.shape == (40, 56)
        assert image.dtype == mask.dtype == np.uint8
        assert set(np.unique(mask)) <= {0, 255}

    init_default_scope('mmseg')
    dataset = DATASETS.build(
        dict(
            type='SIRSTDataset',
            data_root=str(root),
            dataset_name=SPLIT_NAME,
            split='test',
            pipeline=[
                dict(
                    type='LoadImageFromFile',
                    color_type='unchanged',
                    imdecode_backend='cv2'),
                dict(type='IRImageToGrey'),
                dict(type='LoadBinaryAnnotations'),
                dict(type='PackSegInputs')
            ]))
    assert len(dataset) == 3
    sample = dataset[0]['data_samples']
    assert set(sample.gt_sem_seg.data.unique().tolist()) <= {0, 1}


def test_same_seed_same_files_other_seed_other_images(tools, tmp_path):
    first = _generate(tools, tmp_path / 'a', '--seed', 7)
    again = _generate(tools, tmp_path / 'b', '--seed', 7)
    other = _generate(tools, tmp_path / 'c', '--seed', 8)
    files = sorted(p.relative_to(first) for p in first.rglob('*.*'))
    assert files == sorted(p.relative_to(again) for p in again.rglob('*.*'))
    for path in files:
        assert (first / path).read_bytes() == (again / path).read_bytes()
    changed = [
        not np.array_equal(_read(first / path), _read(other / path))
        for path in files if path.parts[0] == 'images'
    ]
    assert all(changed)


def test_an_image_depends_on_seed_and_index_only(tmp_path):
    # the image of index 12 does not depend on the images before it
    splits = write_dataset(
        str(tmp_path), num_train=13, num_val=0, num_test=0, height=32,
        width=32, seed=4)
    image, mask, _ = render_scene(4, 12, 32, 32)
    written = _read(tmp_path / 'images' / f'{splits["train"][12]}.png')
    assert np.array_equal(written, np.round(image * 255).astype(np.uint8))
    assert np.array_equal(
        _read(tmp_path / 'masks' / f'{splits["train"][12]}.png'),
        mask.astype(np.uint8) * 255)


def test_16bit_images_match_the_8bit_ones(tools, tmp_path):
    eight = _generate(tools, tmp_path / 'u8', '--seed', 1)
    sixteen = _generate(tools, tmp_path / 'u16', '--seed', 1, '--bit-depth',
                        16)
    for path in sorted((eight / 'images').iterdir()):
        image8, image16 = _read(path), _read(sixteen / 'images' / path.name)
        assert image16.dtype == np.uint16
        # same scene: 16-bit / 257 rounds to the 8-bit value
        assert np.abs(image16 / 257 - image8.astype(float)).max() <= 0.51
        # and the 16-bit file holds finer levels than 8 bits can
        assert np.count_nonzero(image16 % 257) > image16.size // 2
        assert (_read(sixteen / 'masks' / path.name) == _read(
            eight / 'masks' / path.name)).all()


def test_bad_arguments(tools, tmp_path):
    result = tools.run(
        'dataset_converters/make_synthetic_sirst.py',
        tmp_path,
        '--bit-depth',
        12,
        expect_success=False)
    assert result.returncode != 0 and '--bit-depth' in result.stderr
    with pytest.raises(ValueError, match='bit_depth must be 8 or 16'):
        write_dataset(str(tmp_path), bit_depth=12)
    with pytest.raises(ValueError, match='Unknown background'):
        render_scene(0, 0, background='desert')


def _signal_to_clutter(image, component, mask):
    """(peak - mean) / std of the background 5 to 12 px around a target."""
    def grown(radius):
        kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
        return cv2.dilate(component.astype(np.uint8), kernel).astype(bool)

    around = image[grown(12) & ~grown(4) & ~mask]
    return (image[component].max() - around.mean()) / around.std()


def test_scene_content():
    counts, widths, scr = [], [], []
    for index in range(80):
        image, mask, targets = render_scene(11, index, 96, 96)
        num, labels = cv2.connectedComponents(
            mask.astype(np.uint8), connectivity=8)
        # targets are at least 12 px apart: one mask component each
        assert num - 1 == len(targets)
        counts.append(len(targets))
        for target in targets:
            label = labels[int(round(target.row)), int(round(target.col))]
            assert label > 0, 'the mask holds the target centre'
            component = labels == label
            rows, cols = np.nonzero(component)
            widths.append(max(np.ptp(rows), np.ptp(cols)) + 1)
            scr.append(_signal_to_clutter(image, component, mask))
    counts = np.array(counts)
    # 15% target-free images by default, 1 to 4 targets otherwise
    assert 0.05 < np.mean(counts == 0) < 0.3
    assert counts.max() == 4 and np.count_nonzero(counts >= 2) > 20
    # point targets of 1-3 px and extended ones up to about 10 px
    assert min(widths) == 1 and 8 <= max(widths) <= 12
    assert np.mean(np.array(widths) <= 3) > 0.4
    # dim: the peak stands a few clutter standard deviations above the
    # local background (measured: 5th percentile 1.4, median 3.7, 95th 7.3)
    low, median, high = np.percentile(scr, [5, 50, 95])
    assert low > 1 and 2 < median < 6 and high < 10


def _clutter_to_noise(image):
    """Std of the smoothed image beyond a quadratic trend (the vignetting),
    over the std of the pixel-scale noise."""
    height, width = image.shape
    rows, cols = np.mgrid[0:height, 0:width]
    rows, cols = rows / height - 0.5, cols / width - 0.5
    trend = np.stack(
        [np.ones_like(rows), rows, cols, rows * rows, cols * cols,
         rows * cols], -1).reshape(-1, 6)
    smooth = cv2.GaussianBlur(image, (0, 0), 3).reshape(-1)
    coef = np.linalg.lstsq(trend, smooth, rcond=None)[0]
    noise = image - cv2.GaussianBlur(image, (0, 0), 1)
    return (smooth - trend @ coef).std() / noise.std()


@pytest.mark.parametrize('background', BACKGROUNDS)
def test_backgrounds_are_cluttered(background):
    ratios = []
    for index in range(12):
        image, mask, _ = render_scene(
            5, index, 96, 96, empty_fraction=1.0, background=background)
        assert not mask.any()
        assert 0 <= image.min() and image.max() <= 1
        ratios.append(_clutter_to_noise(image))
    # a flat background with the same sensor effects measures 0.14-0.33
    # (mean 0.23); the 1/f texture, the finest clutter, 0.36-1.0
    assert np.mean(ratios) > 0.45, background
