"""Images smaller than the network's divisor are padded, not refused."""
import cv2
import numpy as np
import pytest

from datransnet_mmseg.apis import IRSTDInferencer


@pytest.mark.parametrize('height, width', [(17, 23), (1, 40), (31, 31)])
def test_image_smaller_than_divisor(tools, tmp_path, height, width):
    path = tmp_path / 'small.png'
    cv2.imwrite(str(path), np.full((height, width), 40, np.uint8))
    with pytest.warns(UserWarning, match='random initial weights'):
        inferencer = IRSTDInferencer(
            str(tools.config), device='cpu',
            cfg_options=dict(model=dict(neck=dict(img_size=64))))
    result = next(inferencer.detect(str(path)))
    assert result.prob.shape == (height, width)
    assert result.mask.shape == (height, width)
