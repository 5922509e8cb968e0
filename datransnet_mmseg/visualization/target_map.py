"""Pixel label maps of the targets the IRSTD metric counts."""
from typing import NamedTuple

import numpy as np

from ..evaluation.functional import Targets, label_pixels


class TargetMap(NamedTuple):
    """The connected targets of a binary map, with their pixels.

    Target ``k`` (0-based) is the ``k``-th target of
    :func:`~datransnet_mmseg.evaluation.functional.find_targets`, in the
    raster order of its first pixel, so its index is the one the metric's
    matching uses.

    Attributes:
        labels (np.ndarray): H x W int32 map, 0 for background and ``k + 1``
            for the pixels of target ``k``.
        boxes (np.ndarray): (K, 4) int64 bounding boxes ``(x, y, w, h)``:
            left column, top row, width and height in pixels.
        targets (Targets): Areas and centroids ``(row, col)``.
    """
    labels: np.ndarray
    boxes: np.ndarray
    targets: Targets

    def __len__(self) -> int:
        return len(self.targets.areas)


def label_targets(binary: np.ndarray, connectivity: int = 8) -> TargetMap:
    """Label the connected targets of a binary map.

    The targets, their order and their pixels are those of the metric's
    :func:`~datransnet_mmseg.evaluation.functional.label_pixels`.

    Args:
        binary (np.ndarray): Boolean or {0, 1} map, H x W.
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        TargetMap: Labels, boxes and targets.
    """
    binary = np.asarray(binary).astype(bool)
    pixels, target_index, targets = label_pixels(binary, connectivity)
    labels = np.zeros(binary.shape, np.int32)
    labels.flat[pixels] = target_index + 1

    num = len(targets.areas)
    rows, cols = np.divmod(pixels, binary.shape[1])
    top, left = np.full(num, binary.shape[0]), np.full(num, binary.shape[1])
    bottom, right = np.zeros(num, np.int64), np.zeros(num, np.int64)
    np.minimum.at(top, target_index, rows)
    np.minimum.at(left, target_index, cols)
    np.maximum.at(bottom, target_index, rows)
    np.maximum.at(right, target_index, cols)
    boxes = np.stack([left, top, right - left + 1, bottom - top + 1], axis=1)
    return TargetMap(labels, boxes, targets)
