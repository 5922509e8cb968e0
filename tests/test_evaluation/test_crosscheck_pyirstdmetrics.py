"""Cross-check of IRSTDMetric against the independent ``pyirstdmetrics``.

Predictions are made from the real SIRST v1 masks by shifting, dilating,
eroding, dropping and adding blobs; both implementations score them in the
BasicIRSTD-compatible setting (threshold 0.5, 8-connectivity, greedy
distance-only matching, distance < 3 px).
"""
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from datransnet_mmseg.evaluation import IRSTDMetric

try:
    import py_irstd_metrics as pim
except ImportError:  # a test-only dependency: required in CI
    if os.environ.get('CI') == 'true':
        raise
    pytest.skip('pyirstdmetrics is not installed', allow_module_level=True)


def _perturb(mask: np.ndarray, kind: int, rng: np.random.Generator):
    """Return a predicted binary map derived from a {0, 1} mask."""
    pred = mask.copy()
    kernel = np.ones((3, 3), np.uint8)
    if kind == 0:  # shift by up to 3 px
        dy, dx = rng.integers(-3, 4, size=2)
        pred = np.roll(pred, (dy, dx), axis=(0, 1))
    elif kind == 1:
        pred = cv2.dilate(pred, kernel, iterations=int(rng.integers(1, 3)))
    elif kind == 2:
        pred = cv2.erode(pred, kernel)
    elif kind == 3:  # drop one target
        num, labels = cv2.connectedComponents(pred, connectivity=8)
        if num > 1:
            pred[labels == rng.integers(1, num)] = 0
    if kind in (4, 5) or rng.random() < 0.3:  # add false blobs
        h, w = pred.shape
        for _ in range(int(rng.integers(1, 4))):
            size = rng.integers(1, 5, size=2)
            y, x = rng.integers(0, h - 4), rng.integers(0, w - 4)
            pred[y:y + size[0], x:x + size[1]] = 1
    if kind == 5:  # a blob touching a target: clustered components
        ys, xs = np.nonzero(mask)
        if ys.size:
            i = rng.integers(ys.size)
            pred[max(ys[i] - 3, 0):ys[i] + 2, max(xs[i] - 3, 0):xs[i]] = 1
    return pred


def _probability(pred: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Probabilities above 0.5 on ``pred`` and at most 0.5 elsewhere."""
    high = 0.5 + 0.5 * rng.random(pred.shape).clip(1e-6, 1)
    low = 0.5 * rng.random(pred.shape)
    low[rng.random(pred.shape) < 0.01] = 0.5  # exactly at the threshold
    return np.where(pred > 0, high, low).astype(np.float32)


@pytest.mark.parametrize('gt_dtype', [torch.int64, torch.uint8])
def test_matches_pyirstdmetrics_on_sirst_v1(shared, gt_dtype):
    """int64: as mmseg's PackSegInputs gives it; uint8: one byte a pixel."""
    root = shared('data', 'sirst-v1')
    rng = np.random.default_rng(0)
    metric = IRSTDMetric()
    cm = pim.CMMetrics(
        threshold=0.5,
        metric_handlers=dict(
            iou=pim.IoUHandler(with_binary=True, sample_based=False),
            niou=pim.IoUHandler(with_binary=True, sample_based=True),
            precision=pim.PrecisionHandler(
                with_binary=True, sample_based=False),
            recall=pim.RecallHandler(with_binary=True, sample_based=False)))
    matching = pim.MatchingBasedMetrics(
        matching_method=pim.DistanceOnlyMatching(distance_threshold=3))
    masks = sorted(Path(root, 'masks').glob('*_pixels0.png'))
    assert len(masks) == 427
    for i, path in enumerate(masks):
        mask = (cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) > 127).astype(
            np.uint8)
        prob = _probability(_perturb(mask, i % 6, rng), rng)
        metric.process({}, [
            dict(
                img_path=path.name,
                seg_logits=dict(data=torch.from_numpy(prob)[None]),
                gt_sem_seg=dict(
                    data=torch.from_numpy(mask)[None].to(gt_dtype)))
        ])
        cm.update(prob.astype(np.float64), mask.astype(bool))
        matching.update(prob.astype(np.float64), mask.astype(bool))
    ours = metric.compute_metrics(metric.results)
    ref_cm = cm.get()
    ref = matching.get()
    tp, fp = matching.tp_objs[0], matching.fp_objs[0]
    expected = dict(
        mIoU=ref_cm['iou']['binary'] * 100,
        nIoU=ref_cm['niou']['binary'] * 100,
        Pd=ref['probability_detection'][0] * 100,
        Fa=ref['false_alarm'][0] * 1e6,
        pixel_precision=ref_cm['precision']['binary'] * 100,
        pixel_recall=ref_cm['recall']['binary'] * 100,
        target_precision=tp / (tp + fp) * 100)
    deltas = {k: abs(ours[k] - v) for k, v in expected.items()}
    print('max |delta| per metric:', deltas)
    for key, value in expected.items():
        # 1e-9 on the ratios, i.e. 1e-7 on the % values and 1e-3 on Fa.
        scale = 1e6 if key == 'Fa' else 100
        assert ours[key] == pytest.approx(value, abs=1e-9 * scale), key
    # the perturbations must exercise misses and false alarms
    assert 0 < ours['Pd'] < 100 and ours['Fa'] > 0
