"""RDIAN against the unmodified official network (reference fixtures).

The official weights are rebuilt from the fixture, saved as the official
training saves them (a bare state dict), converted and loaded with
``strict=True`` into the segmentor of ``configs/_base_/models/rdian.py``.
In the fixture the eight direction kernels hold random values (the
official ones are fixed): they must come from the checkpoint.
"""
import pytest
import torch

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/rdian.py'
TOLERANCE = 1e-4
OFFICIAL_PARAMETERS = 216_758  # fixture README; none unused
DIRECTION_ELEMENTS = 8 * 25  # frozen in the official code: a buffer here

# official module -> plugin module (the direction kernels are channels of
# one module here)
MODULES = {
    'conv1': 'backbone.conv1',
    'conv2': 'backbone.conv2',
    'residual_block0': 'backbone.branches.0',
    'residual_block1': 'backbone.branches.1',
    'residual_block2': 'backbone.branches.2',
    'residual_block3': 'backbone.branches.3',
    'conv_cat': 'backbone.fusion_conv',
    'cbam.ChannelGate': 'backbone.cbam.channel_gate',
    'cbam': 'backbone.cbam',
}


@pytest.fixture
def reference(peer_reference):
    return peer_reference('rdian')


@pytest.fixture
def model(reference, tmp_path):
    path = tmp_path / 'Epoch-1_pixAcc-0_IoU-0_nIoU-0.pth'
    torch.save(dict(reference.state), path)  # bare state dict, no prefix
    checkpoint, dropped = convert_official_peer_checkpoint('rdian', path)
    assert dropped == 0
    segmentor = build_model(CONFIG)
    segmentor.load_state_dict(checkpoint['state_dict'], strict=True)
    return segmentor.eval()


def test_outputs_of_every_case(reference, model):
    assert set(reference.cases) == {'1x1x128x128', '2x1x255x383'}
    for name, case in reference.cases.items():
        with torch.no_grad():
            logits = model(case['input'], mode='tensor')
        official, = case['outputs']  # logits, the prediction
        assert logits.shape == official.shape, name
        error = (logits - official).abs().max().item()
        assert error < TOLERANCE, (name, error)


def test_module_captures(reference, model):
    case = reference.cases['1x1x128x128']
    captures = case['modules']
    modules = dict(MODULES, direction='backbone.direction')
    with captured_outputs(model, modules) as actual, torch.no_grad():
        model(case['input'], mode='tensor')
    direction = actual.pop('direction')
    actual.update({f'd1{k + 1}': direction[:, k:k + 1] for k in range(8)})
    assert set(actual) == set(captures)
    for name, capture in captures.items():
        error = capture_error(actual[name], capture)
        assert error < TOLERANCE, (name, error)


def test_random_direction_kernels_come_from_the_checkpoint(reference, model):
    official = torch.cat(
        [reference.state[f'd1{k}.weight'] for k in range(1, 9)])
    assert torch.equal(model.backbone.direction.kernels, official)


def test_data_parallel_prefix(reference):
    plain, _ = convert_official_peer_checkpoint('rdian',
                                                dict(reference.state))
    wrapped, _ = convert_official_peer_checkpoint(
        'rdian',
        {f'module.{key}': value
         for key, value in reference.state.items()})
    assert plain['state_dict'].keys() == wrapped['state_dict'].keys()
    for key, value in plain['state_dict'].items():
        assert torch.equal(value, wrapped['state_dict'][key]), key


def test_parameter_count(reference, model):
    buffers = ('running_mean', 'running_var', 'num_batches_tracked')
    official = sum(
        torch.Size(shape).numel() for name, shape, _ in reference.entries
        if not name.endswith(buffers))
    assert official == OFFICIAL_PARAMETERS
    assert count_parameters(model.state_dict()) == OFFICIAL_PARAMETERS
    trainable = sum(p.numel() for p in model.parameters())
    assert trainable == OFFICIAL_PARAMETERS - DIRECTION_ELEMENTS
    assert all(p.requires_grad for p in model.parameters())
