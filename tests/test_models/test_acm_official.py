"""ACM reproduces BasicIRSTD's PyTorch port (ASKCResUNet) exactly.

The official weights of the fixture are written as BasicIRSTD's
``train.py`` writes them (``{'epoch', 'state_dict', 'total_loss'}``, keys
prefixed with ``model.``), converted, loaded with ``strict=True`` into the
segmentor built from ``configs/_base_/models/acm.py`` and run on every
reference case: the probabilities (sigmoid of the plugin's logits) and
the outputs of the main modules.
"""
import pytest
import torch

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/acm.py'
TOLERANCE = 1e-4
OFFICIAL_PARAMETERS = 397823  # the fixture's README; all are used

# official module -> plugin module whose output is compared
MODULES = {
    'stem': 'backbone.stem',
    'layer1': 'backbone.layer1',
    'layer2': 'backbone.layer2',
    'layer3': 'backbone.layer3',
    'deconv2': 'decode_head.up_convs.0',
    'fuse2.topdown': 'decode_head.fusions.0.global_gate',
    'fuse2.bottomup': 'decode_head.fusions.0.local_gate',
    'fuse2': 'decode_head.fusions.0',
    'uplayer2': 'decode_head.refines.0',
    'deconv1': 'decode_head.up_convs.1',
    'fuse1': 'decode_head.fusions.1',
    'uplayer1': 'decode_head.refines.1',
    'head': 'decode_head.conv_seg',
}


@pytest.fixture
def reference(peer_reference):
    return peer_reference('acm')


@pytest.fixture
def segmentor(reference, tmp_path):
    """The segmentor with the official weights, saved in the official
    checkpoint format and converted."""
    path = tmp_path / 'ACM_400.pth.tar'
    torch.save(
        dict(
            epoch=400,
            state_dict={f'model.{k}': v
                        for k, v in reference.state.items()},
            total_loss=[0.1]), path)
    checkpoint, dropped = convert_official_peer_checkpoint('acm', path)
    assert dropped == 0
    model = build_model(CONFIG)
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    return model.eval()


def test_parameter_count(reference, segmentor):
    assert count_parameters(reference.state) == OFFICIAL_PARAMETERS
    assert sum(p.numel()
               for p in segmentor.parameters()) == OFFICIAL_PARAMETERS
    assert len(segmentor.state_dict()) == len(reference.entries)


def test_bare_state_dict_converts_alike(reference):
    prefixed, _ = convert_official_peer_checkpoint(
        'acm', {f'model.{k}': v
                for k, v in reference.state.items()})
    bare, _ = convert_official_peer_checkpoint('acm', dict(reference.state))
    assert prefixed['state_dict'].keys() == bare['state_dict'].keys()
    with pytest.raises(KeyError, match='unexpected key'):
        convert_official_peer_checkpoint('acm', {'weight': torch.ones(1)})


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
