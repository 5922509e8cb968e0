"""Detect infrared small targets in your own images.

Inputs are image files, folders, glob patterns or ``.txt`` lists (one path
a line). For each image, the output folder gets a 0/255 mask, an overlay
with each target boxed and its centroid marked and, with ``--save-prob``,
the probability map; ``targets.json`` and ``targets.csv`` list every
target (centroid, box, area, peak and mean score).

An image that cannot be read is reported and skipped; the run goes on and
exits with status 1 at the end. See docs/tools.md.

Arguments follow mmseg's demo scripts: the inputs first, then the config
and the checkpoint. A checkpoint is required; ``--random-weights`` (for
tests) runs the randomly initialised model instead and takes no checkpoint.

Example::

    python tools/infer.py data/frames configs/datransnet/CONFIG.py \\
        work_dirs/demo/best.pth --out-dir outputs/frames
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.apis import (  # noqa: E402
    IRSTDInferencer, IRSTDResultWriter, list_images)
from mmengine.config import DictAction  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description='Detect infrared small targets in image files',
        usage='%(prog)s INPUT [INPUT ...] CONFIG (CHECKPOINT | '
        '--random-weights) --out-dir OUT_DIR [options]')
    parser.add_argument(
        'paths',
        nargs='+',
        metavar='INPUT ... CONFIG CHECKPOINT',
        help='image files, folders, glob patterns (quoted) or .txt lists, '
        'then the model config file and the checkpoint file')
    parser.add_argument(
        '--random-weights',
        action='store_true',
        help='no checkpoint: run the randomly initialised model (its '
        'detections are meaningless; for tests only)')
    parser.add_argument(
        '--out-dir', required=True, help='folder for the outputs')
    parser.add_argument(
        '--device', default='cpu', help='cpu, cuda or cuda:N')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=1,
        help='most images of the same size per forward pass')
    parser.add_argument(
        '--mode',
        choices=['whole', 'slide'],
        help="'whole' image or sliding 'slide' windows (default: the "
        "config's model.test_cfg)")
    parser.add_argument(
        '--crop-size',
        type=int,
        help='window side in slide mode, a multiple of 32 (default: the '
        'training size, model.neck.img_size)')
    parser.add_argument(
        '--stride',
        type=int,
        help='window step in slide mode (default: 3/4 of the window)')
    parser.add_argument(
        '--threshold',
        type=float,
        help='probability threshold of a target pixel (default: the '
        "decode head's threshold)")
    parser.add_argument(
        '--save-prob',
        choices=['png', 'npy'],
        help='also save probability maps, as 16-bit PNG (prob x 65535) or '
        'float32 .npy')
    parser.add_argument(
        '--no-overlay', action='store_true', help='do not draw overlays')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    args = parser.parse_args()
    needed = 2 if args.random_weights else 3
    if len(args.paths) < needed:
        parser.error('give the inputs, the config and ' + (
            'no checkpoint (--random-weights)' if args.random_weights else
            'the checkpoint (or --random-weights to run random weights)'))
    if args.random_weights:
        args.inputs, args.config = args.paths[:-1], args.paths[-1]
        args.checkpoint = None
    else:
        args.inputs = args.paths[:-2]
        args.config, args.checkpoint = args.paths[-2:]
    return args


def main():
    args = parse_args()
    paths = list_images(args.inputs)
    inferencer = IRSTDInferencer(
        args.config,
        args.checkpoint,
        device=args.device,
        mode=args.mode,
        crop_size=args.crop_size,
        stride=args.stride,
        threshold=args.threshold,
        cfg_options=args.cfg_options)
    meta = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        threshold=inferencer.threshold,
        test_cfg=dict(inferencer.model.test_cfg))
    writer = IRSTDResultWriter(
        args.out_dir,
        paths,
        save_prob=args.save_prob,
        save_overlay=not args.no_overlay,
        meta=meta)
    progress = ProgressBar(len(paths))
    start = time.perf_counter()
    for result in inferencer.detect(paths, batch_size=args.batch_size):
        writer.write(result)
        progress.update()
    seconds = time.perf_counter() - start
    summary = writer.close()
    num_targets = sum(image['num_targets'] for image in summary['images'])
    print(f'\n{summary["num_images"]} images, {num_targets} targets, '
          f'{seconds:.1f} s ({len(paths) / seconds:.2f} images/s, reading '
          f'and writing included); outputs in {args.out_dir}')
    if summary['failed']:
        print(f'{summary["num_failed"]} image(s) could not be read and were '
              'skipped (also listed in targets.json):')
        for failure in summary['failed']:
            print(f'  {failure["image"]}: {failure["error"]}')
        sys.exit(1)


if __name__ == '__main__':
    main()
