"""Export a model's network to ONNX and check it against PyTorch.

The file holds the network only (backbone, neck, decode head, sigmoid):
input ``image`` (1, 1, H, W) float32, normalised (pixel values in the 0..255
scale divided by 255 for the DATransNet configs) and zero-padded at the
bottom and right to multiples of 32; output ``prob`` (1, 1, H, W) target
probabilities. Height and width are dynamic unless ``--static``. Reading,
padding, cropping back and thresholding are left to the caller (see
docs/tools.md).

After exporting, the script runs the file in onnxruntime on a test image
(``--image``, or a generated scene) and prints the largest absolute
difference to PyTorch; it exits with status 1 above ``--atol``.

Needs ``pip install -e ".[onnx]"`` (onnx, onnxscript, onnxruntime).

Example::

    python tools/deployment/export_onnx.py configs/datransnet/CONFIG.py \\
        --checkpoint work_dirs/demo/best.pth --out work_dirs/demo/model.onnx
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import datransnet_mmseg  # noqa: E402,F401,I001  (patches the stack first)
import numpy as np  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

from datransnet_mmseg.apis import IRSTDInferencer  # noqa: E402
from datransnet_mmseg.apis.onnx_export import (  # noqa: E402
    export_onnx, onnx_input, onnx_max_abs_diff)
from datransnet_mmseg.datasets import read_ir_image  # noqa: E402
from datransnet_mmseg.utils.synthetic_sirst import render_scene  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description='Export the network to ONNX and check it')
    parser.add_argument('config', help='model config file')
    parser.add_argument(
        '--checkpoint',
        help='checkpoint file; without it the weights are random (for '
        'tests only)')
    parser.add_argument('--out', required=True, help='output .onnx file')
    parser.add_argument(
        '--image',
        help='test image for the check (default: a generated scene of '
        '--shape)')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='example input size, multiples of 32 (default: the padded '
        '--image size, else the training size model.neck.img_size)')
    parser.add_argument(
        '--static',
        action='store_true',
        help='fix the input size to --shape instead of dynamic H and W')
    parser.add_argument('--opset', type=int, help='ONNX opset version')
    parser.add_argument(
        '--atol',
        type=float,
        default=1e-4,
        help='largest accepted |ONNX - PyTorch| probability')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    return parser.parse_args()


def main():
    args = parse_args()
    segmentor = IRSTDInferencer(
        args.config, args.checkpoint, cfg_options=args.cfg_options).model
    if args.image:
        check = onnx_input(segmentor, read_ir_image(args.image))
    else:
        side = segmentor.cfg.model.neck.img_size
        height, width = args.shape or (side, side)
        check = onnx_input(segmentor,
                           render_scene(0, 0, height, width)[0] * 255.)
    shape = tuple(args.shape or check.shape[2:])
    if args.static and check.shape[2:] != shape:
        raise ValueError(
            f'The test image pads to {check.shape[2]}x{check.shape[3]} but '
            f'the static export is {shape[0]}x{shape[1]}; give an image '
            'of that size or drop --shape.')
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    net = export_onnx(
        segmentor, args.out, shape, dynamic=not args.static, opset=args.opset)
    print(f'Exported {args.out} ({"static " if args.static else "dynamic "}'
          f'{"x".join(map(str, shape))} example) in '
          f'{time.perf_counter() - start:.1f} s')
    diff = onnx_max_abs_diff(net, args.out, [check])
    print(f'onnxruntime vs PyTorch on a {check.shape[2]}x{check.shape[3]} '
          f'input: max |diff| = {diff:.3g} (atol {args.atol:g})')
    if not np.isfinite(diff) or diff > args.atol:
        sys.exit(f'The ONNX output differs from PyTorch by {diff:.3g} > '
                 f'{args.atol:g}.')


if __name__ == '__main__':
    main()
