"""Connected targets against scikit-image, the reference code's labeller."""
import os

import numpy as np
import pytest
from scipy import ndimage

from datransnet_mmseg.evaluation.functional import find_targets, label_pixels

try:
    from skimage import measure
except ImportError:  # installed with pyirstdmetrics: required in CI
    if os.environ.get('CI') == 'true':
        raise
    pytest.skip('scikit-image is not installed', allow_module_level=True)


@pytest.mark.parametrize('connectivity', [8, 4])
@pytest.mark.parametrize('density', [0.01, 0.1, 0.5])
def test_areas_centroids_and_order_match_skimage(connectivity, density):
    rng = np.random.default_rng(int(density * 100) + connectivity)
    for _ in range(30):
        shape = tuple(rng.integers(1, 60, size=2))
        binary = rng.random(shape) < density
        ours = find_targets(binary, connectivity)
        props = measure.regionprops(
            measure.label(binary, connectivity=connectivity // 4))
        # same components, same (raster) order, bit-identical centroids
        assert ours.areas.tolist() == [p.area for p in props]
        np.testing.assert_array_equal(
            ours.centroids,
            np.array([p.centroid for p in props]).reshape(-1, 2))


def test_empty_and_full_maps():
    assert len(find_targets(np.zeros((5, 7), bool)).areas) == 0
    full = find_targets(np.ones((5, 7), bool))
    assert full.areas.tolist() == [35]
    assert full.centroids.tolist() == [[2., 3.]]


@pytest.mark.parametrize('connectivity', [8, 4])
def test_pixel_labels_match_scipy(connectivity):
    rng = np.random.default_rng(connectivity)
    structure = ndimage.generate_binary_structure(2, connectivity // 4)
    for density in (0.02, 0.2, 0.6):
        shape = tuple(rng.integers(1, 40, size=2))
        binary = rng.random(shape) < density
        labelled = label_pixels(binary, connectivity)
        labels, count = ndimage.label(binary, structure)
        np.testing.assert_array_equal(labelled.pixels, np.flatnonzero(binary))
        # the same partition of the pixels into count components
        scipy_index = labels.ravel()[labelled.pixels]
        pairs = np.unique(
            np.stack([labelled.target_index, scipy_index]), axis=1)
        assert pairs.shape[1] == count == len(labelled.targets.areas)
        assert np.unique(pairs[0]).size == np.unique(pairs[1]).size == count
        # numbered by first pixel
        first = np.full(count, binary.size)
        np.minimum.at(first, labelled.target_index, labelled.pixels)
        assert np.all(np.diff(first) > 0)
        np.testing.assert_array_equal(
            labelled.targets.areas, np.bincount(labelled.target_index))
