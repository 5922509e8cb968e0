"""Carve a validation split out of a training split list (deterministic).

The names of the input list are sorted, ``round(fraction * n)`` of them are
drawn with ``numpy.random.default_rng(seed)``, and two sorted lists are
written: ``<prefix>_val.txt`` (the drawn names) and
``<prefix>_train-sub.txt`` (the others). The same input, fraction and seed
always give the same files.

The lists shipped in ``configs/_base_/datasets/splits/`` were made with::

    python tools/dataset_converters/make_val_split.py \
        data/NUDT-SIRST/img_idx/train_NUDT-SIRST.txt \
        configs/_base_/datasets/splits nudt-sirst
    python tools/dataset_converters/make_val_split.py \
        data/IRSTD-1K/img_idx/train_IRSTD-1K.txt \
        configs/_base_/datasets/splits irstd-1k
    python tools/dataset_converters/make_val_split.py \
        data/sirst-v1/img_idx/train_NUAA-SIRST.txt \
        configs/_base_/datasets/splits nuaa-sirst-50_50
"""
import argparse
from pathlib import Path

import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(
        description='Split a training list into train-sub and val lists.')
    parser.add_argument('split_file', help='training split list')
    parser.add_argument('out_dir', help='folder of the two output lists')
    parser.add_argument('prefix', help='output names: <prefix>_val.txt, '
                        '<prefix>_train-sub.txt')
    parser.add_argument(
        '--fraction',
        type=float,
        default=0.1,
        help='share of the names that go to val (default 0.1)')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def split_names(names, fraction, seed):
    """Return (train-sub, val) name lists, both sorted."""
    if not 0 < fraction < 1:
        raise ValueError(f'--fraction must be in (0, 1), not {fraction}')
    names = sorted(set(names))
    num_val = round(fraction * len(names))
    if not 0 < num_val < len(names):
        raise ValueError(f'{fraction} of {len(names)} names leaves an empty '
                         'split; change --fraction.')
    rng = np.random.default_rng(seed)
    val_idx = set(rng.choice(len(names), num_val, replace=False).tolist())
    val = [n for i, n in enumerate(names) if i in val_idx]
    train = [n for i, n in enumerate(names) if i not in val_idx]
    return train, val


def main():
    args = parse_args()
    text = Path(args.split_file).read_text(encoding='utf-8')
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise SystemExit(f'{args.split_file} lists no name')
    train, val = split_names(names, args.fraction, args.seed)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix, subset in (('train-sub', train), ('val', val)):
        path = out_dir / f'{args.prefix}_{suffix}.txt'
        path.write_text('\n'.join(subset) + '\n', encoding='utf-8')
        print(f'{path}: {len(subset)} names')


if __name__ == '__main__':
    main()
