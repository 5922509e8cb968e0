"""Time IRSTDMetric, and pyirstdmetrics on the same inputs if installed.

Synthetic, deterministic (seeded) predictions: each image has 0 to 5 small
targets (3 to 12 px wide), a probability map that finds most of them, a few
false blobs and low-level noise. Both implementations compute mIoU, nIoU,
Pd and Fa (threshold 0.5, 8-connectivity, distance < 3 px) on the same
arrays, in the same process; the inputs are generated in chunks outside the
timed regions. pyirstdmetrics takes boolean masks; IRSTDMetric gets the
same masks as uint8 tensors (``--gt-dtype uint8``, 1 byte per pixel too)
or as the int64 tensors that mmseg's ``PackSegInputs`` produces
(``--gt-dtype int64``, 8 bytes per pixel to read).

Example::

    python tools/analysis_tools/benchmark_metric.py --num-images 1000 \
        --size 512
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import datransnet_mmseg  # noqa: E402,F401,I001  (patches the stack first)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402

from datransnet_mmseg.evaluation import IRSTDMetric  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-images', type=int, default=1000)
    parser.add_argument('--size', type=int, default=512)
    parser.add_argument('--chunk', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--gt-dtype',
        choices=('uint8', 'int64'),
        default='uint8',
        help='dtype of the ground-truth tensors given to IRSTDMetric')
    parser.add_argument(
        '--no-reference',
        action='store_true',
        help='do not time pyirstdmetrics even if it is installed')
    return parser.parse_args()


def make_sample(rng: np.random.Generator, size: int):
    """One (probability map, {0, 1} mask) pair."""
    mask = np.zeros((size, size), np.uint8)
    pred = np.zeros((size, size), bool)
    for _ in range(int(rng.integers(0, 6))):
        h, w = rng.integers(3, 13, size=2)
        y, x = rng.integers(0, size - 16, size=2)
        mask[y:y + h, x:x + w] = 1
        if rng.random() < 0.85:  # detected, slightly offset
            dy, dx = rng.integers(-1, 2, size=2)
            pred[y + dy:y + dy + h, x + dx:x + dx + w] = True
    for _ in range(int(rng.integers(0, 4))):  # false alarms
        h, w = rng.integers(1, 6, size=2)
        y, x = rng.integers(0, size - 8, size=2)
        pred[y:y + h, x:x + w] = True
    prob = rng.random((size, size), dtype=np.float32) * 0.3
    prob[pred] += 0.6
    return prob, mask


def main():
    args = parse_args()
    MMLogger.get_instance('benchmark_metric', log_level='WARNING')
    reference = None
    if not args.no_reference:
        try:
            import py_irstd_metrics as reference
        except ImportError:
            print('pyirstdmetrics is not installed: timing IRSTDMetric only')
    metric = IRSTDMetric()
    if reference is not None:
        cm = reference.CMMetrics(
            threshold=0.5,
            metric_handlers=dict(
                iou=reference.IoUHandler(with_binary=True, sample_based=False),
                niou=reference.IoUHandler(with_binary=True,
                                          sample_based=True)))
        pdfa = reference.ProbabilityDetectionAndFalseAlarmRate(
            num_bins=1, distance_threshold=3)
    rng = np.random.default_rng(args.seed)
    t_ours = t_ref = 0.
    done = 0
    while done < args.num_images:
        n = min(args.chunk, args.num_images - done)
        chunk = [make_sample(rng, args.size) for _ in range(n)]
        bool_masks = [mask.astype(bool) for _, mask in chunk]
        samples = [
            dict(
                img_path=f'{done + i}.png',
                seg_logits=dict(data=torch.from_numpy(prob)[None]),
                gt_sem_seg=dict(data=torch.from_numpy(
                    mask.astype(args.gt_dtype))[None]))
            for i, (prob, mask) in enumerate(chunk)
        ]
        start = time.perf_counter()
        metric.process({}, samples)
        t_ours += time.perf_counter() - start
        if reference is not None:
            start = time.perf_counter()
            for (prob, _), mask in zip(chunk, bool_masks):
                cm.update(prob, mask)
                pdfa.update(prob, mask)
            t_ref += time.perf_counter() - start
        done += n
    start = time.perf_counter()
    ours = metric.compute_metrics(metric.results)
    t_ours += time.perf_counter() - start
    print(f'{args.num_images} images of {args.size}x{args.size}, '
          f'ground truth {args.gt_dtype} for IRSTDMetric')
    print(f'IRSTDMetric:    {t_ours:8.2f} s  ({1e3 * t_ours / done:.2f} '
          f'ms/image)  mIoU {ours["mIoU"]:.4f} nIoU {ours["nIoU"]:.4f} '
          f'Pd {ours["Pd"]:.4f} Fa {ours["Fa"]:.4f}')
    if reference is not None:
        start = time.perf_counter()
        ref_cm, ref_pdfa = cm.get(), pdfa.get()
        t_ref += time.perf_counter() - start
        print(f'pyirstdmetrics: {t_ref:8.2f} s  ({1e3 * t_ref / done:.2f} '
              f'ms/image)  mIoU {100 * ref_cm["iou"]["binary"]:.4f} '
              f'nIoU {100 * ref_cm["niou"]["binary"]:.4f} '
              f'Pd {100 * ref_pdfa["probability_detection"][0]:.4f} '
              f'Fa {1e6 * ref_pdfa["false_alarm"][0]:.4f}')
        print(f'speed-up: {t_ref / t_ours:.1f}x')


if __name__ == '__main__':
    main()
