"""Random crop that keeps a small target in the window."""
from typing import Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomTargetCrop(BaseTransform):
    """Crop a random window, which with some probability holds a target.

    With probability ``target_prob``, and if the mask has target pixels,
    one target pixel is drawn at random (each pixel equally likely, so
    large targets are drawn more often) and the window is drawn uniformly
    among those that contain it; otherwise the window is drawn uniformly
    over the image, as mmseg's ``RandomCrop`` does. A plain random window
    on a large image (e.g. 256x256 out of 512x512) often holds no target
    at all, which wastes most of a batch on background for infrared small
    targets.

    A side of the image shorter than the crop is kept whole (no padding);
    pad the batch in the data preprocessor (``size=crop_size``).

    Required Keys:

    - img
    - gt_seg_map ({0, 1}; the target value is ``target_label``)
    - seg_fields (optional; every field listed is cropped like the mask)

    Modified Keys:

    - img
    - img_shape
    - gt_seg_map and the other ``seg_fields``

    Args:
        crop_size (int | tuple[int, int]): Height and width of the window.
        target_prob (float): Probability of a window around a target.
            Defaults to 1.0.
        target_label (int): Value of target pixels in ``gt_seg_map``.
            Defaults to 1.
    """

    def __init__(self,
                 crop_size: Union[int, Sequence[int]],
                 target_prob: float = 1.0,
                 target_label: int = 1) -> None:
        if isinstance(crop_size, int):
            crop_size = (crop_size, crop_size)
        crop_size = tuple(crop_size)
        if len(crop_size) != 2 or min(crop_size) <= 0:
            raise ValueError('crop_size must be a positive int or a (height, '
                             f'width) pair, got {crop_size!r}.')
        if not 0 <= target_prob <= 1:
            raise ValueError(
                f'target_prob must be in [0, 1], got {target_prob!r}.')
        self.crop_size = crop_size
        self.target_prob = target_prob
        self.target_label = target_label

    @staticmethod
    def _start(size: int, crop: int, must_hold: int = None) -> int:
        """First index of a window of ``crop`` out of ``size`` indices that
        holds index ``must_hold`` (any window if None)."""
        low, high = 0, size - crop
        if must_hold is not None:
            low = max(low, must_hold - crop + 1)
            high = min(high, must_hold)
        return int(np.random.randint(low, high + 1))

    @cache_randomness
    def _window(self, mask: np.ndarray) -> Tuple[int, int, int, int]:
        """Return ``(top, left, height, width)`` of the window."""
        height = min(self.crop_size[0], mask.shape[0])
        width = min(self.crop_size[1], mask.shape[1])
        row = col = None
        if np.random.rand() < self.target_prob:
            rows, cols = np.nonzero(mask == self.target_label)
            if rows.size:
                pick = np.random.randint(rows.size)
                row, col = rows[pick], cols[pick]
        top = self._start(mask.shape[0], height, row)
        left = self._start(mask.shape[1], width, col)
        return top, left, height, width

    def transform(self, results: dict) -> dict:
        """Crop the image and every segmentation field.

        Args:
            results (dict): Result dict from the loading pipeline.

        Returns:
            dict: The cropped results.
        """
        top, left, height, width = self._window(results['gt_seg_map'])
        window = (slice(top, top + height), slice(left, left + width))
        results['img'] = results['img'][window]
        results['img_shape'] = results['img'].shape[:2]
        for key in set(results.get('seg_fields', [])) | {'gt_seg_map'}:
            results[key] = results[key][window]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(crop_size={self.crop_size}, '
                f'target_prob={self.target_prob}, '
                f'target_label={self.target_label})')
