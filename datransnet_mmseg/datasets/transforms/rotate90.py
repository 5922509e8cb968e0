"""Random rotation by a multiple of 90 degrees."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomRotate90(BaseTransform):
    """Rotate the image and its masks by 90, 180 or 270 degrees.

    Exact (a transpose of pixels, no interpolation), so small targets keep
    their pixels. Together with horizontal and vertical ``RandomFlip`` it
    covers the 8 symmetries of the square. A rotation by 90 or 270 degrees
    swaps height and width.

    Required Keys:

    - img
    - seg_fields (optional; every field listed is rotated like the image)

    Modified Keys:

    - img
    - img_shape
    - the ``seg_fields``

    Args:
        prob (float): Probability of a rotation; the angle is then 90, 180
            or 270 degrees (counter-clockwise), each equally likely.
            Defaults to 0.5.
    """

    def __init__(self, prob: float = 0.5) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob!r}.')
        self.prob = prob

    @cache_randomness
    def _quarter_turns(self) -> int:
        if np.random.rand() >= self.prob:
            return 0
        return int(np.random.randint(1, 4))

    def transform(self, results: dict) -> dict:
        """Rotate the image and every segmentation field.

        Args:
            results (dict): Result dict from the loading pipeline.

        Returns:
            dict: The rotated results.
        """
        turns = self._quarter_turns()
        if turns == 0:
            return results
        results['img'] = np.ascontiguousarray(
            np.rot90(results['img'], turns, axes=(0, 1)))
        results['img_shape'] = results['img'].shape[:2]
        for key in results.get('seg_fields', []):
            results[key] = np.ascontiguousarray(
                np.rot90(results[key], turns, axes=(0, 1)))
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(prob={self.prob})'
