"""Per-image counts behind the IRSTD metrics (mIoU, nIoU, Pd, Fa, F1)."""
from typing import Optional, Tuple

import numpy as np

from .target_matching import Targets, find_targets, match_targets

# Order of the per-image counts returned by `image_stats`.
STAT_FIELDS = ('inter', 'union', 'union_niou', 'pix_tp', 'pix_fp', 'pix_fn',
               'n_gt', 'n_pred', 'n_match', 'fa_px', 'n_px', 'n_ignored')
# Order of the per-threshold counts returned by `curve_stats`.
CURVE_FIELDS = ('pix_tp', 'pix_fp', 'n_pred', 'n_match', 'fa_px')


def _count(mask: np.ndarray) -> int:
    return int(np.count_nonzero(mask))


def _binary_gt(gt: np.ndarray, ignore_index: int,
               name: str) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Target mask of a {0, 1, ignore_index} map.

    Returns:
        tuple: The boolean map of the target pixels, and that of the valid
        (not ignored) pixels, None when nothing is ignored.
    """
    target = gt == 1
    if gt.min() >= 0 and gt.max() <= 1:  # only 0 and 1
        return target, None
    ignored = gt == ignore_index
    bad = ~(target | ignored | (gt == 0))
    if bad.any():
        raise ValueError(
            f'Ground truth of {name} has values '
            f'{np.unique(gt[bad])[:5].tolist()} besides 0, 1 and '
            f'ignore_index={ignore_index}. Load masks with '
            'LoadBinaryAnnotations, which binarises them to {0, 1}.')
    return target, ~ignored


def _target_counts(gt: Targets, pred: Targets, dist_thr: float,
                   matching: str,
                   area_quirk: bool) -> Tuple[int, int, int, int]:
    """Return (n_gt, n_pred, n_match, false-alarm pixels).

    A false alarm is a predicted target left unmatched; with
    ``area_quirk`` (official code) only if its area also differs from the
    area of every matched predicted target.
    """
    gt_idx, pred_idx = match_targets(gt.centroids, pred.centroids, dist_thr,
                                     matching)
    unmatched = np.ones(len(pred.areas), dtype=bool)
    unmatched[pred_idx] = False
    if area_quirk:
        unmatched &= ~np.isin(pred.areas, pred.areas[pred_idx])
    fa_px = int(pred.areas[unmatched].sum())
    return len(gt.areas), len(pred.areas), len(gt_idx), fa_px


def image_stats(prob: np.ndarray,
                gt: np.ndarray,
                threshold: float = 0.5,
                dist_thr: float = 3.,
                connectivity: int = 8,
                matching: str = 'greedy',
                protocol: str = 'basicirstd',
                ignore_index: int = 255,
                name: str = 'an image') -> Tuple[int, ...]:
    """Count what the IRSTD metrics need for one image.

    Args:
        prob (np.ndarray): Target probability, H x W, in [0, 1].
        gt (np.ndarray): Ground truth, H x W. For ``'basicirstd'``: values
            {0, 1, ignore_index}. For ``'official'``: {0, 1}, or raw 8-bit
            mask values (max > 1) to reproduce the official counting of
            non-binary masks.
        threshold (float): Probability threshold; for ``'official'`` also the
            relative threshold of Pd/Fa/F1 (``prob / prob.max() > thr``).
            Defaults to 0.5.
        dist_thr (float): Centroid distance threshold (strict) in pixels.
            Defaults to 3.
        connectivity (int): 8 or 4. Defaults to 8.
        matching (str): ``'greedy'`` or ``'hungarian'``. Defaults to
            ``'greedy'``.
        protocol (str): ``'basicirstd'`` or ``'official'``. Defaults to
            ``'basicirstd'``.
        ignore_index (int): Ground-truth value of ignored pixels
            (``'basicirstd'`` only). Defaults to 255.
        name (str): Name of the image in error messages.

    Returns:
        tuple[int]: The counts named by :data:`STAT_FIELDS`.
    """
    if prob.shape != gt.shape:
        raise ValueError(f'Prediction {prob.shape} and ground truth '
                         f'{gt.shape} of {name} differ in size.')
    if protocol == 'basicirstd':
        target, valid = _binary_gt(gt, ignore_index, name)
        pred = prob > threshold
        if valid is not None:
            pred &= valid
        n_px = gt.size if valid is None else _count(valid)
        gt_targets = find_targets(target, connectivity)
        pred_targets = find_targets(pred, connectivity)
        inter = _count(pred & target)
        target_px = int(gt_targets.areas.sum())
        pred_px = int(pred_targets.areas.sum())
        union = pred_px + target_px - inter
        n_gt, n_pred, n_match, fa_px = _target_counts(
            gt_targets, pred_targets, dist_thr, matching, False)
        return (inter, union, union, inter, pred_px - inter,
                target_px - inter, n_gt, n_pred, n_match, fa_px, n_px,
                gt.size - n_px)
    if protocol != 'official':
        raise ValueError(f"Unknown protocol {protocol!r}; use 'basicirstd' "
                         "or 'official'.")
    gt_max = gt.max()
    if gt_max > 1:
        # Official code: g = mask / 255. IoU's label counts 0.5 <= g <= 1.5,
        # the intersection and Pd/Fa take g == 1 (255 only), F1 takes
        # (g / g.max()).astype(int) == 1 (the maximum value only).
        exact, iou_label, f1_label = gt == 255, gt >= 128, gt == gt_max
    else:
        exact = iou_label = f1_label = gt == 1
    pred = prob > threshold
    inter = _count(pred & exact)
    pred_px = _count(pred)
    union = pred_px + _count(iou_label) - inter
    union_niou = pred_px + _count(exact) - inter
    prob_max = prob.max()
    if prob_max > 0:
        rel = prob / prob_max > threshold
    else:
        rel = np.zeros(prob.shape, dtype=bool)
    pix_tp = _count(rel & f1_label)
    n_gt, n_pred, n_match, fa_px = _target_counts(
        find_targets(exact, connectivity), find_targets(rel, connectivity),
        dist_thr, matching, True)
    return (inter, union, union_niou, pix_tp, _count(rel) - pix_tp,
            _count(f1_label) - pix_tp, n_gt, n_pred, n_match, fa_px, gt.size,
            0)


def curve_stats(prob: np.ndarray,
                gt: np.ndarray,
                thresholds: np.ndarray,
                dist_thr: float = 3.,
                connectivity: int = 8,
                matching: str = 'greedy',
                ignore_index: int = 255,
                name: str = 'an image') -> Tuple[np.ndarray, Tuple[int, ...]]:
    """Per-threshold counts for ROC and Pd-Fa curves (BasicIRSTD rules).

    Args:
        prob (np.ndarray): Target probability, H x W.
        gt (np.ndarray): Ground truth {0, 1, ignore_index}, H x W.
        thresholds (np.ndarray): Increasing thresholds, shape (K,); a pixel
            is predicted at threshold t if ``prob > t``.
        dist_thr (float): Centroid distance threshold. Defaults to 3.
        connectivity (int): 8 or 4. Defaults to 8.
        matching (str): ``'greedy'`` or ``'hungarian'``. Defaults to
            ``'greedy'``.
        ignore_index (int): Ground-truth value of ignored pixels. Defaults
            to 255.
        name (str): Name of the image in error messages.

    Returns:
        tuple: (K, 5) int64 counts named by :data:`CURVE_FIELDS`, and the
        threshold-free counts (target pixels, targets, valid pixels).
    """
    target, valid = _binary_gt(gt, ignore_index, name)
    if valid is not None:
        prob = np.where(valid, prob, -np.inf)
    # bin b of a pixel: thresholds[b - 1] < p <= thresholds[b]; p > t_k
    # holds for the pixels of bins k + 1 and above.
    num = len(thresholds)
    bins = np.searchsorted(thresholds, prob, side='left').ravel()
    tgt_hist = np.bincount(bins[target.ravel()], minlength=num + 1)
    all_hist = np.bincount(bins, minlength=num + 1)
    above_tgt = np.cumsum(tgt_hist[::-1])[::-1][1:]
    above_all = np.cumsum(all_hist[::-1])[::-1][1:]
    out = np.zeros((num, len(CURVE_FIELDS)), dtype=np.int64)
    out[:, 0] = above_tgt
    out[:, 1] = above_all - above_tgt
    gt_targets = find_targets(target, connectivity)
    for k, thr in enumerate(thresholds):
        _, n_pred, n_match, fa_px = _target_counts(
            gt_targets, find_targets(prob > thr, connectivity), dist_thr,
            matching, False)
        out[k, 2:] = (n_pred, n_match, fa_px)
    n_px = gt.size if valid is None else _count(valid)
    return out, (_count(target), len(gt_targets.areas), n_px)
