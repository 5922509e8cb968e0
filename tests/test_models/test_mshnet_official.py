"""MSHNet reproduces the official network (Lliu666/MSHNet) exactly.

The official weights of the fixture are written in the official checkpoint
formats, converted, loaded with ``strict=True`` into the segmentor built
from ``configs/_base_/models/mshnet.py`` and run on every reference case:
the four side logits and the fused logits with ``warm_flag`` True, the
single output with ``warm_flag`` False, and the outputs of the main
modules.
"""
import pytest
import torch

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/mshnet.py'
TOLERANCE = 1e-4
OFFICIAL_PARAMETERS = 4065513

# official module -> plugin module whose output is compared
MODULES = {
    'conv_init': 'backbone.stem',
    'encoder_0': 'backbone.stages.0',
    'encoder_1': 'backbone.stages.1',
    'encoder_2': 'backbone.stages.2',
    'encoder_3': 'backbone.stages.3',
    'middle_layer': 'backbone.stages.4',
    'encoder_0.0.ca': 'backbone.stages.0.0.channel_attention',
    'encoder_0.0.sa': 'backbone.stages.0.0.spatial_attention',
    'decoder_3': 'decode_head.decode_stages.3',
    'decoder_2': 'decode_head.decode_stages.2',
    'decoder_1': 'decode_head.decode_stages.1',
    'decoder_0': 'decode_head.decode_stages.0',
    'output_0': 'decode_head.side_convs.0',
    'output_1': 'decode_head.side_convs.1',
    'output_2': 'decode_head.side_convs.2',
    'output_3': 'decode_head.side_convs.3',
    'final': 'decode_head.conv_seg',
}


def _official_formats(state):
    """What the official code writes: the best weights (bare), the resume
    file, the released weights, and a DataParallel model's bare weights."""
    return {
        'bare': dict(state),
        'resume': dict(net=dict(state), optimizer={}, epoch=5, iou=0.5),
        'released': dict(state_dict=dict(state)),
        'data_parallel': {f'module.{k}': v
                          for k, v in state.items()},
    }


@pytest.fixture
def reference(peer_reference):
    return peer_reference('mshnet')


def test_every_official_format_converts_alike(reference, tmp_path):
    converted = {}
    for name, checkpoint in _official_formats(reference.state).items():
        torch.save(checkpoint, tmp_path / f'{name}.pth')
        converted[name] = convert_official_peer_checkpoint(
            'mshnet', tmp_path / f'{name}.pth')
    expected, _ = converted.pop('resume')
    for name, (checkpoint, dropped) in converted.items():
        assert dropped == 0, name
        assert list(checkpoint['state_dict']) == list(
            expected['state_dict'])
        for key, value in expected['state_dict'].items():
            assert torch.equal(checkpoint['state_dict'][key], value), (name,
                                                                       key)
    with pytest.raises(KeyError, match='not an official MSHNet'):
        convert_official_peer_checkpoint('mshnet', {'weight': torch.ones(1)})


@pytest.fixture
def segmentor(reference, tmp_path):
    """The segmentor with the official weights, written as the official
    resume file (``{'net', 'optimizer', 'epoch', 'iou'}``) and converted."""
    path = tmp_path / 'checkpoint.pkl'
    torch.save(_official_formats(reference.state)['resume'], path)
    checkpoint, dropped = convert_official_peer_checkpoint('mshnet', path)
    assert dropped == 0
    model = build_model(CONFIG)
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    return model.eval()


def test_parameter_count(reference, segmentor):
    official = count_parameters(
        {name: reference.state[name]
         for name, _, _ in reference.entries})
    assert official == OFFICIAL_PARAMETERS
    assert sum(p.numel() for p in segmentor.parameters()) == official
    assert len(segmentor.state_dict()) == len(reference.entries)


def _run(segmentor, inputs, warm_flag):
    head = segmentor.decode_head
    head.warm_flag = warm_flag
    try:
        with torch.no_grad():
            outputs = head.forward_outputs(segmentor.extract_feat(inputs))
            prediction = segmentor(inputs, mode='tensor')
    finally:
        head.warm_flag = True
    assert torch.equal(prediction, outputs[-1])
    return outputs


@pytest.mark.parametrize('case', ['1x3x256x256', '2x3x192x256'])
def test_outputs_match_official(reference, segmentor, case):
    data = reference.cases[case]
    warm = _run(segmentor, data['input'], True)
    assert len(warm) == len(data['outputs']) == 5
    errors = [
        capture_error(actual, expected)
        for actual, expected in zip(warm, data['outputs'])
    ]
    cold = _run(segmentor, data['input'], False)
    assert len(cold) == len(data['outputs_warm_flag_false']) == 1
    errors.append(
        capture_error(cold[0], data['outputs_warm_flag_false'][0]))
    assert max(errors) < TOLERANCE, errors


def test_modules_match_official(reference, segmentor):
    data = reference.cases['1x3x256x256']
    assert set(data['modules']) == set(MODULES)
    with captured_outputs(segmentor, MODULES) as captured:
        _run(segmentor, data['input'], True)
    errors = {
        name: capture_error(captured[name], expected[0])
        for name, expected in data['modules'].items()
    }
    assert max(errors.values()) < TOLERANCE, errors
