"""Test (evaluate) a checkpoint with MMEngine's Runner.

Example::

    python tools/test.py configs/datransnet_irstd1k.py work_dirs/x/best.pth
    bash tools/dist_test.sh configs/datransnet_irstd1k.py best.pth 4
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.apis.runner_config import (  # noqa: E402
    load_config, prepare_test_config, release_distributed)
from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a segmentor checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', help='checkpoint file or URL (http(s)://, s3://...)')
    parser.add_argument(
        '--work-dir', help='the dir to save logs and evaluation results')
    parser.add_argument(
        '--out',
        help='folder where the metric writes per-image results and curves')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='folder where painted predictions are saved')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    cfg = load_config(args.config, args.launcher, args.work_dir,
                      args.cfg_options)
    prepare_test_config(
        cfg,
        args.checkpoint,
        show=args.show,
        show_dir=args.show_dir,
        wait_time=args.wait_time,
        out=args.out)
    runner = Runner.from_cfg(cfg)
    try:
        runner.test()
    finally:
        del runner  # its DDP module must go before the process group
        release_distributed()


if __name__ == '__main__':
    main()
