"""DNANet against the official network (reference fixtures), plus its
official loss averaging and size constraint."""
import torch
from mmengine.structures import PixelData

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from mmseg.structures import SegDataSample
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/dnanet.py'
OFFICIAL_PARAMS = 4_696_888  # fixture README: all used, all trainable
TOLERANCE = 1e-4

# official module name -> plugin module (written from the fixture README)
MODULES = {
    'conv0_0': 'backbone.encoder.0',
    'conv1_0': 'backbone.encoder.1',
    'conv2_0': 'backbone.encoder.2',
    'conv3_0': 'backbone.encoder.3',
    'conv4_0': 'backbone.encoder.4',
    'conv1_1': 'backbone.dense_stages.0.1',
    'conv2_1': 'backbone.dense_stages.0.2',
    'conv3_1': 'backbone.dense_stages.0.3',
    'conv1_2': 'backbone.dense_stages.1.1',
    'conv2_2': 'backbone.dense_stages.1.2',
    'conv1_3': 'backbone.dense_stages.2.1',
    'conv0_1_1x1': 'decode_head.lateral_convs.0',
    'conv0_2_1x1': 'decode_head.lateral_convs.1',
    'conv0_3_1x1': 'decode_head.lateral_convs.2',
    'conv0_4_1x1': 'decode_head.lateral_convs.3',
    'conv0_4_final': 'decode_head.fusion',
}


def _official_outputs(model, x):
    """The four logit maps, in the official order: the prediction from the
    segmentor, the side outputs from the head with only its own training
    flag set (its BN layers keep their running statistics)."""
    head = model.decode_head
    prediction = model(x, mode='tensor')
    head.training = True
    try:
        outputs = head(model.extract_feat(x))
    finally:
        head.training = False
    assert torch.equal(outputs[-1], prediction)
    return outputs


def test_official_checkpoint_reproduces_official_outputs(
        peer_reference, tmp_path):
    reference = peer_reference('dnanet')
    official_params = sum(
        torch.Size(shape).numel() for name, shape, _ in reference.entries
        if not name.endswith(('running_mean', 'running_var',
                              'num_batches_tracked')))
    assert official_params == OFFICIAL_PARAMS
    # the official checkpoint format: a dict around an unprefixed state dict
    path = tmp_path / 'mIoU__DNANet_NUDT-SIRST_epoch.pth.tar'
    torch.save(
        dict(
            epoch=0,
            state_dict=dict(reference.state),
            loss=0.,
            mean_IOU=0.), path)
    checkpoint, dropped = convert_official_peer_checkpoint('dnanet', path)
    assert dropped == 0
    assert count_parameters(checkpoint['state_dict']) == OFFICIAL_PARAMS

    model = build_model(CONFIG)
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    model.eval()
    assert sum(p.numel() for p in model.parameters()) == OFFICIAL_PARAMS

    errors = {}
    for case_name, case in reference.cases.items():
        with captured_outputs(model, MODULES) as captured, torch.no_grad():
            outputs = _official_outputs(model, case['input'])
            assert len(outputs) == len(case['outputs']) == 4
            for index, (actual, expected) in enumerate(
                    zip(outputs, case['outputs'])):
                assert actual.shape == expected.shape
                errors[f'{case_name} output {index}'] = (
                    actual - expected).abs().max().item()
            for name, capture in case.get('modules', {}).items():
                errors[f'{case_name} {name}'] = capture_error(
                    captured[name], capture)
    assert len(errors) == 2 * 4 + len(MODULES)
    worst = {name: error for name, error in errors.items()
             if not error <= TOLERANCE}
    assert not worst, worst


def test_training_outputs_and_averaged_soft_iou():
    """Four full-resolution logit maps in training, the prediction alone
    otherwise, and the loss is the mean SoftIoU of the four outputs."""
    model = build_model(CONFIG)
    x = torch.rand(2, 3, 32, 32)
    model.train()
    outputs = model.decode_head(model.extract_feat(x))
    assert [tuple(out.shape) for out in outputs] == [(2, 1, 32, 32)] * 4
    model.eval()
    with torch.no_grad():
        assert model(x, mode='tensor').shape == (2, 1, 32, 32)

    label = torch.zeros(1, 1, 4, 4, dtype=torch.long)
    label[..., 1:3, 1:3] = 1
    sample = SegDataSample(gt_sem_seg=PixelData(data=label[0]))
    uncertain = torch.zeros(1, 1, 4, 4)  # p = 0.5 everywhere
    exact = (label.float() * 2 - 1) * 40  # p = 1 on the target, 0 elsewhere
    losses = model.decode_head.loss_by_feat([uncertain] * 3 + [exact],
                                            [sample])
    # p = 0.5: intersection 2, union 8 + 4 - 2, SoftIoU loss 1 - 3 / 11
    expected = (3 * (1 - 3 / 11) + 0) / 4
    assert abs(losses['loss_softiou'].item() - expected) < 1e-6


def test_input_size_error_and_padded_inference():
    model = build_model(CONFIG)
    model.eval()
    try:
        model.backbone(torch.rand(1, 3, 40, 48))
    except ValueError as error:
        assert 'multiples of 16' in str(error) and '40x48' in str(error)
    else:
        raise AssertionError('a 40x48 input must be refused')
    # whole-image inference pads 40x50 to 48x64 and crops back
    sample = SegDataSample()
    sample.set_metainfo(dict(img_shape=(40, 50), ori_shape=(40, 50)))
    image = torch.rand(1, 40, 50) * 255
    with torch.no_grad():
        result, = model.test_step(dict(inputs=[image], data_samples=[sample]))
    assert result.seg_logits.data.shape == (1, 40, 50)
    assert result.pred_sem_seg.data.shape == (1, 40, 50)
