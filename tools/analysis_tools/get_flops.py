"""Count the parameters and multiply-accumulates of a segmentor.

Uses ``mmengine.analysis.get_model_complexity_info`` on the model's tensor
forward (backbone, neck, decode head; no pre- or post-processing).
mmengine's "FLOPs" are multiply-accumulates (MACs): one fused multiply-add
counts as one. Many papers report 2 x MACs as FLOPs. The count is of this
implementation (keys and values as dilated 3x3 convs, dynamic value conv),
which does less work than the official code for the same outputs.

Example::

    python tools/analysis_tools/get_flops.py \\
        configs/_base_/models/datransnet.py --shape 512 512
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.utils.model_input import input_channels  # noqa: E402
from mmengine.analysis import get_model_complexity_info  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmseg.registry import MODELS  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description='Count parameters and MACs of a segmentor')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--shape',
        type=int,
        nargs='+',
        default=[256, 256],
        help='input height and width (one value: square)')
    parser.add_argument(
        '--show-table',
        action='store_true',
        help='print the per-module table')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    return parser.parse_args()


def main():
    args = parse_args()
    height, width = (args.shape * 2)[:2] if len(args.shape) == 1 else \
        args.shape[:2]
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model).eval()
    in_channels = input_channels(cfg.model)
    inputs = torch.rand(1, in_channels, height, width)
    with torch.no_grad():
        info = get_model_complexity_info(
            model, inputs=(inputs, ), show_table=args.show_table,
            show_arch=False)
    if args.show_table:
        print(info['out_table'])
    params = sum(p.numel() for p in model.parameters())
    print(f'Input shape: (1, {in_channels}, {height}, {width})')
    print(f'MACs (mmengine "FLOPs"): {info["flops_str"]} '
          f'({info["flops"]:,}); about {2 * info["flops"] / 1e9:.2f} '
          'GFLOPs counting a multiply-add as 2')
    print(f'Parameters: {params:,}')


if __name__ == '__main__':
    main()
