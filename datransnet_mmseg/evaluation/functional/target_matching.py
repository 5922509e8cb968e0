"""Connected targets and centroid matching for target-level IRSTD metrics."""
from typing import NamedTuple, Tuple

import cv2
import numpy as np
from scipy.optimize import linear_sum_assignment


class Targets(NamedTuple):
    """Connected components of a binary map, in raster order.

    Components are ordered by their first pixel in row-major (raster) scan
    order, the order in which ``skimage.measure.label`` numbers them.

    Attributes:
        areas (np.ndarray): Pixel counts, shape (K,), int64.
        centroids (np.ndarray): Mean (row, col) of the pixels, shape (K, 2).
    """
    areas: np.ndarray
    centroids: np.ndarray


def find_targets(binary: np.ndarray, connectivity: int = 8) -> Targets:
    """Find the connected components of a binary map.

    Args:
        binary (np.ndarray): Boolean or {0, 1} map, H x W.
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        Targets: Areas and centroids in raster order.
    """
    mask = np.ascontiguousarray(binary, dtype=np.uint8)
    flat_fg = np.flatnonzero(mask)
    if flat_fg.size == 0:
        return Targets(np.zeros(0, np.int64), np.zeros((0, 2), np.float64))
    num, labels, stats, centroids = cv2.connectedComponentsWithStats(
        mask, connectivity=connectivity, ltype=cv2.CV_32S)
    # OpenCV's label numbers follow its (block-based) scan, not the raster
    # order of each component's first pixel: reorder. flat_fg is sorted, so
    # the first occurrence of a label is its first pixel in raster order.
    fg_labels = labels.ravel()[flat_fg]
    uniq, first = np.unique(fg_labels, return_index=True)
    order = uniq[np.argsort(first)]
    areas = stats[order, cv2.CC_STAT_AREA].astype(np.int64)
    # OpenCV gives (x, y) = (col, row); keep (row, col).
    return Targets(areas, centroids[order][:, ::-1].copy())


def match_targets(gt_centroids: np.ndarray,
                  pred_centroids: np.ndarray,
                  dist_thr: float = 3.,
                  matching: str = 'greedy') -> Tuple[np.ndarray, np.ndarray]:
    """One-to-one matching of ground-truth and predicted targets.

    A pair can match when the Euclidean distance of the centroids is strictly
    below ``dist_thr``.

    - ``'greedy'``: each ground-truth target, in raster order, takes the
      first still unmatched predicted target (raster order) within reach:
      the rule of the field's reference code.
    - ``'hungarian'``: the largest possible number of pairs and, among those,
      the smallest total distance (``scipy.optimize.linear_sum_assignment``).

    Args:
        gt_centroids (np.ndarray): (G, 2) centroids.
        pred_centroids (np.ndarray): (P, 2) centroids.
        dist_thr (float): Distance threshold in pixels. Defaults to 3.
        matching (str): ``'greedy'`` or ``'hungarian'``. Defaults to
            ``'greedy'``.

    Returns:
        tuple[np.ndarray, np.ndarray]: Indices of the matched ground-truth
        and predicted targets (same length).
    """
    empty = np.zeros(0, np.int64)
    if len(gt_centroids) == 0 or len(pred_centroids) == 0:
        return empty, empty
    diff = gt_centroids[:, None, :] - pred_centroids[None, :, :]
    dist = np.sqrt(diff[..., 0] * diff[..., 0] + diff[..., 1] * diff[..., 1])
    valid = dist < dist_thr
    if not valid.any():
        return empty, empty
    if matching == 'greedy':
        free = np.ones(len(pred_centroids), dtype=bool)
        gt_idx, pred_idx = [], []
        for g in np.flatnonzero(valid.any(axis=1)):
            candidates = np.flatnonzero(valid[g] & free)
            if candidates.size:
                free[candidates[0]] = False
                gt_idx.append(g)
                pred_idx.append(candidates[0])
        return np.asarray(gt_idx, np.int64), np.asarray(pred_idx, np.int64)
    if matching == 'hungarian':
        # A valid pair costs dist - big, an invalid one 0: with big larger
        # than any sum of valid distances, more pairs always cost less.
        big = dist_thr * (min(valid.shape) + 1) + 1.
        cost = np.where(valid, dist - big, 0.)
        rows, cols = linear_sum_assignment(cost)
        keep = valid[rows, cols]
        return rows[keep].astype(np.int64), cols[keep].astype(np.int64)
    raise ValueError(f"Unknown matching {matching!r}; use 'greedy' or "
                     "'hungarian'.")
