"""SCTransNet against the unmodified official network (reference fixtures).

The official weights are rebuilt from the fixture, saved as the official
training saves them (``{'epoch', 'state_dict', 'total_loss'}``, keys
prefixed with ``model.``), converted and loaded with ``strict=True`` into
the segmentor of ``configs/_base_/models/sctransnet.py``. The official
forward returns probabilities: the plugin's logits go through a sigmoid
before the comparison.
"""
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from mmseg.structures import SegDataSample
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/sctransnet.py'
TOLERANCE = 1e-4
OFFICIAL_PARAMETERS = 11_325_939  # fixture README
UNUSED_PARAMETERS = 122_944  # position embeddings and q*_attn* scalars

# official module -> plugin module with the same output(s)
MODULES = {
    'inc': 'backbone.stem',
    'down_encoder1': 'backbone.stages.0',
    'down_encoder2': 'backbone.stages.1',
    'down_encoder3': 'backbone.stages.2',
    'down_encoder4': 'backbone.stages.3',
    'mtc.embeddings_1': 'neck.patch_embeds.0',
    'mtc.embeddings_2': 'neck.patch_embeds.1',
    'mtc.embeddings_3': 'neck.patch_embeds.2',
    'mtc.embeddings_4': 'neck.patch_embeds.3',
    'mtc.encoder.layer.0.attn_norm': 'neck.blocks.0.kv_norm',
    'mtc.encoder.layer.0.channel_attn': 'neck.blocks.0.attn',
    'mtc.encoder.layer.0.ffn1': 'neck.blocks.0.ffns.0',
    'mtc.encoder.layer.0.ffn4': 'neck.blocks.0.ffns.3',
    'mtc.encoder.layer.0': 'neck.blocks.0',
    'mtc.encoder.layer.1': 'neck.blocks.1',
    'mtc.encoder.layer.2': 'neck.blocks.2',
    'mtc.encoder.layer.3': 'neck.blocks.3',
    'mtc.reconstruct_1': 'neck.reconstructs.0',
    'mtc.reconstruct_2': 'neck.reconstructs.1',
    'mtc.reconstruct_3': 'neck.reconstructs.2',
    'mtc.reconstruct_4': 'neck.reconstructs.3',
    'up_decoder4': 'decode_head.up_blocks.3',
    'up_decoder3': 'decode_head.up_blocks.2',
    'up_decoder2': 'decode_head.up_blocks.1',
    'up_decoder1': 'decode_head.up_blocks.0',
    'outc': 'decode_head.conv_seg',
    'gt_conv5': 'decode_head.side_convs.0',
    'gt_conv4': 'decode_head.side_convs.1',
    'gt_conv3': 'decode_head.side_convs.2',
    'gt_conv2': 'decode_head.side_convs.3',
    'outconv': 'decode_head.fuse_conv',
}


def official_checkpoint(state):
    return dict(
        epoch=1,
        state_dict={f'model.{key}': value
                    for key, value in state.items()},
        total_loss=[])


@pytest.fixture
def reference(peer_reference):
    return peer_reference('sctransnet')


@pytest.fixture
def model(reference, tmp_path):
    path = tmp_path / 'SCTransNet_1.pth.tar'
    torch.save(official_checkpoint(reference.state), path)
    checkpoint, dropped = convert_official_peer_checkpoint('sctransnet', path)
    assert dropped == UNUSED_PARAMETERS
    segmentor = build_model(CONFIG)
    segmentor.load_state_dict(checkpoint['state_dict'], strict=True)
    return segmentor.eval()


def test_outputs_of_every_case(reference, model):
    assert set(reference.cases) == {'1x1x256x256', '2x1x192x256'}
    for name, case in reference.cases.items():
        with torch.no_grad():
            logits = model(case['input'], mode='tensor')
            outputs = model.decode_head(
                model.extract_feat(case['input']), side_outputs=True)
        official = case['outputs']  # six probability maps, prediction last
        assert len(outputs) == len(official) == 6
        error = (logits.sigmoid() - official[-1]).abs().max().item()
        assert error < TOLERANCE, (name, 'prediction', error)
        for index, (actual, expected) in enumerate(zip(outputs, official)):
            assert actual.shape == expected.shape, (name, index)
            error = (actual.sigmoid() - expected).abs().max().item()
            assert error < TOLERANCE, (name, index, error)


def test_module_captures(reference, model):
    case = reference.cases['1x1x256x256']
    captures = case['modules']
    with captured_outputs(model, MODULES) as actual, torch.no_grad():
        feats = model.backbone(case['input'])
        model.decode_head(model.neck(feats), side_outputs=True)
    # The official transformer ends with its final norms; its output is the
    # reconstruction plus the encoder feature (the network adds the encoder
    # feature once more afterwards).
    actual['mtc.encoder'] = [
        norm(tokens) for norm, tokens in zip(model.neck.out_norms,
                                             actual['mtc.encoder.layer.3'])
    ]
    actual['mtc'] = [
        actual[f'mtc.reconstruct_{level + 1}'] + feats[level]
        for level in range(4)
    ]
    assert set(actual) == set(captures)
    for name, capture in captures.items():
        outputs = actual[name]
        if isinstance(outputs, torch.Tensor):
            outputs = [outputs]
        assert len(outputs) == len(capture), name
        for index, (tensor, entry) in enumerate(zip(outputs, capture)):
            error = capture_error(tensor, entry)
            assert error < TOLERANCE, (name, index, error)


def test_parameter_count(reference, model):
    buffers = ('running_mean', 'running_var', 'num_batches_tracked')
    official = sum(
        torch.Size(shape).numel() for name, shape, _ in reference.entries
        if not name.endswith(buffers))
    assert official == OFFICIAL_PARAMETERS
    expected = OFFICIAL_PARAMETERS - UNUSED_PARAMETERS
    assert count_parameters(model.state_dict()) == expected
    assert sum(p.numel() for p in model.parameters()) == expected


def test_position_embeddings_of_any_img_size_are_dropped(reference):
    """An official model built with img_size 512 differs only in the shape
    of the (unused) position embeddings."""
    state = dict(reference.state)
    for level, channels in enumerate((32, 64, 128, 256), start=1):
        state[f'mtc.embeddings_{level}.position_embeddings'] = torch.zeros(
            1, 1024, channels)
    checkpoint, dropped = convert_official_peer_checkpoint(
        'sctransnet', official_checkpoint(state))
    assert dropped == 1024 * 480 + 4 * 16
    segmentor = build_model(CONFIG)
    segmentor.load_state_dict(checkpoint['state_dict'], strict=True)


def test_deep_supervision_loss_is_the_sum_of_six_bce():
    """The official loss: nn.BCELoss (mean) of each of the six probability
    maps against the mask, summed."""
    head = build_model(CONFIG).decode_head
    generator = torch.Generator().manual_seed(0)
    logits = tuple(
        torch.randn(2, 1, 32, 32, generator=generator) * 3 for _ in range(6))
    masks = (torch.rand(2, 32, 32, generator=generator) > 0.9).long()
    samples = [
        SegDataSample(gt_sem_seg=PixelData(data=mask[None])) for mask in masks
    ]
    losses = head.loss_by_feat(logits, samples)
    assert set(losses) == {
        'loss_ce', 'acc_seg', 'side16.loss_ce', 'side8.loss_ce',
        'side4.loss_ce', 'side2.loss_ce', 'fused.loss_ce'
    }
    expected = [
        F.binary_cross_entropy(x.sigmoid()[:, 0], masks.float())
        for x in logits
    ]
    assert torch.allclose(losses['loss_ce'], expected[-1], atol=1e-6)
    total = sum(value for key, value in losses.items() if 'loss' in key)
    assert torch.allclose(total, sum(expected), atol=1e-5)


def test_training_forward_returns_all_outputs_evaluation_one():
    model = build_model(CONFIG)
    x = torch.rand(2, 1, 32, 48)
    outputs = model.decode_head(model.extract_feat(x))
    assert [tuple(o.shape) for o in outputs] == [(2, 1, 32, 48)] * 6
    model.eval()
    with torch.no_grad():
        assert model(x, mode='tensor').shape == (2, 1, 32, 48)


def test_input_size_error_and_whole_image_padding():
    model = build_model(CONFIG).eval()
    with pytest.raises(ValueError, match=r'multiples of 16, got 40x48'):
        model(torch.rand(1, 1, 40, 48), mode='tensor')
    # Whole-image inference pads a 50x70 image to 64x96 and crops back.
    image = torch.randint(0, 256, (1, 50, 70), dtype=torch.uint8)
    sample = SegDataSample()
    sample.set_metainfo(dict(img_shape=(50, 70), ori_shape=(50, 70)))
    with torch.no_grad():
        result, = model.test_step(dict(inputs=[image], data_samples=[sample]))
    assert result.pred_sem_seg.data.shape == (1, 50, 70)
