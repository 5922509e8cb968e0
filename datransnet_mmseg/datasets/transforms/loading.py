"""Loading of one-channel infrared images and binary target masks."""
import warnings
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


def _to_grey(array: np.ndarray, path: Optional[str],
             what: str) -> np.ndarray:
    """Convert a decoded array to one float32 channel, keeping its values.

    3- and 4-channel arrays (BGR/BGRA as OpenCV decodes them; palette PNGs
    are expanded to BGR by the decoder) go through ``cv2.COLOR_BGR2GRAY``,
    which ignores the alpha channel.
    """
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    elif array.ndim == 3 and array.shape[2] in (3, 4):
        array = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
    elif array.ndim != 2:
        raise ValueError(f'{what} {path} has unsupported shape '
                         f'{array.shape}; expected H x W (x 1, 3 or 4).')
    return array.astype(np.float32)


def _check_integer(array: np.ndarray, path: Optional[str],
                   what: str) -> None:
    if array.dtype not in (np.uint8, np.uint16):
        raise ValueError(
            f'{what} {path} has unsupported pixel type {array.dtype}; only '
            '8- and 16-bit integer images are read. Convert it to an 8- or '
            '16-bit PNG.')


def ir_image_to_grey(array: np.ndarray,
                     path: Optional[str] = None) -> np.ndarray:
    """One float32 channel in the 0..255 scale from a decoded image.

    Args:
        array (np.ndarray): The image as OpenCV decodes it unchanged: H x W
            (x 1, 3 or 4), BGR(A) order, uint8 or uint16. Float arrays are
            accepted only without ``path`` (images given in memory) and are
            taken as already in the 0..255 scale.
        path (str, optional): The file it came from, for error messages.
            Defaults to None.

    Returns:
        np.ndarray: H x W float32; 16-bit values divided by 257.
    """
    if path is not None or array.dtype.kind != 'f':
        _check_integer(array, path, 'Image')
    grey = _to_grey(array, path, 'Image')
    if array.dtype == np.uint16:
        grey /= _UINT16_TO_UINT8_SCALE
    return grey


def read_ir_image(path: str,
                  backend_args: Optional[dict] = None) -> np.ndarray:
    """Read an image file as the dataset pipelines do.

    Same result as ``LoadImageFromFile(color_type='unchanged',
    imdecode_backend='cv2')`` followed by :class:`IRImageToGrey`, with
    errors that name the file and the fix.

    Args:
        path (str): The image file.
        backend_args (dict, optional): File backend arguments of
            :func:`mmengine.fileio.get`. Defaults to None.

    Returns:
        np.ndarray: H x W float32 in the 0..255 scale.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: The file is empty, cannot be decoded, or has an
            unsupported pixel type or shape.
    """
    return ir_image_to_grey(_decode(path, backend_args, 'Image'), path)


@TRANSFORMS.register_module()
class IRImageToGrey(BaseTransform):
    """Make a loaded infrared image one float32 channel in the 0..255 scale.

    Follows mmcv's ``LoadImageFromFile`` configured to keep the file as it
    is stored (``color_type='unchanged'``, ``imdecode_backend='cv2'``), so
    that mmseg's ``MMSegInferencer`` and ``inference_model`` find their
    loader in the test pipeline. Grey, RGB, RGBA and palette images, 8- or
    16-bit, PNG, JPEG, BMP or TIFF: colour goes through OpenCV's
    ``BGR2GRAY`` weights (alpha is ignored; palette images are expanded by
    the decoder), as the official DATransNet loader does; 8-bit values are
    kept, 16-bit values are divided by 257 so that 65535 becomes 255.

    Images given in memory (``LoadImageFromNDArray``, ``img_path`` None)
    may also be float arrays, which are taken as already in the 0..255
    scale; files must hold 8- or 16-bit integers.

    Required Keys:

    - img
    - img_path (None for images given in memory)

    Modified Keys:

    - img (np.float32, H x W)
    - img_shape

    Raises:
        ValueError: The image has an unsupported pixel type or shape. The
            message names the file.
    """

    def transform(self, results: dict) -> dict:
        """Convert ``results['img']``.

        Args:
            results (dict): Result dict with ``img``.

        Returns:
            dict: ``results`` with the grey ``img``.
        """
        img = ir_image_to_grey(results['img'], results.get('img_path'))
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        return results


@TRANSFORMS.register_module()
class LoadIRImageFromFile(BaseTransform):
    """Deprecated: load an image file with :func:`read_ir_image`.

    Kept so that configs written for earlier versions still train and test;
    mmseg's ``MMSegInferencer`` does not accept a pipeline that starts with
    it. Use ``dict(type='LoadImageFromFile', color_type='unchanged',
    imdecode_backend='cv2')`` followed by ``dict(type='IRImageToGrey')``.

    Args:
        backend_args (dict, optional): File backend arguments of
            :func:`mmengine.fileio.get`. Defaults to None.
    """

    def __init__(self, backend_args: Optional[dict] = None) -> None:
        warnings.warn(
            'LoadIRImageFromFile is deprecated and mmseg\'s MMSegInferencer '
            'rejects pipelines that use it; load images with '
            "dict(type='LoadImageFromFile', color_type='unchanged', "
            "imdecode_backend='cv2') followed by dict(type='IRImageToGrey')."
        )
        self.backend_args = backend_args.copy() if backend_args else None

    def transform(self, results: dict) -> dict:
        """Load the image of ``results['img_path']``.

        Args:
            results (dict): Result dict with ``img_path``.

        Returns:
            dict: ``results`` with ``img``, ``img_shape`` and ``ori_shape``.
        """
        img = read_ir_image(results['img_path'], self.backend_args)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results


@TRANSFORMS.register_module()
class LoadBinaryAnnotations(BaseTransform):
    """Load a target mask and binarise it to {0, 1}.

    Colour masks are converted to one channel as :class:`IRImageToGrey`
    converts images, but a mask is never rescaled: its value convention is
    read from its largest value. A mask whose values are all 0 or 1 (8- or
    16-bit) is already binary and is kept as it is (1 = target). Otherwise
    ``value > threshold`` marks a target pixel (1) and anything else is
    background (0), with ``threshold`` in the 0..255 scale when the largest
    value is at most 255 (8-bit masks, and 16-bit files holding 0/255), and
    ``threshold * 257`` in the 0..65535 scale above that (16-bit masks
    holding 0/65535 or levels). With the default 127, 0/255, 0/65535 and
    anti-aliased masks (e.g. the 85 IRSTD-1K masks with grey levels) give
    {0, 1}. The output never contains 255, mmseg's ignore index.

    A sample without a mask file (``seg_map_path`` None, allowed by the
    dataset's ``allow_missing_masks``) gets an all-background mask. The mask
    must have the size of the image (``ori_shape``). Without the key
    ``seg_map_path`` at all (inference on an image: mmseg's
    ``MMSegInferencer`` and ``inference_model``) there is no ground truth
    and the results pass unchanged.

    Required Keys:

    - seg_map_path
    - ori_shape (when checking the size; set by the image loader)

    Added Keys:

    - gt_seg_map (np.uint8, H x W, values {0, 1})
    - seg_fields

    Args:
        threshold (float): A pixel is a target if its value in the 0..255
            scale (times 257 for masks with values above 255) is greater
            than this. Defaults to 127.
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
                    'no image shape: load the image (LoadImageFromFile) '
                    'before LoadBinaryAnnotations.')
            mask = np.zeros(shape, dtype=np.uint8)
        else:
            raw = _decode(path, self.backend_args, 'Mask')
            _check_integer(raw, path, 'Mask')
            grey = _to_grey(raw, path, 'Mask')
            if shape is not None and tuple(grey.shape) != tuple(shape):
                raise ValueError(
                    f'Mask {path} is {grey.shape[0]}x{grey.shape[1]} (HxW) '
                    f'but image {results.get("img_path")} is '
                    f'{shape[0]}x{shape[1]}; the mask must cover the image '
                    'pixel for pixel. Fix or replace the mask.')
            mask = self._binarise(grey)
        results['gt_seg_map'] = mask
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results

    def _binarise(self, grey: np.ndarray) -> np.ndarray:
        top = grey.max()
        if top <= 1:
            return grey.astype(np.uint8)
        scale = 1. if top <= 255 else _UINT16_TO_UINT8_SCALE
        return (grey > self.threshold * scale).astype(np.uint8)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(threshold={self.threshold}, '
                f'backend_args={self.backend_args})')
