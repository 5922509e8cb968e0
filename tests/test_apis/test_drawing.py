"""Target label maps and the comparison panel, on hand-made cases."""
import numpy as np
from scipy import ndimage

from datransnet_mmseg.visualization import (draw_comparison, draw_detections,
                                            label_targets)
from datransnet_mmseg.visualization.irstd_drawing import (FALSE_ALARM_COLOUR,
                                                          HIT_COLOUR,
                                                          MISS_COLOUR)


def test_label_targets_against_scipy():
    binary = np.random.default_rng(0).random((40, 50)) > 0.7
    target_map = label_targets(binary)
    labels, count = ndimage.label(binary, np.ones((3, 3)))
    assert len(target_map) == count
    # numbered in the raster order of each target's first pixel
    first = ndimage.minimum(
        np.arange(binary.size).reshape(binary.shape), labels,
        np.arange(1, count + 1))
    order = np.argsort(first) + 1
    for k, label in enumerate(order):
        pixels = labels == label
        np.testing.assert_array_equal(target_map.labels == k + 1, pixels)
        rows, cols = ndimage.find_objects(pixels.astype(int))[0]
        assert tuple(target_map.boxes[k]) == (cols.start, rows.start,
                                              cols.stop - cols.start,
                                              rows.stop - rows.start)
        np.testing.assert_allclose(target_map.targets.centroids[k],
                                   np.argwhere(pixels).mean(axis=0))


def test_comparison_panel_colours_and_counts():
    gt = np.zeros((20, 20), bool)
    gt[2:4, 2:4] = True  # centroid (2.5, 2.5)
    gt[10, 10] = True
    gt[15, 3] = True
    pred = np.zeros((20, 20), bool)
    pred[3:5, 2:4] = True  # 1 px from the first: a hit
    pred[10, 13] = True  # exactly 3 px away: not a match (strict)
    pred[17, 17] = True
    img = np.linspace(0, 255, 400, dtype=np.float32).reshape(20, 20)
    panel, counts = draw_comparison(img, gt, pred, min_side=20)
    assert counts == dict(hits=1, misses=2, false_alarms=2)
    # three 20x20 tiles under a 20-pixel title bar, 4-pixel gaps
    assert panel.shape == (40, 68, 3)
    truth, prediction = panel[20:, 24:44], panel[20:, 48:68]
    assert tuple(truth[2, 2]) == HIT_COLOUR
    assert tuple(truth[10, 10]) == tuple(truth[15, 3]) == MISS_COLOUR
    assert tuple(prediction[4, 3]) == HIT_COLOUR
    assert tuple(prediction[10, 13]) == FALSE_ALARM_COLOUR
    assert tuple(prediction[17, 17]) == FALSE_ALARM_COLOUR
    # without ground truth: image | prediction, everything a false alarm
    panel, counts = draw_comparison(img, None, pred, min_side=20)
    assert counts == dict(hits=0, misses=0, false_alarms=3)
    assert panel.shape == (40, 44, 3)


def test_detections_overlay_is_enlarged():
    mask = np.zeros((30, 40), bool)
    mask[5:7, 5:8] = True
    overlay = draw_detections(
        np.zeros((30, 40), np.float32), label_targets(mask), [0.9])
    # 512 // 40 = 12 times larger; box and marker drawn in colour
    assert overlay.shape == (360, 480, 3)
    assert (overlay[..., 1] > overlay[..., 0]).any()
