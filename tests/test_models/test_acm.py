"""ACM U-Net: encoder stages, the modulation's definition, the segmentor."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from datransnet_mmseg.models import (ACMHead, ACMResNet,
                                     AsymmetricContextualModulation)

CONFIG = Path(__file__).resolve().parents[2] / 'configs' / '_base_' / \
    'models' / 'acm_resnet20.py'


def test_encoder_stages():
    encoder = ACMResNet()
    encoder.init_weights()
    outs = encoder(torch.rand(2, 1, 64, 96))
    assert [tuple(o.shape) for o in outs] == [(2, 16, 32, 48),
                                              (2, 32, 16, 24),
                                              (2, 64, 8, 12)]
    assert encoder.out_channels == (16, 32, 64)
    # ResNet-20 without classifier: stem + 3 stages x 3 blocks x 2 convs
    convs = [m for m in encoder.modules() if isinstance(m, torch.nn.Conv2d)
             and m.kernel_size == (3, 3)]
    assert len(convs) == 19
    with pytest.raises(AssertionError, match='one entry per stage'):
        ACMResNet(num_blocks=(3, 3))


def test_modulation_at_initial_gates_is_the_mean():
    """With zero conv weights and biases, both gates are sigmoid(0) = 0.5:
    Z = 0.5 X + 0.5 Y."""
    fuse = AsymmetricContextualModulation(8).eval()
    for module in fuse.modules():
        if isinstance(module, torch.nn.Conv2d):
            torch.nn.init.zeros_(module.weight)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
    low, high = torch.randn(2, 8, 5, 7), torch.randn(2, 8, 5, 7)
    torch.testing.assert_close(fuse(low, high), 0.5 * low + 0.5 * high)


def test_modulation_top_down_is_global_bottom_up_is_pointwise():
    torch.manual_seed(0)
    fuse = AsymmetricContextualModulation(8, reduction=2).eval()
    high = torch.randn(1, 8, 6, 6)
    low = torch.randn(1, 8, 6, 6)
    perm = torch.randperm(36)
    shuffled_high = high.flatten(2)[..., perm].view_as(high)
    shuffled_low = low.flatten(2)[..., perm].view_as(low)
    # G(Y): one weight per channel, blind to where things are in Y
    top = fuse.top_down(high)
    assert top.shape == (1, 8, 1, 1)
    torch.testing.assert_close(fuse.top_down(shuffled_high), top)
    # L(X): one weight per pixel, moving with the pixel
    bottom = fuse.bottom_up(low)
    assert bottom.shape == low.shape
    torch.testing.assert_close(
        fuse.bottom_up(shuffled_low),
        bottom.flatten(2)[..., perm].view_as(bottom))
    assert ((top > 0) & (top < 1)).all() and ((bottom > 0) &
                                              (bottom < 1)).all()
    torch.testing.assert_close(fuse(low, high), top * low + bottom * high)


def test_head_fuses_every_level():
    head = ACMHead(
        in_channels=(16, 32, 64),
        channels=16,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        loss_decode=dict(type='SoftIoULoss'))
    assert len(head.fusions) == 2
    feats = (torch.rand(2, 16, 32, 32), torch.rand(2, 32, 16, 16),
             torch.rand(2, 64, 8, 8))
    assert head(feats).shape == (2, 1, 32, 32)


def _segmentor():
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(CONFIG)).model)
    model.init_weights()
    return model


def test_segmentor_trains_and_predicts():
    model = _segmentor().train()
    inputs = torch.rand(2, 1, 64, 64)
    samples = []
    for i in range(2):
        label = torch.zeros(1, 64, 64, dtype=torch.long)
        label[0, 30 + i:33 + i, 40:43] = 1
        samples.append(SegDataSample(gt_sem_seg=PixelData(data=label)))
    losses = model.loss(inputs, samples)
    loss = losses['decode.loss_softiou']
    assert torch.isfinite(loss) and 0 < loss <= 1
    loss.backward()
    assert all(p.grad is not None for p in model.parameters()
               if p.requires_grad)
    # parameters: in the range of ACM's published size (about 0.4 M)
    assert 0.3e6 < sum(p.numel() for p in model.parameters()) < 0.5e6

    model.eval()
    with torch.no_grad():
        results = model.predict(inputs[:1] * 255, [
            SegDataSample(metainfo=dict(
                img_shape=(64, 64), ori_shape=(64, 64)))
        ])
    pred = results[0].pred_sem_seg.data
    assert pred.shape == (1, 64, 64)
    assert set(pred.unique().tolist()) <= {0, 1}
    probs = results[0].seg_logits.data
    assert ((probs >= 0) & (probs <= 1)).all()
