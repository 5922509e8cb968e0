"""Convert an official checkpoint of an IRSTD network to this plugin.

The official checkpoint (any of the formats its repository writes) becomes
a plain mmengine-style checkpoint ``{'state_dict', 'meta'}`` for the
segmentor built from ``configs/_base_/models/<network>.py``, loadable with
``strict=True``. Official tensors the network never uses are dropped and
reported. The input is read without running any code it may carry.

Example::

    python tools/model_converters/official2mmseg.py dnanet \\
        mIoU__DNANet_NUDT-SIRST_epoch.pth.tar dnanet_nudt.pth
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.models.official import (  # noqa: E402
    NETWORKS, convert_official_peer_checkpoint, count_parameters)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Convert an official IRSTD checkpoint')
    parser.add_argument('model', choices=NETWORKS, help='network')
    parser.add_argument('src', help='official checkpoint')
    parser.add_argument('dst', help='output checkpoint path')
    return parser.parse_args()


def main():
    args = parse_args()
    checkpoint, dropped = convert_official_peer_checkpoint(
        args.model, args.src)
    Path(args.dst).parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, args.dst)
    state_dict = checkpoint['state_dict']
    print(f'converted {len(state_dict)} tensors '
          f'({count_parameters(state_dict):,} parameters) to {args.dst}; '
          f'dropped {dropped:,} unused parameters')


if __name__ == '__main__':
    main()
