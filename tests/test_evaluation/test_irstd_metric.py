"""IRSTDMetric on hand-computed cases.

Every expected value below is worked out by hand in the comments: images
are small, targets are single pixels or small blocks.
"""
import csv
import json

import cv2
import numpy as np
import pytest
import torch
from mmseg.registry import METRICS

from datransnet_mmseg.evaluation import IRSTDMetric


def _sample(prob, gt, name='img.png', channels=1):
    prob = torch.as_tensor(np.asarray(prob, dtype=np.float32))
    logits = prob[None] if channels == 1 else prob
    return dict(
        img_path=f'data/{name}',
        seg_logits=dict(data=logits),
        gt_sem_seg=dict(data=torch.as_tensor(np.asarray(gt))[None].long()))


def _evaluate(pairs, **kwargs):
    metric = IRSTDMetric(**kwargs)
    metric.dataset_meta = dict(classes=('background', 'target'))
    for i, (prob, gt) in enumerate(pairs):
        metric.process({}, [_sample(prob, gt, f'{i}.png')])
    return metric.evaluate(len(pairs))


def _maps(shape=(10, 10)):
    return np.zeros(shape, np.float32), np.zeros(shape, np.int64)


def test_perfect_prediction():
    prob, gt = _maps()
    gt[2:4, 2:4] = 1
    gt[7, 7] = 1
    prob[gt == 1] = 0.9
    res = _evaluate([(prob, gt)])
    for key in ('mIoU', 'nIoU', 'Pd', 'pixel_precision', 'pixel_recall',
                'pixel_F1', 'target_precision', 'target_recall',
                'target_F1'):
        assert res[key] == pytest.approx(100), key
    assert res['Fa'] == 0


def test_empty_prediction():
    prob, gt = _maps()
    gt[2:4, 2:4] = 1
    prob[gt == 1] = 0.5  # not above the threshold
    res = _evaluate([(prob, gt)])
    # no predicted pixel: IoU 0/4, Pd 0/1, no false alarm; 0/0 precision -> 0
    assert res['mIoU'] == 0 and res['nIoU'] == 0 and res['Pd'] == 0
    assert res['Fa'] == 0 and res['pixel_precision'] == 0
    assert res['target_precision'] == 0 and res['pixel_F1'] == 0


def test_empty_ground_truth():
    # image 0: no target, a 2x2 false blob; image 1: one perfect target
    prob0, gt0 = _maps()
    prob0[5:7, 5:7] = 0.8
    prob1, gt1 = _maps()
    gt1[1, 1] = 1
    prob1[1, 1] = 0.8
    res = _evaluate([(prob0, gt0), (prob1, gt1)])
    # IoU = (0 + 1) / (4 + 1); nIoU = (0 + 1) / 2 (no-target image scores 0)
    assert res['mIoU'] == pytest.approx(100 * 1 / 5)
    assert res['nIoU'] == pytest.approx(50)
    assert res['Pd'] == pytest.approx(100)
    # 4 false-alarm pixels over 200 pixels = 0.02 = 20000e-6
    assert res['Fa'] == pytest.approx(20000)
    # targets: 1 matched of 2 predicted
    assert res['target_precision'] == pytest.approx(50)


def test_only_empty_ground_truth_reports_zero_pd():
    prob, gt = _maps()
    res = _evaluate([(prob, gt)])
    assert res['Pd'] == 0 and res['mIoU'] == 0 and res['Fa'] == 0


def test_a_miss_and_a_false_blob():
    prob, gt = _maps((20, 20))
    gt[2:4, 2:4] = 1  # found (4 px, prediction 6 px)
    gt[10, 10] = 1  # missed
    prob[2:4, 2:5] = 0.9
    prob[15, 15] = 0.7  # false blob, 1 px
    res = _evaluate([(prob, gt)])
    # inter 4, union 5 + 7 - 4 = 8
    assert res['mIoU'] == pytest.approx(50)
    # centroids (2.5, 2.5) and (2.5, 3): matched; (10, 10) missed
    assert res['Pd'] == pytest.approx(50)
    assert res['Fa'] == pytest.approx(1 / 400 * 1e6)
    # pixels: precision 4/7, recall 4/5
    assert res['pixel_precision'] == pytest.approx(100 * 4 / 7)
    assert res['pixel_recall'] == pytest.approx(80)
    assert res['pixel_F1'] == pytest.approx(100 * 2 * 4 / (7 + 5))
    assert res['target_precision'] == pytest.approx(50)
    assert res['target_F1'] == pytest.approx(50)


@pytest.mark.parametrize('gt_dtype', [torch.uint8, torch.int64])
@pytest.mark.parametrize('shape', [(5, 7), (61, 67)])
def test_targets_in_the_last_pixels_of_an_odd_sized_image(shape, gt_dtype):
    # One-byte maps are scanned 8 pixels at a time where they are sparse
    # (61 x 67 = 4087 pixels: 510 words and a tail of 7 pixels), pixel by
    # pixel where they are not (5 x 7 = 35 pixels).
    height, width = shape
    prob, gt = _maps(shape)
    # targets at the first and the two last pixels
    gt[0, 0] = gt[-1, -1] = gt[-1, -2] = 1
    prob[0, 0] = prob[-1, -1] = 0.9  # finds both, misses (-1, -2)
    prob[height // 2, width // 2] = 0.8  # false alarm in the middle
    metric = IRSTDMetric()
    metric.dataset_meta = dict(classes=('background', 'target'))
    sample = _sample(prob, gt)
    sample['gt_sem_seg']['data'] = sample['gt_sem_seg']['data'].to(gt_dtype)
    metric.process({}, [sample])
    res = metric.evaluate(1)
    # inter 2, union 3 + 3 - 2 = 4; centroids (0, 0) and (h-1, w-1.5)
    # vs (h-1, w-1)
    assert res['mIoU'] == pytest.approx(50)
    assert res['Pd'] == pytest.approx(100)
    assert res['Fa'] == pytest.approx(1 / (height * width) * 1e6)
    assert res['pixel_recall'] == pytest.approx(100 * 2 / 3)


@pytest.mark.parametrize('pixels,matched', [
    ([(10, 13)], False),  # centroid exactly 3 px away: not < 3
    ([(10, 12)] + [(r, 13) for r in range(6, 15)], True),  # 2.9 px away
])
def test_distance_threshold_is_strict(pixels, matched):
    prob, gt = _maps((20, 20))
    gt[10, 10] = 1
    for r, c in pixels:
        prob[r, c] = 0.9
    # second blob: centroid row (6+...+14 + 10) / 10 = 10, col 129/10 = 12.9
    res = _evaluate([(prob, gt)])
    assert res['Pd'] == (100 if matched else 0)
    assert res['Fa'] == (0 if matched else pytest.approx(len(pixels) / 400 *
                                                         1e6))


def _clustered():
    """Two true and two predicted targets where first-fit is not optimal.

    True A (10, 10), B (10, 14); predicted P1 (10, 12), P2 (12, 9).
    A-P1 2 px, A-P2 sqrt(5) px, B-P1 2 px, B-P2 sqrt(29) px.
    Greedy: A takes P1 (first in raster order), B finds nothing.
    Hungarian: A-P2 and B-P1.
    """
    prob, gt = _maps((20, 20))
    gt[10, 10] = gt[10, 14] = 1
    prob[10, 12] = prob[12, 9] = 0.9
    return prob, gt


def test_clustered_targets_greedy():
    res = _evaluate([_clustered()], matching='greedy')
    assert res['Pd'] == pytest.approx(50)
    assert res['Fa'] == pytest.approx(1 / 400 * 1e6)  # P2 unmatched


def test_clustered_targets_hungarian():
    res = _evaluate([_clustered()], matching='hungarian')
    assert res['Pd'] == pytest.approx(100)
    assert res['Fa'] == 0


@pytest.mark.parametrize('connectivity,pd', [(8, 100), (4, 50)])
def test_touching_targets_and_connectivity(connectivity, pd):
    prob, gt = _maps()
    gt[5, 5] = gt[6, 6] = 1  # diagonal neighbours: 1 target (8), 2 (4)
    prob[5, 5] = 0.9
    # 8: centroid (5.5, 5.5) is 0.71 px from (5, 5); 4: (5, 5) matches,
    # (6, 6) is missed
    res = _evaluate([(prob, gt)], connectivity=connectivity)
    assert res['Pd'] == pytest.approx(pd)


def test_ignore_index_pixels_are_left_out():
    prob, gt = _maps()
    gt[0, :] = 255  # 10 ignored pixels, all predicted
    prob[0, :] = 0.9
    gt[5, 5] = 1
    prob[5, 5] = 0.9
    prob[8, 8] = 0.9  # one false alarm among 90 valid pixels
    res = _evaluate([(prob, gt)])
    assert res['mIoU'] == pytest.approx(50)  # inter 1, union 2
    assert res['Fa'] == pytest.approx(1 / 90 * 1e6)


def test_non_binary_ground_truth_is_an_error():
    prob, gt = _maps()
    gt[1, 1] = 7
    with pytest.raises(ValueError, match=r'0\.png.*\[7\].*LoadBinary'):
        _evaluate([(prob, gt)])


def test_two_channel_softmax_logits():
    logits = np.zeros((2, 4, 4), np.float32)
    logits[1, 1, 1] = 1.  # softmax[1] = e / (1 + e) = 0.73 > 0.5
    logits[0, 2, 2] = 1.  # softmax[1] = 0.27
    gt = np.zeros((4, 4), np.int64)
    gt[1, 1] = 1
    metric = IRSTDMetric()
    metric.process({}, [_sample(logits, gt, channels=2)])
    res = metric.compute_metrics(metric.results)
    assert res['mIoU'] == pytest.approx(100)


def test_official_relative_threshold():
    # max probability 0.2: nothing above 0.5, but 0.2 / 0.2 > 0.5
    prob, gt = _maps()
    gt[3, 3] = 1
    prob[3, 3] = 0.2
    prob[7, 7] = 0.05  # 0.05 / 0.2 = 0.25: not a detection
    default = _evaluate([(prob, gt)])
    official = _evaluate([(prob, gt)], protocol='official')
    assert default['Pd'] == 0 and default['mIoU'] == 0
    assert official['Pd'] == pytest.approx(100)
    assert official['mIoU'] == 0  # mIoU keeps the absolute threshold
    assert official['pixel_F1'] == pytest.approx(100, abs=1e-9)
    # on a target-free image the strongest response becomes a false alarm
    prob, gt = _maps()
    prob[4, 4] = 0.01
    assert _evaluate([(prob, gt)])['Fa'] == 0
    assert _evaluate([(prob, gt)], protocol='official')['Fa'] == \
        pytest.approx(1 / 100 * 1e6)


def test_official_fa_ignores_blobs_with_a_matched_area():
    prob, gt = _maps((20, 20))
    gt[2:4, 2:4] = 1
    prob[2:4, 2:4] = 0.9  # matched, area 4
    prob[10:12, 10:12] = 0.9  # unmatched, area 4: dropped by the quirk
    prob[16, 2:5] = 0.9  # unmatched, area 3
    assert _evaluate([(prob, gt)])['Fa'] == pytest.approx(7 / 400 * 1e6)
    assert _evaluate([(prob, gt)], protocol='official')['Fa'] == \
        pytest.approx(3 / 400 * 1e6)


def test_official_counting_of_raw_masks():
    # raw 8-bit mask values: 255 (x2), 200, 64; all four pixels predicted
    prob, gt = _maps()
    gt[1, 1] = gt[1, 2] = 255
    gt[5, 5] = 200
    gt[8, 8] = 64
    prob[gt > 0] = 0.9
    res = _evaluate([(prob, gt)], protocol='official')
    # IoU label: >= 128 -> 3 px; intersection: == 255 -> 2 px;
    # union = 4 predicted + 3 - 2 = 5
    assert res['mIoU'] == pytest.approx(100 * 2 / 5)
    # nIoU label: == 255 -> union 4 + 2 - 2 = 4
    assert res['nIoU'] == pytest.approx(100 * 2 / 4)
    # Pd/Fa targets: 255 only -> one target, matched; blobs at (5, 5) and
    # (8, 8) have area 1, no matched blob has area 1 (matched area is 2)
    assert res['Pd'] == pytest.approx(100)
    assert res['Fa'] == pytest.approx(2 / 100 * 1e6)


def test_outputs_and_curves(tmp_path):
    prob, gt = _maps()
    gt[2:4, 2:4] = 1
    prob[gt == 1] = 0.95
    prob[8, 8] = 0.3
    metric = IRSTDMetric(
        curve_thresholds=[0.1, 0.5, 0.9],
        output_dir=str(tmp_path),
        keep_results=True)
    metric.process({}, [_sample(prob, gt, 'a.png')])
    res = metric.compute_metrics(metric.results)
    rows = list(csv.DictReader(open(tmp_path / 'per_image.csv')))
    assert rows[0]['image'] == 'a.png' and rows[0]['n_gt'] == '1'
    curves = json.load(open(tmp_path / 'curves.json'))
    # > 0.1: 4 target + 1 false pixel; > 0.5 and > 0.9: the 4 target pixels
    assert curves['TPR'] == [1., 1., 1.]
    assert curves['FPR'] == pytest.approx([1 / 96, 0., 0.])
    assert curves['Pd'] == [100., 100., 100.]
    assert curves['Fa'] == pytest.approx([1e4, 0., 0.])
    # ROC through (0, 0), (0, 1), (1/96, 1), (1, 1): AUC 1
    assert res['AUC'] == pytest.approx(100)
    # and the plot of both curves (matplotlib comes with mmseg)
    plot = cv2.imread(str(tmp_path / 'curves.png'))
    assert plot is not None and plot.shape[1] > plot.shape[0] > 100


@pytest.mark.parametrize('kwargs', [
    dict(connectivity=6),
    dict(matching='nearest'),
    dict(protocol='dnanet'),
    dict(dist_thr=0),
    dict(curve_thresholds=[0.5, 0.1]),
])
def test_bad_options(kwargs):
    with pytest.raises(ValueError):
        IRSTDMetric(**kwargs)


def test_unknown_options_are_an_error():
    with pytest.raises(TypeError, match="'protocl'"):
        IRSTDMetric(protocl='official')
    with pytest.raises(TypeError, match="'protocl'"):
        METRICS.build(dict(type='IRSTDMetric', protocl='official'))
    # set by tools/test.py --out
    assert IRSTDMetric(keep_results=True).protocol == 'basicirstd'


def test_size_mismatch_is_an_error():
    metric = IRSTDMetric()
    with pytest.raises(ValueError, match='differ in size'):
        metric.process({}, [
            _sample(np.zeros((4, 4)), np.zeros((4, 5), np.int64), 'x.png')
        ])
