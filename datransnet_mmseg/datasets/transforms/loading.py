"""Loading of one-channel infrared images and binary target masks."""
from typing import Optional

import cv2
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

# 65535 / 257 == 255: maps the 16-bit range exactly onto the 8-bit range.
_UINT16_TO_UINT8_SCALE = 257.0


def _decode(path: str, backend_args: Optional[dict], what: str) -> np.ndarray:
    """Read and decode an image file as it is stored (any bit depth)."""
    try:
        data = fileio.get(path, backend_args=backend_args)
    except FileNotFoundError:
        raise FileNotFoundError(
            f'{what} {path} does not exist (it was listed when the dataset '
            'was built); restore the file or rebuild the split list.')
    if len(data) == 0:
        raise ValueError(f'{what} {path} is an empty (zero-byte) file; '
                         're-export or re-download it.')
    array = cv2.imdecode(
        np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None:
        raise ValueError(
            f'{what} {path} cannot be decoded (corrupt or unsupported '
            'file); re-export it as an 8- or 16-bit PNG.')
    return array


def _to_grey(array: np.ndarray, path: str, what: str) -> np.ndarray:
    """Convert a decoded array to one channel and to the 0..255 scale.

    3- and 4-channel arrays (BGR/BGRA as OpenCV decodes them; palette PNGs
    are expanded to BGR by the decoder) go through ``cv2.COLOR_BGR2GRAY``,
    which ignores the alpha channel. 16-bit values are divided by 257.
    """
    if array.dtype not in (np.uint8, np.uint16):
        raise ValueError(
            f'{what} {path} has unsupported pixel type {array.dtype}; only '
            '8- and 16-bit integer images are read. Convert it to an 8- or '
            '16-bit PNG.')
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    elif array.ndim == 3 and array.shape[2] in (3, 4):
        array = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
    elif array.ndim != 2:
        raise ValueError(f'{what} {path} has unsupported shape '
                         f'{array.shape}; expected H x W (x 1, 3 or 4).')
    grey = array.astype(np.float32)
    if array.dtype == np.uint16:
        grey /= _UINT16_TO_UINT8_SCALE
    return grey


@TRANSFORMS.register_module()
class LoadIRImageFromFile(BaseTransform):
    """Load an infrared image as one float32 channel in the 0..255 scale.

    Reads PNG, JPEG, BMP and TIFF files in grey, RGB, RGBA or palette mode,
    8- or 16-bit. Colour images are converted with OpenCV's ``BGR2GRAY``
    weights (alpha is ignored; palette images are expanded first), as the
    official DATransNet loader does. 8-bit values are kept; 16-bit values
    are divided by 257, so that 65535 becomes 255. A
    ``SegDataPreProcessor(mean=[0.], std=[255.])`` then feeds the model with
    values in [0, 1].

    Required Keys:

    - img_path

    Added Keys:

    - img (np.float32, H x W)
    - img_shape
    - ori_shape

    Args:
        backend_args (dict, optional): File backend arguments of
            :func:`mmengine.fileio.get`. Defaults to None.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file is empty, cannot be decoded, or has an
            unsupported pixel type or shape. The message names the file.
    """

    def __init__(self, backend_args: Optional[dict] = None) -> None:
        self.backend_args = backend_args.copy() if backend_args else None

    def transform(self, results: dict) -> dict:
        """Load the image of ``results['img_path']``.

        Args:
            results (dict): Result dict with ``img_path``.

        Returns:
            dict: ``results`` with ``img``, ``img_shape`` and ``ori_shape``.
        """
        path = results['img_path']
        img = _to_grey(_decode(path, self.backend_args, 'Image'), path,
                       'Image')
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(backend_args={self.backend_args})'


@TRANSFORMS.register_module()
class LoadBinaryAnnotations(BaseTransform):
    """Load a target mask and binarise it to {0, 1}.

    The mask is converted to one channel and to the 0..255 scale exactly as
    :class:`LoadIRImageFromFile` converts images (16-bit masks are divided by
    257 first), then ``value > threshold`` marks a target pixel (1), anything
    else is background (0): with the default 127, 0/255 masks and
    anti-aliased masks (e.g. the 85 IRSTD-1K masks with grey levels) give
    {0, 1}. A mask whose values are all 0 or 1 is already binary and is kept
    as it is (1 = target). The output never contains 255, mmseg's ignore
    index.

    A sample without a mask file (``seg_map_path`` None, allowed by the
    dataset's ``allow_missing_masks``) gets an all-background mask. The mask
    must have the size of the image (``ori_shape``). Without the key
    ``seg_map_path`` at all (inference on an image, e.g. mmseg's
    ``inference_model`` with the config's test pipeline) there is no ground
    truth and the results pass unchanged.

    Required Keys:

    - seg_map_path
    - ori_shape (when checking the size; set by the image loader)

    Added Keys:

    - gt_seg_map (np.uint8, H x W, values {0, 1})
    - seg_fields

    Args:
        threshold (float): A pixel is a target if its value in the 0..255
            scale is greater than this. Defaults to 127.
        backend_args (dict, optional): File backend arguments of
            :func:`mmengine.fileio.get`. Defaults to None.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file is empty or cannot be decoded, or the mask and
            image sizes differ. The message names the files.
    """

    def __init__(self,
                 threshold: float = 127,
                 backend_args: Optional[dict] = None) -> None:
        self.threshold = threshold
        self.backend_args = backend_args.copy() if backend_args else None

    def transform(self, results: dict) -> dict:
        """Load and binarise the mask of ``results['seg_map_path']``.

        Args:
            results (dict): Result dict with ``seg_map_path``.

        Returns:
            dict: ``results`` with ``gt_seg_map``.
        """
        if 'seg_map_path' not in results:
            return results
        path = results['seg_map_path']
        shape = results.get('ori_shape')
        if path is None:
            if shape is None:
                raise ValueError(
                    f'Sample {results.get("img_path")} has no mask file and '
                    'no image shape: put LoadIRImageFromFile before '
                    'LoadBinaryAnnotations.')
            mask = np.zeros(shape, dtype=np.uint8)
        else:
            grey = _to_grey(_decode(path, self.backend_args, 'Mask'), path,
                            'Mask')
            if shape is not None and tuple(grey.shape) != tuple(shape):
                raise ValueError(
                    f'Mask {path} is {grey.shape[0]}x{grey.shape[1]} (HxW) '
                    f'but image {results.get("img_path")} is '
                    f'{shape[0]}x{shape[1]}; the mask must cover the image '
                    'pixel for pixel. Fix or replace the mask.')
            if grey.max() <= 1:
                mask = grey.astype(np.uint8)
            else:
                mask = (grey > self.threshold).astype(np.uint8)
        results['gt_seg_map'] = mask
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(threshold={self.threshold}, '
                f'backend_args={self.backend_args})')
