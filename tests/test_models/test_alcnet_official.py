"""ALCNet reproduces BasicIRSTD's PyTorch port (ASKCResNetFPN) exactly.

The official weights of the fixture are written as BasicIRSTD's
``train.py`` writes them (``{'epoch', 'state_dict', 'total_loss'}``, keys
prefixed with ``model.``), converted (the unused ``uplayer1`` and
``uplayer2`` are dropped), loaded with ``strict=True`` into the segmentor
built from ``configs/_base_/models/alcnet.py`` and run on every reference
case: the probabilities (sigmoid of the plugin's logits) and the outputs
of the main modules.
"""
import pytest
import torch

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/alcnet.py'
TOLERANCE = 1e-4
# the fixture's README: 519,889 in all, 92,928 in the unused uplayer1/2
OFFICIAL_PARAMETERS = 519889
UNUSED_PARAMETERS = 92928

# official module -> plugin module whose output is compared
MODULES = {
    'stem': 'backbone.stem',
    'layer1': 'backbone.layer1',
    'layer2': 'backbone.layer2',
    'layer3': 'backbone.layer3',
    'deconv2': 'decode_head.up_convs.0',
    'fuse23.topdown': 'decode_head.fusions.0.global_gate',
    'fuse23.bottomup': 'decode_head.fusions.0.local_gate',
    'fuse23': 'decode_head.fusions.0',
    'deconv1': 'decode_head.up_convs.1',
    'fuse12': 'decode_head.fusions.1',
    'deconv0': 'decode_head.up_convs.2',
    'head': 'decode_head.conv_seg',
}


@pytest.fixture
def reference(peer_reference):
    return peer_reference('alcnet')


@pytest.fixture
def segmentor(reference, tmp_path):
    """The segmentor with the official weights, saved in the official
    checkpoint format and converted."""
    path = tmp_path / 'ALCNet_400.pth.tar'
    torch.save(
        dict(
            epoch=400,
            state_dict={f'model.{k}': v
                        for k, v in reference.state.items()},
            total_loss=[0.1]), path)
    checkpoint, dropped = convert_official_peer_checkpoint('alcnet', path)
    assert dropped == UNUSED_PARAMETERS
    assert not any('uplayer' in key for key in checkpoint['state_dict'])
    model = build_model(CONFIG)
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    return model.eval()


def test_parameter_count(reference, segmentor):
    assert count_parameters(reference.state) == OFFICIAL_PARAMETERS
    assert sum(p.numel() for p in segmentor.parameters()
               ) == OFFICIAL_PARAMETERS - UNUSED_PARAMETERS
    unused = [
        name for name, _, _ in reference.entries
        if name.startswith(('uplayer1.', 'uplayer2.'))
    ]
    assert len(segmentor.state_dict()) == len(reference.entries) - len(
        unused)


@pytest.mark.parametrize('case', ['1x1x256x256', '2x1x256x384'])
def test_outputs_match_official(reference, segmentor, case):
    data = reference.cases[case]
    assert len(data['outputs']) == 1
    with torch.no_grad():
        probability = segmentor(data['input'], mode='tensor').sigmoid()
    error = capture_error(probability, data['outputs'][0])
    assert error < TOLERANCE, error


def test_modules_match_official(reference, segmentor):
    data = reference.cases['1x1x256x256']
    assert set(data['modules']) == set(MODULES)
    with captured_outputs(segmentor, MODULES) as captured, \
            torch.no_grad():
        segmentor(data['input'], mode='tensor')
    errors = {
        name: capture_error(captured[name], expected[0])
        for name, expected in data['modules'].items()
    }
    assert max(errors.values()) < TOLERANCE, errors
