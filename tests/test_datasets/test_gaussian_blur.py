"""RandomGaussianBlur on hand-made arrays."""
import math

import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import TRANSFORMS

from datransnet_mmseg.datasets.transforms.gaussian_blur import \
    RandomGaussianBlur


def _impulse(size=21):
    img = np.zeros((size, size), np.float32)
    img[size // 2, size // 2] = 1
    mask = (img > 0).astype(np.uint8)
    return dict(img=img, gt_seg_map=mask, seg_fields=['gt_seg_map'])


def test_blur_of_an_impulse_is_the_normalised_gaussian():
    sigma = 1.0
    results = RandomGaussianBlur(prob=1., sigma_range=(sigma, sigma))(
        _impulse())
    # the sampled kernel of OpenCV for float images: 8 sigma + 1 taps
    taps = np.arange(-4, 5)
    kernel = np.exp(-taps**2 / (2 * sigma**2))
    kernel /= kernel.sum()
    expected = np.zeros((21, 21))
    expected[6:15, 6:15] = np.outer(kernel, kernel)
    np.testing.assert_allclose(results['img'], expected, atol=1e-6)
    assert math.isclose(results['img'].sum(), 1, abs_tol=1e-5)
    assert results['gt_seg_map'].sum() == 1  # masks are not blurred


def test_probability_and_range():
    blur = RandomGaussianBlur(prob=0.5, sigma_range=(0.5, 1.))
    np.random.seed(0)
    blurred = 0
    for _ in range(400):
        results = blur(_impulse(9))
        if results['img'][4, 4] < 1:
            blurred += 1
            # sigma >= 0.5 spreads at least 6% of the mass to each neighbour
            assert results['img'][4, 3] > 0.06
    assert 160 < blurred < 240
    unchanged = RandomGaussianBlur(prob=0.)(_impulse(9))
    assert unchanged['img'][4, 4] == 1


@pytest.mark.parametrize(
    'kwargs', [dict(prob=1.5), dict(sigma_range=(1., 0.5)),
               dict(sigma_range=(-1., 1.))])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        RandomGaussianBlur(**kwargs)


def test_registered():
    init_default_scope('mmseg')
    blur = TRANSFORMS.build(dict(type='RandomGaussianBlur', prob=0.5))
    assert isinstance(blur, RandomGaussianBlur)
