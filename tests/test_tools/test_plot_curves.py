"""tools/analysis_tools/plot_curves.py on curves saved by IRSTDMetric."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from datransnet_mmseg.evaluation import IRSTDMetric
from datransnet_mmseg.utils.synthetic_sirst import render_scene

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = REPO_ROOT / 'tools' / 'analysis_tools' / 'plot_curves.py'


def load_tool():
    spec = importlib.util.spec_from_file_location('plot_curves', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(out_dir, noise, curve_thresholds):
    """Run IRSTDMetric with curves on noisy copies of synthetic masks."""
    rng = np.random.default_rng(0)
    metric = IRSTDMetric(
        curve_thresholds=curve_thresholds, output_dir=str(out_dir))
    metric.dataset_meta = dict(classes=('background', 'target'))
    for index in range(6):
        _, mask, _ = render_scene(1, index, 64, 64, empty_fraction=0)
        prob = np.clip(0.7 * mask + noise * rng.random(mask.shape), 0, 1)
        metric.process({}, [
            dict(
                img_path=f'{index}.png',
                seg_logits=dict(data=torch.from_numpy(prob[None]).float()),
                gt_sem_seg=dict(data=torch.from_numpy(mask[None]).long()))
        ])
    metric.evaluate(6)
    return out_dir / 'curves.json'


def test_two_runs_to_png_and_pdf(tmp_path):
    good = evaluate(tmp_path / 'good', 0.4, 20)
    noisy = evaluate(tmp_path / 'noisy', 0.9, 20)
    outs = [tmp_path / 'plots' / 'curves.png', tmp_path / 'curves.pdf']
    result = subprocess.run([
        sys.executable,
        str(TOOL),
        str(good.parent),
        str(noisy), '--labels', 'good', 'noisy', '--xscale', 'log',
        '--out', *map(str, outs)
    ],
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    image = cv2.imread(str(outs[0]))
    assert image is not None and image.shape[0] > 100
    assert image.std() > 0
    assert outs[1].read_bytes().startswith(b'%PDF')


def test_operating_point_and_legend(tmp_path):
    tool = load_tool()
    curves = tool.load_curves(str(evaluate(tmp_path / 'run', 0.6, 20)))
    fig = tool.plot([curves], ['run'], 0.5, 'linear')
    ax_pdfa, ax_roc = fig.axes
    index = curves['thresholds'].index(0.5)
    line, point = ax_pdfa.get_lines()
    assert list(line.get_xdata()) == curves['Fa']
    assert point.get_xdata()[0] == curves['Fa'][index]
    assert point.get_ydata()[0] == curves['Pd'][index]
    point = ax_roc.get_lines()[1]
    assert point.get_xdata()[0] == curves['FPR'][index]
    assert point.get_ydata()[0] == curves['TPR'][index]
    labels = [text.get_text() for text in ax_roc.get_legend().get_texts()]
    assert labels == [f'run (AUC {curves["AUC"]:.4f})', 'threshold 0.5']


def test_threshold_off_the_grid_marks_the_closest(tmp_path, capsys):
    tool = load_tool()
    curves = tool.load_curves(str(evaluate(tmp_path / 'run', 0.6, 8)))
    assert tool.operating_index(curves, 0.55, 'run') == 4  # 0.5
    assert 'closest, 0.5' in capsys.readouterr().out


def test_not_a_curves_file(tmp_path):
    tool = load_tool()
    path = tmp_path / 'curves.json'
    path.write_text(json.dumps(dict(Pd=[1.])))
    with pytest.raises(KeyError, match='lacks thresholds'):
        tool.load_curves(str(path))
    with pytest.raises(FileNotFoundError, match='curve_thresholds'):
        tool.load_curves(str(tmp_path / 'nothing'))
