"""tools/deployment/export_onnx.py: dynamic-size ONNX matches PyTorch."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmseg.apis import init_model

from datransnet_mmseg.apis import IRSTDInferencer
from datransnet_mmseg.apis.onnx_export import (ProbabilityNet, onnx_input,
                                               onnx_max_abs_diff)
from datransnet_mmseg.utils.synthetic_sirst import render_scene

REPO_ROOT = Path(__file__).resolve().parents[2]
TINY = str(REPO_ROOT / 'tests' / 'test_apis' / 'data' / 'tiny_datransnet.py')
ONNX_PACKAGES = ('onnx', 'onnxscript', 'onnxruntime')


@pytest.fixture
def onnx_installed():
    """Skip without the onnx extra, except in CI, where it must be there."""
    missing = [
        name for name in ONNX_PACKAGES
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        reason = (f'{", ".join(missing)} not installed: pip install -e '
                  '".[onnx]"')
        if os.environ.get('CI') == 'true':
            pytest.fail(reason)
        pytest.skip(reason)


def test_export_and_parity(onnx_installed, tmp_path):
    torch.manual_seed(0)
    checkpoint = tmp_path / 'tiny.pth'
    torch.save(
        dict(state_dict=init_model(TINY, device='cpu').state_dict()),
        checkpoint)
    path = tmp_path / 'tiny.onnx'
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['OMP_NUM_THREADS'] = '1'
    result = subprocess.run([
        sys.executable, 'tools/deployment/export_onnx.py', TINY,
        '--checkpoint',
        str(checkpoint), '--out',
        str(path), '--shape', '64', '96'
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[
        -3000:]
    assert 'max |diff|' in result.stdout

    # other sizes than the example: height and width are dynamic
    segmentor = IRSTDInferencer(TINY, str(checkpoint)).model
    net = ProbabilityNet(segmentor).eval()
    inputs = [
        onnx_input(segmentor,
                   render_scene(2, 0, 150, 70)[0] * 255),  # -> 160x96
        onnx_input(segmentor, render_scene(2, 1, 64, 192)[0] * 255),
    ]
    assert [x.shape for x in inputs] == [(1, 1, 160, 96), (1, 1, 64, 192)]
    assert onnx_max_abs_diff(net, str(path), inputs) <= 1e-4

    import onnx
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert meta['std'] == '[255.0]' and meta['size_divisor'] == '32'
