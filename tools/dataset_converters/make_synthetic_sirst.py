"""Write a synthetic SIRST-style dataset (deterministic by seed).

Example::

    python tools/dataset_converters/make_synthetic_sirst.py \
        data/synthetic-sirst --num-train 200 --num-val 50 --num-test 50
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from datransnet_mmseg.utils.synthetic_sirst import write_dataset  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description='Write a synthetic infrared small target dataset in the '
        'BasicIRSTD layout (images/, masks/, img_idx/*_SynthSIRST.txt).')
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument('--num-train', type=int, default=200)
    parser.add_argument('--num-val', type=int, default=50)
    parser.add_argument('--num-test', type=int, default=50)
    parser.add_argument('--height', type=int, default=256)
    parser.add_argument('--width', type=int, default=256)
    parser.add_argument(
        '--bit-depth', type=int, default=8, choices=(8, 16),
        help='bit depth of the images (masks are always 8-bit 0/255)')
    parser.add_argument('--max-targets', type=int, default=4)
    parser.add_argument(
        '--empty-fraction', type=float, default=0.15,
        help='share of images without any target')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    splits = write_dataset(
        args.out_dir,
        num_train=args.num_train,
        num_val=args.num_val,
        num_test=args.num_test,
        height=args.height,
        width=args.width,
        bit_depth=args.bit_depth,
        seed=args.seed,
        max_targets=args.max_targets,
        empty_fraction=args.empty_fraction)
    sizes = ', '.join(f'{split} {len(names)}'
                      for split, names in splits.items())
    print(f'Wrote synthetic SIRST dataset to {args.out_dir}: {sizes}')


if __name__ == '__main__':
    main()
