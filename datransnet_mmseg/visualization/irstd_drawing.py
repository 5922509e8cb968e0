"""Pictures of detected targets: overlays and comparison panels.

Images are drawn in OpenCV's BGR order, as ``uint8`` arrays ready for
``cv2.imwrite``. An image whose long side is below ``min_side`` pixels is
enlarged by a whole factor (nearest neighbour), so that targets of one or
two pixels stay visible; boxes and markers are drawn after enlarging.
"""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np

from ..evaluation.functional import match_targets
from .target_map import TargetMap, label_targets

# BGR colours
BOX_COLOUR = (0, 255, 0)
CENTROID_COLOUR = (0, 0, 255)
HIT_COLOUR = (0, 200, 0)
MISS_COLOUR = (255, 0, 255)
FALSE_ALARM_COLOUR = (0, 200, 255)
TEXT_COLOUR = (255, 255, 255)
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_TITLE_HEIGHT = 20
_GAP = 4


def display_image(img: np.ndarray) -> np.ndarray:
    """Contrast-stretch a grey image for display.

    Args:
        img (np.ndarray): H x W image in the 0..255 scale (as
            :func:`~datransnet_mmseg.datasets.read_ir_image` gives it).

    Returns:
        np.ndarray: H x W x 3 uint8 BGR image; the 0.5th and 99.9th
        percentiles are mapped to 0 and 255.
    """
    img = np.asarray(img, dtype=np.float32)
    low, high = np.percentile(img, [0.5, 99.9])
    scaled = (img - low) * (255. / max(high - low, 1e-6))
    grey = np.clip(scaled, 0, 255).round().astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def display_factor(shape: Sequence[int], min_side: int = 512) -> int:
    """Whole enlargement factor of an image for display.

    Args:
        shape (Sequence[int]): (H, W) of the image.
        min_side (int): Images whose long side is shorter are enlarged
            towards this size. Defaults to 512.

    Returns:
        int: The factor, at least 1.
    """
    return max(1, min_side // max(shape[:2]))


def _enlarge(image: np.ndarray, factor: int) -> np.ndarray:
    if factor == 1:
        return image.copy()
    return cv2.resize(
        image, None, fx=factor, fy=factor, interpolation=cv2.INTER_NEAREST)


def _point(row: float, col: float, factor: int) -> Tuple[int, int]:
    """Display pixel (x, y) of the centre of a position in image pixels."""
    return (int(round((col + 0.5) * factor - 0.5)),
            int(round((row + 0.5) * factor - 0.5)))


def _draw_box(image: np.ndarray, box: Sequence[int], factor: int,
              colour: Tuple[int, int, int]) -> None:
    """Outline a box (x, y, w, h) with a 2-pixel margin around its pixels."""
    x, y, w, h = box
    cv2.rectangle(image, (x * factor - 2, y * factor - 2),
                  ((x + w) * factor + 1, (y + h) * factor + 1), colour, 1)


def draw_detections(img: np.ndarray,
                    target_map: TargetMap,
                    scores: Sequence[float] = None,
                    min_side: int = 512) -> np.ndarray:
    """Draw each target's box, centroid and number on the image.

    Args:
        img (np.ndarray): H x W grey image in the 0..255 scale.
        target_map (TargetMap): The detected targets
            (:func:`label_targets` of the predicted mask).
        scores (Sequence[float], optional): One score per target, written
            after its number. Defaults to None.
        min_side (int): See :func:`display_factor`. Defaults to 512.

    Returns:
        np.ndarray: The overlay, BGR uint8.
    """
    factor = display_factor(img.shape, min_side)
    canvas = _enlarge(display_image(img), factor)
    for k, (box, (row, col)) in enumerate(
            zip(target_map.boxes, target_map.targets.centroids)):
        _draw_box(canvas, box, factor, BOX_COLOUR)
        cv2.drawMarker(canvas, _point(row, col, factor), CENTROID_COLOUR,
                       cv2.MARKER_CROSS, max(5, factor + 4), 1)
        text = str(k + 1) if scores is None else f'{k + 1}: {scores[k]:.2f}'
        x, y = box[0] * factor - 2, box[1] * factor - 5
        cv2.putText(canvas, text, (max(x, 0), max(y, 10)), _FONT, 0.4,
                    BOX_COLOUR, 1, cv2.LINE_AA)
    return canvas


def _paint(base: np.ndarray, target_map: TargetMap, colours: np.ndarray,
           factor: int) -> np.ndarray:
    """Fill each target's pixels and outline its box in its colour."""
    lut = np.zeros((len(target_map) + 1, 3), np.uint8)
    lut[1:] = colours.reshape(-1, 3)
    painted = base.copy()
    inside = target_map.labels > 0
    painted[inside] = lut[target_map.labels[inside]]
    painted = _enlarge(painted, factor)
    for box, colour in zip(target_map.boxes, colours.reshape(-1, 3)):
        _draw_box(painted, box, factor, tuple(int(c) for c in colour))
    return painted


def _titled(tile: np.ndarray, title: str) -> np.ndarray:
    bar = np.zeros((_TITLE_HEIGHT, tile.shape[1], 3), np.uint8)
    cv2.putText(bar, title, (4, _TITLE_HEIGHT - 6), _FONT, 0.45,
                TEXT_COLOUR, 1, cv2.LINE_AA)
    return np.concatenate([bar, tile])


def _hstack(tiles: Sequence[np.ndarray]) -> np.ndarray:
    gap = np.full((tiles[0].shape[0], _GAP, 3), 255, np.uint8)
    row = [tiles[0]]
    for tile in tiles[1:]:
        row += [gap, tile]
    return np.concatenate(row, axis=1)


def _plural(count: int, word: str) -> str:
    return f'{count} {word}' + ('' if count == 1 else 's')


def draw_comparison(img: np.ndarray,
                    gt: np.ndarray,
                    pred: np.ndarray,
                    dist_thr: float = 3.,
                    connectivity: int = 8,
                    matching: str = 'greedy',
                    min_side: int = 512) -> Tuple[np.ndarray, Dict[str, int]]:
    """Draw image | ground truth | prediction with the targets matched.

    Targets are matched as :class:`~datransnet_mmseg.evaluation.IRSTDMetric`
    matches them (connected components, centroids closer than
    ``dist_thr``, one to one). In the ground truth, a matched target (hit)
    is green and a missed one magenta; in the prediction, a matched target
    is green and a false alarm (unmatched component) orange. Each target
    also gets a box outline in its colour.

    Args:
        img (np.ndarray): H x W grey image in the 0..255 scale.
        gt (np.ndarray): H x W {0, 1} ground truth, or None to draw
            image | prediction only.
        pred (np.ndarray): H x W {0, 1} prediction.
        dist_thr (float): Centroid distance threshold in pixels.
            Defaults to 3.
        connectivity (int): 8 or 4. Defaults to 8.
        matching (str): ``'greedy'`` or ``'hungarian'``, see
            :func:`~datransnet_mmseg.evaluation.functional.match_targets`.
            Defaults to ``'greedy'``.
        min_side (int): See :func:`display_factor`. Defaults to 512.

    Returns:
        tuple[np.ndarray, dict]: The panel (BGR uint8) and the counts
        ``hits``, ``misses`` and ``false_alarms`` (``misses`` is 0 without
        ground truth).
    """
    factor = display_factor(img.shape, min_side)
    base = display_image(img)
    pred_map = label_targets(pred, connectivity)
    gt_map = label_targets(
        np.zeros(img.shape[:2], bool) if gt is None else gt, connectivity)
    gt_idx, pred_idx = match_targets(gt_map.targets.centroids,
                                     pred_map.targets.centroids, dist_thr,
                                     matching)
    gt_colours = np.tile(np.array(MISS_COLOUR, np.uint8), (len(gt_map), 1))
    gt_colours[gt_idx] = HIT_COLOUR
    pred_colours = np.tile(
        np.array(FALSE_ALARM_COLOUR, np.uint8), (len(pred_map), 1))
    pred_colours[pred_idx] = HIT_COLOUR
    counts = dict(
        hits=len(gt_idx),
        misses=len(gt_map) - len(gt_idx),
        false_alarms=len(pred_map) - len(pred_idx))

    tiles = [_titled(_enlarge(base, factor), 'image')]
    if gt is not None:
        tiles.append(
            _titled(
                _paint(base, gt_map, gt_colours, factor),
                f'ground truth: {_plural(counts["hits"], "hit")}, '
                f'{counts["misses"]} missed'))
    tiles.append(
        _titled(
            _paint(base, pred_map, pred_colours, factor),
            f'prediction: {_plural(counts["false_alarms"], "false alarm")}'))
    return _hstack(tiles), counts
