"""Image loading (mmcv's LoadImageFromFile + IRImageToGrey) and
LoadBinaryAnnotations on hand-made files."""
import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose, LoadImageFromFile
from mmseg.models import SegDataPreProcessor
from PIL import Image

from datransnet_mmseg.datasets import (IRImageToGrey, LoadBinaryAnnotations,
                                       LoadIRImageFromFile, read_ir_image)

# Grey levels of pure red, green and blue under OpenCV's BGR2GRAY
# (fixed point: (255 * 4899 + 8192) >> 14 = 76, 9617 -> 150, 1868 -> 29).
RED, GREEN, BLUE = 76, 150, 29


# the image loading steps of the dataset configs
LOAD_IMAGE = Compose([
    LoadImageFromFile(color_type='unchanged', imdecode_backend='cv2'),
    IRImageToGrey()
])


def _load(path):
    return LOAD_IMAGE(dict(img_path=str(path)))


def _rgb_image():
    img = np.zeros((2, 3, 3), np.uint8)  # RGB order
    img[0, 0] = (255, 0, 0)
    img[0, 1] = (0, 255, 0)
    img[0, 2] = (0, 0, 255)
    img[1, :] = 200  # grey content
    return img


EXPECTED_RGB = np.array([[RED, GREEN, BLUE], [200, 200, 200]], np.float32)


@pytest.mark.parametrize('suffix', ['.png', '.bmp', '.tif'])
def test_rgb_and_grey_8bit(tmp_path, suffix):
    Image.fromarray(_rgb_image()).save(tmp_path / f'rgb{suffix}')
    grey = np.array([[0, 1, 127], [128, 254, 255]], np.uint8)
    Image.fromarray(grey).save(tmp_path / f'grey{suffix}')
    res = _load(tmp_path / f'rgb{suffix}')
    assert res['img'].dtype == np.float32 and res['img'].shape == (2, 3)
    np.testing.assert_array_equal(res['img'], EXPECTED_RGB)
    assert res['ori_shape'] == (2, 3) and res['img_shape'] == (2, 3)
    np.testing.assert_array_equal(_load(tmp_path / f'grey{suffix}')['img'],
                                  grey)


def test_rgba_ignores_alpha_and_palette_is_expanded(tmp_path):
    rgba = np.dstack([_rgb_image(), np.full((2, 3), 7, np.uint8)])
    Image.fromarray(rgba, 'RGBA').save(tmp_path / 'rgba.png')
    np.testing.assert_array_equal(_load(tmp_path / 'rgba.png')['img'],
                                  EXPECTED_RGB)
    pal = Image.fromarray(np.array([[0, 1, 2], [3, 3, 3]], np.uint8), 'P')
    pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 200, 200] +
                   [0] * (768 - 12))
    pal.save(tmp_path / 'palette.png')
    np.testing.assert_array_equal(_load(tmp_path / 'palette.png')['img'],
                                  EXPECTED_RGB)


def test_grey_jpeg(tmp_path):
    # flat areas survive JPEG compression exactly
    img = np.full((16, 16), 90, np.uint8)
    Image.fromarray(img).save(tmp_path / 'grey.jpg', quality=95)
    np.testing.assert_array_equal(_load(tmp_path / 'grey.jpg')['img'], img)


@pytest.mark.parametrize('suffix', ['.png', '.tif'])
def test_16bit_is_divided_by_257(tmp_path, suffix):
    img = np.array([[0, 257, 65535], [32896, 514, 65535]], np.uint16)
    cv2.imwrite(str(tmp_path / f'g16{suffix}'), img)
    np.testing.assert_allclose(
        _load(tmp_path / f'g16{suffix}')['img'],
        [[0, 1, 255], [128, 2, 255]], rtol=0, atol=1e-4)
    rgb16 = np.zeros((1, 2, 3), np.uint16)  # BGR for cv2.imwrite
    rgb16[0, 0] = 65535
    rgb16[0, 1, 2] = 65535  # pure red
    cv2.imwrite(str(tmp_path / f'c16{suffix}'), rgb16)
    out = _load(tmp_path / f'c16{suffix}')['img']
    assert out[0, 0] == pytest.approx(255, abs=1e-4)
    # red weight 0.299: 65535 * 0.299 = 19595 (+-1) -> / 257 = 76.2
    assert out[0, 1] == pytest.approx(19595 / 257, abs=0.01)


def test_very_large_16bit_frame_loads_at_full_resolution(tmp_path):
    # 24 megapixels, 16-bit: read as it is (no resize, no 8-bit decode), so
    # metrics and sliding-window inference see the native frame
    img = np.zeros((4000, 6000), np.uint16)
    img[::997, ::1499] = 65535
    img[1234, 4321] = 257 * 3
    cv2.imwrite(str(tmp_path / 'large.png'), img)
    mask = np.zeros((4000, 6000), np.uint8)
    mask[3990:4000, 5990:6000] = 255
    cv2.imwrite(str(tmp_path / 'large_mask.png'), mask)
    results = LoadBinaryAnnotations()(
        dict(
            _load(tmp_path / 'large.png'),
            seg_map_path=str(tmp_path / 'large_mask.png'),
            seg_fields=[]))
    out = results['img']
    assert out.shape == (4000, 6000) and results['ori_shape'] == (4000, 6000)
    assert out[1234, 4321] == pytest.approx(3, abs=1e-4)
    assert np.count_nonzero(out == 255) == 5 * 5
    assert results['gt_seg_map'].sum() == 100
    assert results['gt_seg_map'][3990:, 5990:].all()


def test_pipeline_output_reaches_the_preprocessor_in_0_1(tmp_path):
    # 37 x 53: not a multiple of 32; padded for inference, ori_shape kept
    img = np.zeros((37, 53), np.uint16)
    img[0, 0] = 65535
    cv2.imwrite(str(tmp_path / 'odd.png'), img)
    from mmseg.datasets.transforms import PackSegInputs
    packed = PackSegInputs()(_load(tmp_path / 'odd.png'))
    assert tuple(packed['inputs'].shape) == (1, 37, 53)
    assert packed['data_samples'].ori_shape == (37, 53)
    pre = SegDataPreProcessor(
        mean=[0.], std=[255.], test_cfg=dict(size_divisor=32))
    out = pre(dict(inputs=[packed['inputs']],
                   data_samples=[packed['data_samples']]))
    assert tuple(out['inputs'].shape) == (1, 1, 64, 64)
    assert out['inputs'][0, 0, 0, 0].item() == pytest.approx(1.)
    assert out['inputs'].max().item() == pytest.approx(1.)


@pytest.mark.parametrize('content,message', [
    (b'', 'zero-byte'),
    (b'\x89PNG\r\n\x1a\n' + bytes(range(50)), 'cannot be decoded'),
])
def test_unreadable_files(tmp_path, content, message):
    """read_ir_image names the file; the datasets and the inferencer
    re-read a file the pipeline failed on with it."""
    path = tmp_path / 'bad.png'
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message) as err:
        read_ir_image(str(path))
    assert str(path) in str(err.value)
    with pytest.raises(Exception):
        _load(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='gone.png'):
        _load(tmp_path / 'gone.png')


def test_float_image_is_refused(tmp_path):
    cv2.imwrite(str(tmp_path / 'f.tif'), np.ones((2, 2), np.float32))
    with pytest.raises(ValueError, match='f.tif.*float32'):
        _load(tmp_path / 'f.tif')
    with pytest.raises(ValueError, match='f.tif.*float32'):
        read_ir_image(str(tmp_path / 'f.tif'))


def test_arrays_in_memory():
    """LoadImageFromNDArray inputs (img_path None): integer arrays are
    converted as files are, float arrays are taken as 0..255 grey."""
    bgr = np.zeros((1, 2, 3), np.uint16)
    bgr[0, 0] = 65535
    bgr[0, 1, 2] = 65535  # pure red
    out = IRImageToGrey()(dict(img=bgr, img_path=None))['img']
    np.testing.assert_allclose(out, [[255, 19595 / 257]], atol=0.01)
    grey = np.array([[0.5, 254.5]], np.float32)
    out = IRImageToGrey()(dict(img=grey, img_path=None))
    np.testing.assert_array_equal(out['img'], grey)
    assert out['img_shape'] == (1, 2)


def test_deprecated_loader_still_loads(tmp_path):
    img = np.array([[0, 257, 65535]], np.uint16)
    cv2.imwrite(str(tmp_path / 'g16.png'), img)
    with pytest.warns(UserWarning, match='IRImageToGrey'):
        loader = LoadIRImageFromFile()
    out = loader(dict(img_path=str(tmp_path / 'g16.png')))
    np.testing.assert_allclose(out['img'], [[0, 1, 255]], atol=1e-4)
    assert out['ori_shape'] == (1, 3)


def _load_mask(path, shape=None, **kwargs):
    results = dict(seg_map_path=None if path is None else str(path),
                   img_path='img.png')
    if shape is not None:
        results['ori_shape'] = shape
    return LoadBinaryAnnotations(**kwargs)(results)['gt_seg_map']


def test_mask_binarisation(tmp_path):
    # 0/255, anti-aliased levels, colour masks: value > 127 is a target
    levels = np.array([[0, 64, 127], [128, 200, 255]], np.uint8)
    Image.fromarray(levels).save(tmp_path / 'aa.png')
    expected = [[0, 0, 0], [1, 1, 1]]
    np.testing.assert_array_equal(_load_mask(tmp_path / 'aa.png', (2, 3)),
                                  expected)
    Image.fromarray(np.dstack([levels] * 3)).save(tmp_path / 'rgb.png')
    np.testing.assert_array_equal(_load_mask(tmp_path / 'rgb.png'), expected)
    m16 = levels.astype(np.uint16) * 257
    cv2.imwrite(str(tmp_path / 'm16.png'), m16)
    np.testing.assert_array_equal(_load_mask(tmp_path / 'm16.png'), expected)
    # a custom threshold
    np.testing.assert_array_equal(
        _load_mask(tmp_path / 'aa.png', threshold=63),
        [[0, 1, 1], [1, 1, 1]])
    # 0/1 masks are already binary
    Image.fromarray((levels > 127).astype(np.uint8)).save(tmp_path / '01.png')
    np.testing.assert_array_equal(_load_mask(tmp_path / '01.png'), expected)
    out = _load_mask(tmp_path / 'aa.png')
    assert out.dtype == np.uint8 and 255 not in out


@pytest.mark.parametrize('dtype,target', [
    (np.uint8, 1), (np.uint8, 255), (np.uint16, 1), (np.uint16, 255),
    (np.uint16, 65535)
])
@pytest.mark.parametrize('colour', [False, True])
def test_masks_keep_their_targets_at_every_bit_depth(
        tmp_path, dtype, target, colour):
    """0/1, 0/255 and 0/65535 masks, 8- or 16-bit, grey or colour: the
    target pixels are exactly the non-zero ones (a mask is not rescaled
    like an image: 16-bit 0/1 and 0/255 masks used to load empty)."""
    truth = np.zeros((5, 7), bool)
    truth[1:3, 2:4] = True
    truth[4, 6] = True
    mask = truth.astype(dtype) * dtype(target)
    if colour:
        mask = np.dstack([mask] * 3)
    cv2.imwrite(str(tmp_path / 'm.png'), mask)
    assert cv2.imread(str(tmp_path / 'm.png'),
                      cv2.IMREAD_UNCHANGED).dtype == dtype
    out = _load_mask(tmp_path / 'm.png', (5, 7))
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, truth.astype(np.uint8))


def test_16bit_mask_threshold_follows_its_value_range(tmp_path):
    # levels up to 255 in a 16-bit file are compared with 127, levels in the
    # 16-bit range with 127 * 257 = 32639
    low = np.array([[0, 127, 128, 255]], np.uint16)
    cv2.imwrite(str(tmp_path / 'low.png'), low)
    np.testing.assert_array_equal(_load_mask(tmp_path / 'low.png'),
                                  [[0, 0, 1, 1]])
    high = np.array([[0, 255, 32639, 32640, 65535]], np.uint16)
    cv2.imwrite(str(tmp_path / 'high.png'), high)
    np.testing.assert_array_equal(_load_mask(tmp_path / 'high.png'),
                                  [[0, 0, 0, 1, 1]])


def test_mask_size_mismatch(tmp_path):
    Image.fromarray(np.zeros((4, 5), np.uint8)).save(tmp_path / 'm.png')
    with pytest.raises(ValueError, match=r'm\.png is 4x5.*img\.png is 3x5'):
        _load_mask(tmp_path / 'm.png', (3, 5))


def test_absent_mask_gives_background():
    out = _load_mask(None, (3, 4))
    np.testing.assert_array_equal(out, np.zeros((3, 4)))


def test_mask_zero_byte(tmp_path):
    (tmp_path / 'm.png').write_bytes(b'')
    with pytest.raises(ValueError, match='Mask .*m.png is an empty'):
        _load_mask(tmp_path / 'm.png')


def test_packed_mask_dtype_and_values(tmp_path):
    Image.fromarray(np.array([[0, 255]], np.uint8)).save(tmp_path / 'm.png')
    from mmseg.datasets.transforms import PackSegInputs
    packed = PackSegInputs()(
        dict(
            gt_seg_map=_load_mask(tmp_path / 'm.png'),
            img=np.zeros((1, 2), np.float32)))
    assert torch.equal(packed['data_samples'].gt_sem_seg.data,
                       torch.tensor([[[0, 1]]]))


def test_binary_annotations_pass_images_without_mask_key():
    """Inference (e.g. mmseg's inference_model) has no seg_map_path."""
    results = dict(img=np.zeros((4, 4), np.float32), ori_shape=(4, 4))
    assert LoadBinaryAnnotations()(dict(results)).keys() == results.keys()
