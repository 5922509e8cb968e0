"""Random Gaussian blur of the image."""
from typing import Optional, Sequence

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomGaussianBlur(BaseTransform):
    """Blur the image with a Gaussian of random standard deviation.

    With probability ``prob`` the standard deviation is drawn uniformly from
    ``sigma_range`` and the image is convolved with a sampled, normalised
    Gaussian (OpenCV; kernel size from the standard deviation, edge pixels
    repeated beyond the border). Masks are left as they are. This is the
    "Gaussian blur as in PSPNet" augmentation of DNANet's training (there
    PIL's box-blur approximation with ``radius`` U[0, 1), probability 0.5).

    Required Keys:

    - img

    Modified Keys:

    - img

    Args:
        prob (float): Probability of a blur. Defaults to 0.5.
        sigma_range (Sequence[float]): Range of the standard deviation in
            pixels, ``(low, high)`` with ``0 <= low <= high``.
            Defaults to (0., 1.).
    """

    def __init__(self,
                 prob: float = 0.5,
                 sigma_range: Sequence[float] = (0., 1.)) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob!r}.')
        if len(sigma_range) != 2 or not 0 <= sigma_range[0] <= \
                sigma_range[1]:
            raise ValueError('sigma_range must be (low, high) with '
                             f'0 <= low <= high, got {sigma_range!r}.')
        self.prob = prob
        self.sigma_range = tuple(sigma_range)

    @cache_randomness
    def _sigma(self) -> Optional[float]:
        if np.random.rand() >= self.prob:
            return None
        return float(np.random.uniform(*self.sigma_range))

    def transform(self, results: dict) -> dict:
        """Blur ``results['img']`` (or not).

        Args:
            results (dict): Result dict with ``img``.

        Returns:
            dict: The results, the image blurred or unchanged.
        """
        sigma = self._sigma()
        if sigma is None or sigma == 0:
            return results
        results['img'] = cv2.GaussianBlur(
            results['img'], (0, 0),
            sigmaX=sigma,
            sigmaY=sigma,
            borderType=cv2.BORDER_REPLICATE)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, '
                f'sigma_range={self.sigma_range})')
