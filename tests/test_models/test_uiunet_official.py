"""The plugin's UIU-Net computes what the official UIUNET(3, 1) computes.

The official weights of the fixture are saved in the official checkpoint
format (a bare state dict), converted, and loaded with ``strict=True`` into
the segmentor of ``configs/_base_/models/uiunet.py``. Every case must give
the seven official outputs (probabilities) and the captured module outputs.
The model (50.5 M parameters) is built once for the module.
"""
import pytest
import torch

from datransnet_mmseg.models.official import (
    convert_official_peer_checkpoint, count_parameters)
from peer_helpers import build_model, capture_error, captured_outputs

CONFIG = 'configs/_base_/models/uiunet.py'
TOL = 1e-4
OFFICIAL_PARAMS = 50_541_461
CASES = ('1x3x128x128', '2x3x88x136')
# official module -> plugin module (inside EncoderDecoder)
MODULES = {
    'stage2': 'backbone.stages.1',
    'stage3': 'backbone.stages.2',
    'stage4': 'backbone.stages.3',
    'stage5': 'backbone.stages.4',
    'stage6': 'backbone.stages.5',
    'fuse5': 'decode_head.fusions.3',
    'stage5d': 'decode_head.decoders.4',
    'stage4d': 'decode_head.decoders.3',
    'stage3d': 'decode_head.decoders.2',
    'stage2d': 'decode_head.decoders.1',
    'side2': 'decode_head.side_convs.1',
    'side3': 'decode_head.side_convs.2',
    'side4': 'decode_head.side_convs.3',
    'side5': 'decode_head.side_convs.4',
    'side6': 'decode_head.side_convs.5',
}


@pytest.fixture(scope='module')
def store():
    """Holds the converted model for the tests of this module."""
    cached = {}
    yield cached
    cached.clear()


@pytest.fixture
def uiunet(store, peer_reference, tmp_path_factory):
    """(reference, eval segmentor with the official weights, converted
    checkpoint, number of dropped parameters)."""
    if not store:
        torch.set_num_threads(1)
        reference = peer_reference('uiunet')
        path = tmp_path_factory.mktemp('uiunet') / 'uiunet.pth'
        torch.save(dict(reference.state), path)  # official: bare state dict
        checkpoint, dropped = convert_official_peer_checkpoint('uiunet', path)
        path.unlink()
        model = build_model(CONFIG)
        model.load_state_dict(checkpoint['state_dict'], strict=True)
        store.update(
            reference=reference,
            model=model.eval(),
            checkpoint=checkpoint,
            dropped=dropped)
    return store


@pytest.mark.parametrize('case', CASES)
def test_official_outputs(case, uiunet):
    ref = uiunet['reference'].cases[case]
    model = uiunet['model']
    modules = MODULES if 'modules' in ref else {}
    with captured_outputs(model, modules) as captured, torch.no_grad():
        prediction = model(ref['input'], mode='tensor')
        outputs = model.decode_head.forward_outputs(
            model.extract_feat(ref['input']))

    assert len(outputs) == len(ref['outputs']) == 7
    errors = [
        capture_error(out.sigmoid(), expected)
        for out, expected in zip(outputs, ref['outputs'])
    ]
    assert max(errors) <= TOL, errors
    # the prediction path returns the fused output only
    assert capture_error(prediction.sigmoid(), ref['outputs'][0]) <= TOL

    for key, expected in ref.get('modules', {}).items():
        actual = captured[key]
        if isinstance(expected, (list, tuple)):
            assert len(actual) == len(expected), key
            error = max(map(capture_error, actual, expected))
        else:
            error = capture_error(actual, expected)
        assert error <= TOL, (key, error)
    assert set(ref.get('modules', {})) <= set(MODULES)


def test_parameter_count_and_conversion(uiunet):
    state_dict = uiunet['checkpoint']['state_dict']
    assert uiunet['dropped'] == 0
    assert count_parameters(state_dict) == OFFICIAL_PARAMS
    assert len(state_dict) == len(uiunet['reference'].entries)
    params = uiunet['model'].parameters()
    assert sum(p.numel() for p in params) == OFFICIAL_PARAMS
    assert 'uiunet' in uiunet['checkpoint']['meta']['converted_from']


def test_unwrap_rejects_other_checkpoints():
    with pytest.raises(KeyError, match='not an official UIU-Net'):
        convert_official_peer_checkpoint(
            'uiunet', {'state_dict': {'stage1.weight': torch.zeros(1)}})
