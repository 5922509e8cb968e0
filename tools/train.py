"""Train a segmentor with MMEngine's Runner.

Example::

    python tools/train.py configs/datransnet_irstd1k.py
    bash tools/dist_train.sh configs/datransnet_irstd1k.py 4
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.apis.runner_config import (  # noqa: E402
    load_config, prepare_train_config, release_distributed)
from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        action='store_true',
        help='resume from the latest checkpoint in the work dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='enable automatic mixed precision training (CUDA only)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs, e.g. '
        'train_cfg.max_iters=1000')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    cfg = load_config(args.config, args.launcher, args.work_dir,
                      args.cfg_options)
    prepare_train_config(cfg, amp=args.amp, resume=args.resume)
    runner = Runner.from_cfg(cfg)
    try:
        runner.train()
    except KeyboardInterrupt:
        sys.exit('Training interrupted. Continue it with the same command '
                 'and --resume.')
    finally:
        del runner  # its DDP module must go before the process group
        release_distributed()


if __name__ == '__main__':
    main()
