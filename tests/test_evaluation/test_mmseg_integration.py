"""IRSTDMetric fed by mmseg's own padding, cropping and sigmoid code."""
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmcv.transforms import LoadImageFromFile
from mmseg.datasets.transforms import PackSegInputs
from mmseg.models import EncoderDecoder, SegDataPreProcessor
from PIL import Image

from datransnet_mmseg.datasets import IRImageToGrey, LoadBinaryAnnotations
from datransnet_mmseg.evaluation import IRSTDMetric


def test_padded_inference_is_cropped_back_and_scored(tmp_path):
    # a 37 x 53 image (not a multiple of 32) with a 3 x 3 target
    mask = np.zeros((37, 53), np.uint8)
    mask[30:33, 48:51] = 255
    Image.fromarray(mask).save(tmp_path / 'm.png')
    Image.fromarray(mask // 2).save(tmp_path / 'i.png')
    results = dict(img_path=str(tmp_path / 'i.png'),
                   seg_map_path=str(tmp_path / 'm.png'))
    for transform in (LoadImageFromFile(
            color_type='unchanged', imdecode_backend='cv2'), IRImageToGrey(),
                      LoadBinaryAnnotations(), PackSegInputs()):
        results = transform(results)
    pre = SegDataPreProcessor(
        mean=[0.], std=[255.], test_cfg=dict(size_divisor=32))
    batch = pre(dict(inputs=[results['inputs']],
                     data_samples=[results['data_samples']]))
    assert tuple(batch['inputs'].shape) == (1, 1, 64, 64)
    # a one-channel "model": +10 on the target, -10 elsewhere, and +10 on
    # the whole padded border, which must be cropped away
    logits = torch.full((1, 1, 64, 64), 10.)
    logits[:, :, :37, :53] = torch.where(
        batch['inputs'][:, :, :37, :53] > 0, 10., -10.)
    segmentor = SimpleNamespace(
        align_corners=False, decode_head=SimpleNamespace(threshold=0.5))
    samples = EncoderDecoder.postprocess_result(segmentor, logits,
                                                batch['data_samples'])
    seg_logits = samples[0].seg_logits.data
    assert tuple(seg_logits.shape) == (1, 37, 53)
    assert 0 < seg_logits.min() and seg_logits.max() < 1  # sigmoid applied
    metric = IRSTDMetric()
    metric.process({}, [samples[0].to_dict()])
    res = metric.compute_metrics(metric.results)
    assert res['mIoU'] == pytest.approx(100)
    assert res['Pd'] == pytest.approx(100) and res['Fa'] == 0
    assert metric.results[0][1][-2] == 37 * 53  # pixels at native size
