"""Backbone, neck, head and loss: shapes, build-time checks, hand values."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

from datransnet_mmseg.models import (DATransHead, DATransNetBackbone,
                                     GradFormerNeck, SoftIoULoss)
from datransnet_mmseg.models.layers import GFEM, max_pool2x2
from datransnet_mmseg.models.layers.max_pool import max_pool3x3s2
from mmseg.registry import MODELS

SKIPS = ((16, 64, 96), (32, 32, 48), (64, 16, 24), (128, 8, 12))


@pytest.fixture
def features():
    torch.manual_seed(0)
    backbone = DATransNetBackbone()
    return backbone(torch.rand(2, 1, 64, 96))


def test_registered():
    init_default_scope('mmseg')
    for name in ('DATransNetBackbone', 'GradFormerNeck', 'DATransHead',
                 'SoftIoULoss'):
        assert MODELS.get(name) is not None


def test_backbone_shapes(features):
    assert [tuple(f.shape) for f in features] == [
        (2, ) + shape for shape in SKIPS + ((128, 4, 6), )
    ]


@pytest.mark.parametrize('shape', [(1, 1, 37, 53), (1, 1, 64, 80)])
def test_backbone_rejects_indivisible_input(shape):
    with pytest.raises(ValueError, match='divisible by 32'):
        DATransNetBackbone()(torch.rand(shape))


def test_backbone_checks_channels():
    with pytest.raises(ValueError, match='in_channels'):
        DATransNetBackbone(in_channels=0)
    with pytest.raises(ValueError, match='expected 1 input channel'):
        DATransNetBackbone()(torch.rand(1, 3, 32, 32))


def test_neck_shapes(features):
    neck = GradFormerNeck()
    outs = neck(features)
    assert len(outs) == 9
    for skip, passed in zip(features[:4], outs[:4]):
        assert passed is skip  # the raw skips are passed through
    assert [tuple(o.shape[1:]) for o in outs[4:8]] == list(SKIPS)
    assert outs[8].shape == features[4].shape


def test_neck_attention_sizes():
    neck = GradFormerNeck(img_size=512)
    assert [m.attn_size for m in neck.datrans] == [512, 256, 128, 64]
    assert [m.num_heads for m in neck.datrans] == [2, 2, 2, 1]


@pytest.mark.parametrize('img_size', [100, 0, 250, '256'])
def test_neck_rejects_bad_img_size(img_size):
    with pytest.raises(ValueError, match='multiple of 32'):
        GradFormerNeck(img_size=img_size)


def test_neck_rejects_inconsistent_levels():
    with pytest.raises(ValueError, match='one entry per skip'):
        GradFormerNeck(in_channels=(16, 32, 64, 128))
    with pytest.raises(ValueError, match='expected 5 backbone features'):
        GradFormerNeck()([torch.rand(1, 16, 8, 8)])


def test_neck_rejects_bad_dilations_at_build_time():
    # three heads need a multiple of 9 query channels (32 is not)
    with pytest.raises(ValueError, match='multiple of 9 with 3 dilations'):
        GradFormerNeck(dilations=((1, 3), (1, 3), (1, 2, 3), (1, )))
    with pytest.raises(ValueError, match='non-empty sequence'):
        GradFormerNeck(dilations=((1, 3), (1, 3), (1, 3), 1))


def test_neck_and_backbone_reject_bad_channels_at_build_time():
    with pytest.raises(ValueError, match='at most the bottleneck channels'):
        GradFormerNeck(gfem_reduction=256)  # 128 // 256 = 0 channels
    with pytest.raises(ValueError, match='in_channels must be positive'):
        GradFormerNeck(in_channels=(16, 32, 64, 128, 0))
    with pytest.raises(ValueError, match='stage_channels needs positive'):
        DATransNetBackbone(stage_channels=(16, 0, 64, 128, 128))


def test_gfem_starts_with_a_silent_non_local_branch():
    torch.manual_seed(0)
    gfem = GFEM(32)
    x = torch.randn(2, 32, 8, 8)
    assert gfem.non_local(x).abs().max() == 0  # zero-initialised norm
    # so the gate is sigmoid(0) = 0.5 everywhere
    up = F.interpolate(
        0.5 * F.max_pool2d(x, 2), scale_factor=2, mode='bilinear')
    expected = gfem.out_conv(
        gfem.nonlocal_proj(torch.zeros_like(x)) + gfem.pooled_proj(up))
    assert torch.allclose(gfem(x), expected, atol=1e-6)


def test_max_pool2x2_matches_max_pool2d():
    x = torch.randn(2, 3, 8, 6)
    with torch.no_grad():
        assert torch.equal(max_pool2x2(x), F.max_pool2d(x, 2))
    x.requires_grad_()
    assert torch.equal(max_pool2x2(x), F.max_pool2d(x, 2))


def test_max_pool3x3s2_matches_max_pool2d():
    x = torch.randn(2, 3, 8, 6)
    x[0, 0, 2, 3] = float('nan')  # propagated like F.max_pool2d
    expected = F.max_pool2d(x, 3, 2, 1)
    with torch.no_grad():
        assert torch.allclose(
            max_pool3x3s2(x), expected, atol=0, rtol=0, equal_nan=True)
    x.requires_grad_()
    assert torch.allclose(
        max_pool3x3s2(x), expected, atol=0, rtol=0, equal_nan=True)


def test_head_output(features):
    torch.manual_seed(0)
    head = DATransHead()
    assert head.threshold == 0.5 and head.dropout is None
    assert head.conv_seg.in_channels == 16
    assert head.conv_seg.out_channels == 1
    logits = head(GradFormerNeck()(features))
    assert logits.shape == (2, 1, 64, 96)


@pytest.mark.parametrize('kwargs,match', [
    (dict(out_channels=2), 'out_channels=1'),
    (dict(num_classes=3), 'num_classes=2'),
    (dict(in_channels=(16, 32, 16, 32)), '2 \\* L \\+ 1'),
    (dict(in_index=(0, 1, 2)), 'in_index of the same length'),
    (dict(channels=2), 'channels must be an int of at least 4'),
    (dict(band_kernel_size=10), 'positive odd int'),
])
def test_head_build_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DATransHead(**kwargs)


def test_soft_iou_hand_computed():
    loss = SoftIoULoss()
    assert loss.loss_name == 'loss_softiou'
    logits = torch.zeros(2, 1, 2, 2)  # p = 0.5 everywhere
    target = torch.zeros(2, 2, 2, dtype=torch.long)
    target[0, 0, 0] = target[1, 1, 1] = 1
    # batch-global: inter = 1, union = 4 + 2 - 1 = 5
    assert torch.isclose(loss(logits, target), torch.tensor(1 - 2 / 6))
    # an ignored pixel (padding) counts neither as prediction nor target
    target[1, 0, 0] = 255
    assert torch.isclose(loss(logits, target), torch.tensor(1 - 2 / 5.5))
    weight = torch.ones(2, 2, 2)
    weight[0] = 0  # only image 1 counts: inter .5, union 1.5 + 1 - .5
    assert torch.isclose(
        loss(logits, target, weight=weight), torch.tensor(1 - 1.5 / 3))
    assert torch.isclose(
        SoftIoULoss(loss_weight=2.)(logits, target),
        2 * loss(logits, target))


def test_soft_iou_is_batch_global():
    """One sum over the batch, not a mean of per-image losses."""
    logits = torch.tensor([4., -4., 0., 2.]).view(2, 1, 1, 2)
    target = torch.tensor([[1, 0], [0, 1]]).view(2, 1, 2)
    p = logits.sigmoid().flatten()
    g = target.flatten().float()
    inter = (p * g).sum()
    expected = 1 - (inter + 1) / (p.sum() + g.sum() - inter + 1)
    assert torch.isclose(SoftIoULoss()(logits, target), expected)


def test_soft_iou_needs_one_channel():
    with pytest.raises(ValueError, match='one-channel logits'):
        SoftIoULoss()(torch.zeros(1, 2, 2, 2), torch.zeros(1, 2, 2).long())
