"""RandomTargetCrop and RandomRotate90 on hand-made arrays."""
import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import TRANSFORMS

from datransnet_mmseg.datasets import RandomRotate90, RandomTargetCrop


def _sample(height=40, width=60, targets=((30, 50), )):
    """An image whose pixel values encode their position, and a mask."""
    img = np.arange(height * width, dtype=np.float32).reshape(height, width)
    mask = np.zeros((height, width), np.uint8)
    for row, col in targets:
        mask[row, col] = 1
    return dict(
        img=img,
        gt_seg_map=mask,
        seg_fields=['gt_seg_map'],
        img_shape=(height, width))


def test_target_crop_window_always_holds_the_target():
    crop = RandomTargetCrop(crop_size=(8, 10), target_prob=1.0)
    np.random.seed(0)
    tops, lefts = set(), set()
    for _ in range(200):
        sample = _sample()
        res = crop(sample)
        assert res['img'].shape == (8, 10) and res['img_shape'] == (8, 10)
        assert res['gt_seg_map'].shape == (8, 10)
        assert res['gt_seg_map'].sum() == 1
        # the image window is the mask window: pixel values give positions
        top, left = divmod(int(res['img'][0, 0]), 60)
        np.testing.assert_array_equal(
            res['img'],
            np.arange(40 * 60).reshape(40, 60)[top:top + 8, left:left + 10])
        assert top <= 30 < top + 8 and left <= 50 < left + 10
        tops.add(top)
        lefts.add(left)
    # every window holding (30, 50) inside the image is possible
    assert tops == set(range(23, 31))
    assert lefts == set(range(41, 51))


def test_target_crop_without_target_or_probability_is_uniform():
    np.random.seed(1)
    crop = RandomTargetCrop(crop_size=8, target_prob=0.0)
    tops = {int(crop(_sample())['img'][0, 0]) // 60 for _ in range(300)}
    assert tops == set(range(0, 40 - 8 + 1))
    crop = RandomTargetCrop(crop_size=8, target_prob=1.0)
    tops = {
        int(crop(_sample(targets=()))['img'][0, 0]) // 60
        for _ in range(300)
    }
    assert tops == set(range(0, 40 - 8 + 1))


def test_target_crop_keeps_short_sides_whole():
    np.random.seed(2)
    res = RandomTargetCrop(crop_size=(256, 16))(_sample(height=40, width=60))
    assert res['img'].shape == (40, 16)
    assert res['gt_seg_map'].sum() == 1


def test_target_crop_target_probability():
    np.random.seed(3)
    crop = RandomTargetCrop(crop_size=10, target_prob=0.5)
    # a target in a corner: a uniform 10x10 window out of 40x60 holds it
    # with probability 1/31 * 1/51
    hits = sum(
        crop(_sample(targets=((0, 0), )))['gt_seg_map'].sum()
        for _ in range(2000))
    assert 900 < hits < 1100


@pytest.mark.parametrize('kwargs', [
    dict(crop_size=0),
    dict(crop_size=(4, 4, 4)),
    dict(crop_size=4, target_prob=1.5)
])
def test_target_crop_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        RandomTargetCrop(**kwargs)


def test_rotate90_turns_image_and_masks_together():
    np.random.seed(0)
    rotate = RandomRotate90(prob=1.0)
    seen = set()
    for _ in range(60):
        sample = _sample(height=4, width=6, targets=((0, 5), ))
        img = sample['img'].copy()
        res = rotate(sample)
        turns = [
            k for k in (1, 2, 3)
            if np.rot90(img, k).shape == res['img'].shape
            and np.array_equal(np.rot90(img, k), res['img'])
        ]
        assert len(turns) == 1
        seen.add(turns[0])
        mask = np.zeros((4, 6), np.uint8)
        mask[0, 5] = 1
        np.testing.assert_array_equal(res['gt_seg_map'],
                                      np.rot90(mask, turns[0]))
        assert res['img_shape'] == res['img'].shape
        assert res['img'].flags['C_CONTIGUOUS']
    assert seen == {1, 2, 3}


def test_rotate90_probability():
    np.random.seed(4)
    rotate = RandomRotate90(prob=0.75)
    kept = sum(
        np.array_equal(rotate(_sample())['img'],
                       _sample()['img']) for _ in range(2000))
    assert 420 < kept < 580
    with pytest.raises(ValueError):
        RandomRotate90(prob=-0.1)


def test_registered_and_usable_from_config():
    init_default_scope('mmseg')
    crop = TRANSFORMS.build(dict(type='RandomTargetCrop', crop_size=16))
    rotate = TRANSFORMS.build(dict(type='RandomRotate90', prob=1.0))
    assert isinstance(crop, RandomTargetCrop)
    assert isinstance(rotate, RandomRotate90)
    assert 'crop_size=(16, 16)' in repr(crop)
