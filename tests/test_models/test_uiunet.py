"""UIU-Net components on a narrow configuration: residual U-blocks, the
seven outputs, the official loss, any input size."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData

from datransnet_mmseg.models.layers.uiunet_rsu import RSU
from mmseg.structures import SegDataSample
from peer_helpers import build_model

CONFIG = 'configs/_base_/models/uiunet.py'
NARROW = {
    'backbone.stage_channels': (8, 8, 8, 8, 8, 8),
    'backbone.mid_channels': (4, 4, 4, 4, 4, 4),
    'backbone.depths': (4, 3, 3, 2, 2, 2),
    'decode_head.in_channels': (8, 8, 8, 8, 8, 8),
    'decode_head.decoder_channels': (8, 8, 8, 8, 8),
    'decode_head.decoder_mid_channels': (4, 4, 4, 4, 4),
    'decode_head.decoder_depths': (4, 3, 3, 2, 2),
}


def dilations(block):
    return [conv.conv.dilation[0] for conv in block.encoder], \
        [conv.conv.dilation[0] for conv in block.decoder]


def test_rsu_levels_and_dilations():
    plain = RSU(3, 4, 6, depth=5)
    assert dilations(plain) == ([1, 1, 1, 1, 2], [1, 1, 1, 1])
    dilated = RSU(3, 4, 6, depth=4, dilated=True)
    assert dilations(dilated) == ([1, 2, 4, 8], [1, 2, 4])
    x = torch.rand(2, 3, 7, 5)
    for block in (plain, dilated):
        assert block.eval()(x).shape == (2, 6, 7, 5)
    with pytest.raises(ValueError, match='at least 2'):
        RSU(3, 4, 6, depth=1)


@pytest.mark.parametrize('size', [(1, 1), (3, 5), (37, 53)])
def test_any_input_size(size):
    model = build_model(CONFIG, NARROW).eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, *size), mode='tensor')
    assert out.shape == (1, 1, *size)


def test_outputs_in_training_and_input_channels():
    model = build_model(CONFIG, NARROW).train()
    outputs = model(torch.rand(2, 3, 20, 12), mode='tensor')
    assert len(outputs) == 7
    assert all(out.shape == (2, 1, 20, 12) for out in outputs)
    with pytest.raises(ValueError, match='repeat_channels=3'):
        model(torch.rand(2, 1, 20, 12), mode='tensor')


def test_loss_is_the_official_sum_and_reaches_every_parameter():
    """Seven binary cross-entropies (mean over pixels) on the sigmoid of
    each output, summed with equal weights, as the official training."""
    torch.manual_seed(0)
    model = build_model(CONFIG, NARROW).train()
    head = model.decode_head
    inputs = torch.randn(2, 3, 16, 24)
    labels = (torch.rand(2, 1, 16, 24) > 0.9).long()
    samples = [
        SegDataSample(gt_sem_seg=PixelData(data=label)) for label in labels
    ]
    feats = model.extract_feat(inputs)
    losses = head.loss(feats, samples, model.train_cfg)
    outputs = head.forward_outputs(feats)
    expected = sum(
        F.binary_cross_entropy(out.sigmoid(), labels.float())
        for out in outputs)
    names = [name for name in losses if 'loss' in name]
    assert sorted(names) == sorted(['loss_ce'] + [
        f'side{i}.loss_ce' for i in range(1, 7)
    ])
    total = sum(losses[name] for name in names)
    torch.testing.assert_close(total, expected)

    total.backward()
    # (conv biases before a training-mode BN get a zero gradient, but get
    # one: the official network has them)
    missing = [
        name for name, p in model.named_parameters() if p.grad is None
    ]
    assert not missing


def test_grey_input_is_repeated_and_normalised():
    """One grey channel on the 0..255 scale becomes three channels of
    (v / 255 - 0.485) / 0.229, the official normalisation of grey
    images."""
    model = build_model(CONFIG, NARROW)
    grey = torch.randint(0, 256, (1, 6, 5)).float()
    sample = SegDataSample()
    sample.set_metainfo(dict(img_shape=(6, 5), ori_shape=(6, 5)))
    data = model.data_preprocessor(
        dict(inputs=[grey], data_samples=[sample]))
    expected = ((grey / 255 - 0.485) / 0.229).expand(3, 6, 5)
    torch.testing.assert_close(data['inputs'][0], expected)
