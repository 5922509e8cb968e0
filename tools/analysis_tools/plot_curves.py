"""Plot the Pd-Fa and ROC curves of one or several evaluated runs.

Reads the ``curves.json`` that ``IRSTDMetric`` writes when it has
``curve_thresholds`` and an ``output_dir`` (e.g. ``tools/test.py --out DIR
--cfg-options test_evaluator.curve_thresholds=100``), and draws both curves
of every run in one figure, one colour per run, with the operating point at
``--threshold`` marked. The output format follows the file extension (PNG,
PDF, SVG).

Example::

    python tools/analysis_tools/plot_curves.py work_dirs/a/eval \\
        work_dirs/b/eval/curves.json --labels A B --out curves.png curves.pdf
"""
import argparse
import json
import os.path as osp
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import datransnet_mmseg  # noqa: E402,F401,I001  (patches the stack first)
import matplotlib  # noqa: E402

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

CURVE_KEYS = ('thresholds', 'Pd', 'Fa', 'TPR', 'FPR', 'AUC')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Plot Pd-Fa and ROC curves saved by IRSTDMetric')
    parser.add_argument(
        'runs',
        nargs='+',
        help='curves.json files, or folders holding one (the metric\'s '
        'output_dir)')
    parser.add_argument(
        '--labels', nargs='+', help='legend label of each run, in order')
    parser.add_argument(
        '--out',
        nargs='+',
        required=True,
        help='output file(s); the extension (.png, .pdf, .svg) sets the '
        'format')
    parser.add_argument(
        '--threshold',
        type=float,
        default=0.5,
        help='probability threshold of the marked operating point')
    parser.add_argument(
        '--xscale',
        choices=['linear', 'log'],
        default='linear',
        help='scale of the Fa and FPR axes (log leaves out zero values)')
    parser.add_argument(
        '--max-fa',
        type=float,
        help='upper limit of the Fa axis, in 1e-6')
    return parser.parse_args()


def load_curves(path: str) -> dict:
    """Read one run's curves, checking the keys ``IRSTDMetric`` writes."""
    if osp.isdir(path):
        path = osp.join(path, 'curves.json')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} does not exist. Write it by evaluating with '
            'IRSTDMetric(curve_thresholds=K, output_dir=DIR), e.g. '
            'tools/test.py --out DIR --cfg-options '
            'test_evaluator.curve_thresholds=100.')
    with open(path) as f:
        curves = json.load(f)
    missing = [key for key in CURVE_KEYS if key not in curves]
    if missing:
        raise KeyError(f'{path} lacks {", ".join(missing)}; it is not a '
                       'curves.json written by IRSTDMetric.')
    sizes = {len(curves[key]) for key in CURVE_KEYS if key != 'AUC'}
    if len(sizes) != 1:
        raise ValueError(f'{path}: the curves have different lengths.')
    return curves


def default_labels(paths: list) -> list:
    """Name each run by its folder; by its path where folders coincide."""
    folders = [
        osp.basename(
            osp.abspath(path if osp.isdir(path) else osp.dirname(path)))
        for path in paths
    ]
    if len(set(folders)) == len(folders):
        return folders
    return list(paths)


def operating_index(curves: dict, threshold: float, label: str) -> int:
    """Index of ``threshold`` in the run's thresholds, else the closest."""
    thresholds = np.asarray(curves['thresholds'])
    index = int(np.argmin(np.abs(thresholds - threshold)))
    if not np.isclose(thresholds[index], threshold):
        print(f'{label}: no curve point at threshold {threshold}; the '
              f'closest, {thresholds[index]:g}, is marked.')
    return index


def plot(runs: list, labels: list, threshold: float, xscale: str,
         max_fa: float = None):
    """Draw the Pd-Fa and ROC curves of the runs.

    Args:
        runs (list[dict]): Curves of each run (see :func:`load_curves`).
        labels (list[str]): Legend label of each run.
        threshold (float): Threshold of the marked operating points.
        xscale (str): ``'linear'`` or ``'log'`` for the Fa and FPR axes.
        max_fa (float, optional): Upper limit of the Fa axis.

    Returns:
        matplotlib.figure.Figure: The figure.
    """
    fig, (ax_pdfa, ax_roc) = plt.subplots(1, 2, figsize=(10, 4.2))
    for k, (curves, label) in enumerate(zip(runs, labels)):
        colour = f'C{k % 10}'
        point = operating_index(curves, threshold, label)
        marker_label = f'threshold {curves["thresholds"][point]:g}'
        ax_pdfa.plot(curves['Fa'], curves['Pd'], color=colour, label=label)
        ax_pdfa.plot(
            curves['Fa'][point],
            curves['Pd'][point],
            'o',
            color=colour,
            markeredgecolor='black',
            label=marker_label)
        order = np.argsort(curves['FPR'], kind='stable')
        ax_roc.plot(
            np.asarray(curves['FPR'])[order],
            np.asarray(curves['TPR'])[order],
            color=colour,
            label=f'{label} (AUC {curves["AUC"]:.4f})')
        ax_roc.plot(
            curves['FPR'][point],
            curves['TPR'][point],
            'o',
            color=colour,
            markeredgecolor='black',
            label=marker_label)
    ax_pdfa.set(
        xlabel='Fa (false-alarm pixels, 1e-6)',
        ylabel='Pd (%)',
        title='Pd-Fa (target level)')
    ax_roc.set(
        xlabel='false positive rate',
        ylabel='true positive rate',
        title='ROC (pixel level)')
    for ax in (ax_pdfa, ax_roc):
        if xscale == 'log':
            ax.set_xscale('log', nonpositive='mask')
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc='lower right')
    if max_fa is not None:
        ax_pdfa.set_xlim(right=max_fa)
    fig.tight_layout()
    return fig


def main():
    args = parse_args()
    labels = args.labels or default_labels(args.runs)
    if len(labels) != len(args.runs):
        raise ValueError(f'--labels has {len(labels)} entries for '
                         f'{len(args.runs)} runs; give one label per run.')
    runs = [load_curves(path) for path in args.runs]
    fig = plot(runs, labels, args.threshold, args.xscale, args.max_fa)
    for out in args.out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=100)
        print(f'Curves written to {out}')
    plt.close(fig)


if __name__ == '__main__':
    main()
