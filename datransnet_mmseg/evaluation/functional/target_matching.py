"""Connected targets and centroid matching for target-level IRSTD metrics."""
from typing import NamedTuple, Optional, Tuple

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


def _compress_sorted(index: np.ndarray) -> np.ndarray:
    """Compress sorted coordinates of one axis (see :func:`_compress`)."""
    out = np.zeros(index.size, dtype=np.int64)
    np.cumsum(np.minimum(np.diff(index), 2), out=out[1:])
    return out


def _compress(index: np.ndarray, length: int) -> np.ndarray:
    """Map coordinates of one axis onto a compressed axis.

    Occupied lines keep their order; each run of empty lines between them
    shrinks to one line. Lines 1 apart stay 1 apart and lines 2 or more
    apart stay at least 2 apart, so pixel adjacency (4 or 8) is unchanged.
    """
    occupied = np.zeros(length + 1, dtype=np.int64)
    occupied[index + 1] = 1
    # a line is kept if it or the line before it is occupied
    keep = occupied[1:] | occupied[:-1]
    return np.cumsum(keep)[index] - 1


def connected_targets(
        rows: np.ndarray,
        cols: np.ndarray,
        connectivity: int = 8,
        layout_rows: Optional[np.ndarray] = None
) -> Tuple[Targets, np.ndarray]:
    """Connected components of a sparse set of pixels.

    Small targets cover few pixels: the pixels are labelled on a compressed
    grid (see :func:`_compress`) rather than on the full image.

    Args:
        rows (np.ndarray): Row of each pixel; the pixels are in raster order
            (sorted by row, then column).
        cols (np.ndarray): Column of each pixel.
        connectivity (int): 8 or 4. Defaults to 8.
        layout_rows (np.ndarray, optional): Rows used for labelling instead
            of ``rows`` (non-decreasing too), e.g. to label two maps stacked
            in one call while computing centroids in their own coordinates.
            Defaults to None.

    Returns:
        tuple[Targets, np.ndarray]: The targets in raster order of their
        first pixel (the order of ``skimage.measure.label``), and the index
        of that first pixel in ``rows`` for each target.
    """
    if rows.size == 0:
        return Targets(np.zeros(0, np.int64), np.zeros(
            (0, 2), np.float64)), np.zeros(0, np.int64)
    r_new = _compress_sorted(rows if layout_rows is None else layout_rows)
    c_new = _compress(cols, cols.max() + 1)
    grid = np.zeros((r_new[-1] + 1, c_new.max() + 1), dtype=np.uint8)
    grid[r_new, c_new] = 1
    num, labels = cv2.connectedComponents(
        grid, connectivity=connectivity, ltype=cv2.CV_32S)
    labels = labels[r_new, c_new] - 1
    areas = np.bincount(labels)
    centroids = np.empty((num - 1, 2))
    centroids[:, 0] = np.bincount(labels, weights=rows)
    centroids[:, 1] = np.bincount(labels, weights=cols)
    centroids /= areas[:, None]
    # OpenCV numbers components in its own (block-based) scan order; sort
    # them by first pixel. The pixels are in raster order, so the first
    # occurrence of a label is its first pixel.
    first = np.full(num - 1, rows.size)
    np.minimum.at(first, labels, np.arange(rows.size))
    order = np.argsort(first)
    return Targets(areas[order], centroids[order]), first[order]


def targets_from_indices(flat: np.ndarray,
                         shape: Tuple[int, int],
                         connectivity: int = 8) -> Targets:
    """Connected components of the pixels at sorted flat indices.

    Args:
        flat (np.ndarray): Sorted flat (row-major) indices of the foreground.
        shape (tuple[int, int]): Image shape (H, W).
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        Targets: Areas and centroids in raster order.
    """
    rows, cols = np.divmod(flat, shape[1])
    return connected_targets(rows, cols, connectivity)[0]


def find_targets(binary: np.ndarray, connectivity: int = 8) -> Targets:
    """Find the connected components of a binary map.

    Args:
        binary (np.ndarray): Boolean or {0, 1} map, H x W.
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        Targets: Areas and centroids in raster order.
    """
    return targets_from_indices(
        np.flatnonzero(np.asarray(binary, dtype=bool)), binary.shape,
        connectivity)


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
