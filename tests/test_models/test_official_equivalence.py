"""The plugin computes what the official DATransNet computes.

Official checkpoints (random weights, real BN statistics) are converted and
loaded into the segmentor built from the config; every reference case of
``official_io.pt`` (official probabilities, and per-module outputs) must be
reproduced in fp32 to 1e-5.
"""
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from mmengine.runner import load_checkpoint

from datransnet_mmseg.models import (convert_official_checkpoint,
                                     convert_official_state_dict)
from datransnet_mmseg.models.layers.device_paths import force_device_paths
from mmseg.structures import SegDataSample

REPO_ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-5
CHAIN_TOL = 8e-5
CHECKPOINTS = {
    'img256': ('official_img256_seed0.pth.tar', 256),
    'img512': ('official_img512_seed1.pth.tar', 512),
}
# official module -> plugin module (inside EncoderDecoder)
MODULES = {
    'inc': 'backbone.stem',
    'encoder1': 'backbone.stages.0',
    'encoder2': 'backbone.stages.1',
    'encoder3': 'backbone.stages.2',
    'encoder4': 'backbone.stages.3',
    'contras1': 'neck.datrans.0',
    'contras2': 'neck.datrans.1',
    'contras3': 'neck.datrans.2',
    'contras4': 'neck.datrans.3',
    'GFEM': 'neck.gfem',
    'decoder4': 'decode_head.up_stages.3',
    'decoder3': 'decode_head.up_stages.2',
    'decoder2': 'decode_head.up_stages.1',
    'decoder1': 'decode_head.up_stages.0',
    'outc': 'decode_head.conv_seg',  # pre-sigmoid logits
}


@pytest.fixture
def load_official(build_segmentor, official_checkpoint):
    """``load_official(case_name)`` -> eval segmentor with the weights."""

    def load(case):
        file_name, img_size = CHECKPOINTS[case.split('_')[0]]
        model = build_segmentor(img_size=img_size)
        model.load_state_dict(
            official_checkpoint(file_name)[0]['state_dict'], strict=True)
        return model.eval()

    return load


@pytest.mark.parametrize('paths', ['cpu', 'cpu-autograd', 'gpu'])
@pytest.mark.parametrize('case', [
    'img256_in2x1x256x256', 'img256_in1x1x256x256_modules',
    'img256_in1x1x256x384', 'img512_in1x1x512x512', 'img512_in1x1x256x256'
])
def test_official_outputs(case, paths, official_io, load_official):
    """Every code path: CPU (chunked keys, one conv per sample, narrow
    layers channels-last), CPU with autograd (keys at once) and the GPU
    paths (default memory format, grouped dynamic conv) forced on CPU."""
    ref = official_io[case]
    model = load_official(case)
    with force_device_paths(paths.split('-')[0]), \
            torch.set_grad_enabled(paths == 'cpu-autograd'):
        prob = model(ref['input'], mode='tensor').sigmoid()
    assert prob.shape == ref['output'].shape
    assert (prob - ref['output']).abs().max().item() <= TOL


def module_inputs(ref):
    """Inputs of every official module, taken from the official outputs."""
    out, pool = ref['modules'], partial(F.max_pool2d, kernel_size=2)
    return {
        'inc': (ref['input'], ),
        'encoder1': (pool(out['inc']), ),
        'encoder2': (pool(out['encoder1']), ),
        'encoder3': (pool(out['encoder2']), ),
        'encoder4': (pool(out['encoder3']), ),
        'contras1': (out['inc'], ),
        'contras2': (out['encoder1'], ),
        'contras3': (out['encoder2'], ),
        'contras4': (out['encoder3'], ),
        'GFEM': (out['encoder4'], ),
        'decoder4': (out['GFEM'], out['encoder3'], out['contras4']),
        'decoder3': (out['decoder4'], out['encoder2'], out['contras3']),
        'decoder2': (out['decoder3'], out['encoder1'], out['contras2']),
        'decoder1': (out['decoder2'], out['inc'], out['contras1']),
        'outc': (out['decoder1'], ),
    }


def test_official_module_outputs(official_io, load_official):
    """Each module of the segmentor, fed the official inputs of its
    official counterpart, reproduces the official output."""
    ref = official_io['img256_in1x1x256x256_modules']
    assert set(ref['modules']) == set(MODULES)
    model = load_official('img256')
    modules = dict(model.named_modules())
    modules['decode_head.conv_seg'] = lambda x: model.decode_head.cls_seg(
        model.decode_head.inception(x))  # official outc = both
    with torch.no_grad():
        for key, inputs in module_inputs(ref).items():
            out = modules[MODULES[key]](*inputs)
            expected = ref['modules'][key]
            assert out.shape == expected.shape, key
            error = (out - expected).abs().max().item()
            assert error <= TOL, f'{key}: max |diff| {error:.3g}'


def test_official_module_outputs_end_to_end(official_io, load_official):
    """Module outputs captured in one forward pass of the segmentor.

    Along the chain, fp32 rounding of the reference itself accumulates (up
    to 4e-5 from a float64 evaluation at the deepest encoder stage), so
    any implementation that does not repeat its exact operation order can
    differ by that much; the final probabilities are checked to 1e-5
    above.
    """
    ref = official_io['img256_in1x1x256x256_modules']
    model = load_official('img256')
    modules = dict(model.named_modules())
    outputs = {}
    hooks = [
        modules[name].register_forward_hook(
            lambda mod, args, out, key=key: outputs.__setitem__(key, out))
        for key, name in MODULES.items()
    ]
    with torch.no_grad():
        model(ref['input'], mode='tensor')
    for hook in hooks:
        hook.remove()
    for key, expected in ref['modules'].items():
        error = (outputs[key] - expected).abs().max().item()
        assert error <= CHAIN_TOL, f'{key}: max |diff| {error:.3g}'


def test_official_outputs_through_test_step(official_io, load_official):
    """The full inference path: 0..255 input, preprocessor, postprocess."""
    ref = official_io['img256_in2x1x256x256']
    model = load_official('img256')
    samples = [
        SegDataSample(metainfo=dict(img_shape=(256, 256),
                                    ori_shape=(256, 256)))
        for _ in range(2)
    ]
    data = dict(inputs=list(ref['input'] * 255), data_samples=samples)
    results = model.test_step(data)
    for result, expected in zip(results, ref['output']):
        assert (result.seg_logits.data - expected).abs().max() <= TOL
        assert torch.equal(result.pred_sem_seg.data,
                           (result.seg_logits.data > 0.5).float())


def test_parameter_count_and_dropped(official_checkpoint, build_segmentor):
    checkpoint, dropped = official_checkpoint(CHECKPOINTS['img256'][0])
    assert dropped == 755_328  # encoder5 (295,680) + decoder5 (459,648)
    model = build_segmentor()
    assert sum(p.numel() for p in model.parameters()) == 2_175_401
    assert checkpoint['meta']['dropped_unused_params'] == 755_328


def test_converter_folds_query_interleave():
    """Query rows are stacked channel-major over the dilations."""
    c, hid = 4, 2
    state_dict = {
        'model.contras1.query_convs.0.weight': torch.zeros(hid, c, 1, 1),
        'model.contras1.query_convs.1.weight': torch.ones(hid, c, 1, 1),
        'model.contras1.key_convs.0.weight': torch.zeros(8 * hid, 8 * c, 1,
                                                         1),
        'model.contras1.key_convs.1.weight': torch.ones(8 * hid, 8 * c, 1,
                                                        1),
        'model.contras1.value_convs.0.weight': torch.zeros(
            8 * hid, 8 * c, 1, 1),
        'model.contras1.value_convs.1.weight': torch.ones(
            8 * hid, 8 * c, 1, 1),
        'model.encoder5.0.conv1.weight': torch.zeros(3, 2),
        'model.encoder5.0.bn1.running_mean': torch.zeros(3),
    }
    converted, dropped = convert_official_state_dict(state_dict)
    assert dropped == 6  # buffers are not counted
    query = converted['neck.datrans.0.query.weight'][:, 0]
    # row c * 2 + k holds channel c of dilation k
    assert query.tolist() == [0., 1., 0., 1.]
    assert converted['neck.datrans.0.key_weight'].shape == (2, 8 * hid,
                                                            8 * c)
    assert converted['neck.datrans.0.key_weight'][1].eq(1).all()
    assert set(converted) == {
        'neck.datrans.0.query.weight', 'neck.datrans.0.key_weight',
        'neck.datrans.0.value_weight'
    }


def test_converter_tool(shared, tmp_path, build_segmentor):
    """The script writes a checkpoint mmengine loads with strict=True."""
    src = shared('reference', 'datransnet-official',
                 'official_img256_seed0.pth.tar')
    dst = tmp_path / 'datransnet.pth'
    script = REPO_ROOT / 'tools' / 'model_converters' / 'datransnet2mmseg.py'
    result = subprocess.run([sys.executable, script, src, dst],
                            capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert 'dropped 755,328 parameters' in result.stdout
    checkpoint = torch.load(dst, weights_only=True)
    assert set(checkpoint) == {'state_dict', 'meta'}
    model = build_segmentor()
    load_checkpoint(model, str(dst), strict=True)
    expected, _ = convert_official_checkpoint(src)
    for key, value in expected['state_dict'].items():
        assert torch.equal(model.state_dict()[key], value), key
