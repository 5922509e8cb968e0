"""Pixel label maps of the targets the IRSTD metric counts."""
from typing import NamedTuple

import cv2
import numpy as np

from ..evaluation.functional import Targets, find_targets


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

    Areas and centroids come from the metric's
    :func:`~datransnet_mmseg.evaluation.functional.find_targets`; the pixel
    labels and boxes from OpenCV's labelling with the same connectivity,
    renumbered into the metric's order.

    Args:
        binary (np.ndarray): Boolean or {0, 1} map, H x W.
        connectivity (int): 8 or 4. Defaults to 8.

    Returns:
        TargetMap: Labels, boxes and targets.
    """
    binary = np.asarray(binary).astype(bool)
    targets = find_targets(binary, connectivity)
    num, labels, stats, _ = cv2.connectedComponentsWithStats(
        binary.view(np.uint8), connectivity=connectivity, ltype=cv2.CV_32S)
    # OpenCV numbers the components in its own scan order; the metric in
    # the raster order of their first pixels.
    flat = labels.ravel()
    pixels = np.flatnonzero(flat)
    first = np.full(num, flat.size)
    np.minimum.at(first, flat[pixels], pixels)
    order = np.argsort(first[1:]) + 1
    renumber = np.zeros(num, np.int32)
    renumber[order] = np.arange(1, num, dtype=np.int32)
    boxes = stats[order, :4].astype(np.int64)
    return TargetMap(renumber[labels], boxes, targets)
