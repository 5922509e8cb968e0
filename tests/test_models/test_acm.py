"""ACM and ALCNet components: the shared encoder and modulation, the two
decoders, the port's batch-norm momenta, input sizes, the segmentors.

The match with the official networks is tested in test_acm_official.py and
test_alcnet_official.py.
"""
import pytest
import torch
from mmengine.structures import PixelData

from datransnet_mmseg.models import ASKCResNet
from datransnet_mmseg.models.layers.acm_modulation import \
    AsymmetricContextualModulation
from mmseg.structures import SegDataSample
from peer_helpers import build_model

CONFIGS = ['configs/_base_/models/acm.py', 'configs/_base_/models/alcnet.py']


def test_modulation_with_neutral_gates_adds_the_inputs():
    """Zero 1x1 convs make both gates sigmoid(0) = 0.5, so the fused map is
    2 * 0.5 * low + 2 * 0.5 * high; an identity 3x3 conv and a fresh
    batch norm in eval mode (mean 0, variance 1) then give
    relu((low + high) / sqrt(1 + eps))."""
    fuse = AsymmetricContextualModulation(8).eval()
    for gate in (fuse.global_gate, fuse.local_gate):
        for conv in (gate.conv1, gate.conv2):
            torch.nn.init.zeros_(conv.weight)
            torch.nn.init.zeros_(conv.bias)
    torch.nn.init.zeros_(fuse.out_conv.weight)
    torch.nn.init.zeros_(fuse.out_conv.bias)
    with torch.no_grad():
        fuse.out_conv.weight[range(8), range(8), 1, 1] = 1
    low, high = torch.randn(2, 8, 5, 7), torch.randn(2, 8, 5, 7)
    with torch.no_grad():
        out = fuse(high, low)
    expected = ((low + high) / (1 + 1e-5)**0.5).clamp(min=0)
    torch.testing.assert_close(out, expected)


def test_modulation_gates_global_and_pointwise():
    torch.manual_seed(0)
    fuse = AsymmetricContextualModulation(8, reduction=2).eval()
    high, low = torch.randn(1, 8, 6, 6), torch.randn(1, 8, 6, 6)
    perm = torch.randperm(36)

    def shuffle(x):
        return x.flatten(2)[..., perm].view_as(x)

    with torch.no_grad():
        # global gate of the deep map: one weight per channel, blind to
        # where things are
        top = fuse.global_gate(high)
        assert top.shape == (1, 8, 1, 1)
        torch.testing.assert_close(fuse.global_gate(shuffle(high)), top)
        # local gate of the shallow map: one weight per pixel, moving with it
        bottom = fuse.local_gate(low)
        assert bottom.shape == low.shape
        torch.testing.assert_close(
            fuse.local_gate(shuffle(low)), shuffle(bottom))
    assert ((top > 0) & (top < 1)).all()
    assert ((bottom > 0) & (bottom < 1)).all()


def test_encoder_stages_and_input_size():
    encoder = ASKCResNet(num_blocks=(4, 4, 4)).eval()
    with torch.no_grad():
        outs = encoder(torch.rand(2, 1, 64, 96))
    assert [tuple(o.shape) for o in outs] == [(2, 16, 16, 24),
                                              (2, 32, 8, 12),
                                              (2, 64, 4, 6)]
    assert [len(getattr(encoder, f'layer{i}')) for i in (1, 2, 3)] == [4] * 3
    with pytest.raises(ValueError, match='multiples of 16, got 64x72'):
        encoder(torch.rand(1, 1, 64, 72))
    with pytest.raises(ValueError, match='one entry per stage'):
        ASKCResNet(num_blocks=(3, 3))


@pytest.mark.parametrize('config', CONFIGS)
def test_port_batch_norm_momenta_and_dropout(config):
    """Momentum 0.9 everywhere except inside the basic blocks (0.1), and
    element-wise dropout 0.1 before the last conv, as in the port."""
    model = build_model(config)
    block_norms = {
        f'{name}.{norm}'
        for name, module in model.named_modules()
        if type(module).__name__ == 'BasicBlock' for norm in ('bn1', 'bn2')
    }
    norms = {
        name: module.momentum
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.BatchNorm2d)
    }
    assert block_norms and block_norms < set(norms)
    for name, momentum in norms.items():
        assert momentum == (0.1 if name in block_norms else 0.9), name
    assert 'backbone.stem.0' in norms  # the input's own batch norm
    dropout = model.decode_head.dropout
    assert type(dropout) is torch.nn.Dropout and dropout.p == 0.1


@pytest.mark.parametrize('config', CONFIGS)
def test_segmentor_trains_and_predicts_any_size(config):
    torch.manual_seed(0)
    model = build_model(config)
    model.init_weights()
    model.train()
    inputs = torch.rand(2, 1, 64, 64)
    samples = []
    for i in range(2):
        label = torch.zeros(1, 64, 64, dtype=torch.long)
        label[0, 30 + i:33 + i, 40:43] = 1
        samples.append(SegDataSample(gt_sem_seg=PixelData(data=label)))
    loss = model.loss(inputs, samples)['decode.loss_softiou']
    assert torch.isfinite(loss) and 0 < loss <= 1
    loss.backward()
    assert all(p.grad is not None for p in model.parameters())

    # whole-image inference pads 50x70 to 64x96 (size_divisor 32) and
    # crops the prediction back
    model.eval()
    sample = SegDataSample(
        metainfo=dict(img_shape=(50, 70), ori_shape=(50, 70)))
    with torch.no_grad():
        result = model.test_step(
            dict(inputs=[torch.rand(1, 50, 70) * 255],
                 data_samples=[sample]))[0]
    assert result.pred_sem_seg.data.shape == (1, 50, 70)
    probability = result.seg_logits.data
    assert ((probability >= 0) & (probability <= 1)).all()
