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


class PixelLabels(NamedTuple):
    """The targets of a binary map and the target of each foreground pixel.

    Attributes:
        pixels (np.ndarray): Flat (row-major) indices of the foreground
            pixels, increasing.
        target_index (np.ndarray): For each of ``pixels``, the index of its
            target in ``targets``.
        targets (Targets): Areas and centroids in raster order.
    """
    pixels: np.ndarray
    target_index: np.ndarray
    targets: Targets


def label_pixels(binary: np.ndarray, connectivity: int = 8) -> PixelLabels:
    """Label the connected components of a binary map (OpenCV).

    Components are numbered in the raster order of their first pixel, the
    order of ``skimage.measure.label``, which the greedy matching of the
    reference code depends on. Centroids are the exact means of the pixel
    coordinates.

    Args:
        binary (np.ndarray): Boolean or {0, 1} map, H x W.
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        PixelLabels: The foreground pixels, their target and the targets.
    """
    binary = np.asarray(binary)
    if binary.dtype != bool:
        binary = binary != 0
    pixels = np.flatnonzero(binary)
    if pixels.size == 0:
        empty = np.zeros(0, np.int64)
        return PixelLabels(empty, empty,
                           Targets(empty, np.zeros((0, 2), np.float64)))
    rows, cols = np.divmod(pixels, binary.shape[1])
    # Labelling the box around the foreground gives the same components
    # and scans less of a map with a few small targets.
    top, left = rows[0], cols.min()
    box = binary[top:rows[-1] + 1, left:cols.max() + 1]
    num, labels = cv2.connectedComponents(
        box.view(np.uint8), connectivity=connectivity, ltype=cv2.CV_32S)
    num -= 1  # label 0 is the background
    cv_index = labels[rows - top, cols - left] - 1
    # OpenCV numbers the components in its own scan order: renumber them by
    # their first pixel (smallest flat index).
    first = np.full(num, binary.size)
    np.minimum.at(first, cv_index, pixels)
    rank = np.empty(num, np.int64)
    rank[np.argsort(first)] = np.arange(num)
    target_index = rank[cv_index]

    areas = np.bincount(target_index)
    centroids = np.empty((num, 2))
    centroids[:, 0] = np.bincount(target_index, weights=rows)
    centroids[:, 1] = np.bincount(target_index, weights=cols)
    centroids /= areas[:, None]
    return PixelLabels(pixels, target_index, Targets(areas, centroids))


def find_targets(binary: np.ndarray, connectivity: int = 8) -> Targets:
    """Find the connected components of a binary map.

    Args:
        binary (np.ndarray): Boolean or {0, 1} map, H x W.
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        Targets: Areas and centroids in raster order.
    """
    return label_pixels(binary, connectivity).targets


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
    if valid.sum(axis=0).max() == 1 and valid.sum(axis=1).max() == 1:
        # no competition for any target: every rule gives these pairs
        return np.nonzero(valid)
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
