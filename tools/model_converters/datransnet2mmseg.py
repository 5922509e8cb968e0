"""Convert an official DATransNet checkpoint to this plugin's format.

The official training checkpoints (``{'epoch', 'state_dict',
'total_loss'}``, keys prefixed ``model.``) become a plain mmengine-style
checkpoint ``{'state_dict', 'meta'}`` for ``EncoderDecoder`` with
``DATransNetBackbone``, ``GradFormerNeck`` and ``DATransHead``, loadable
with ``strict=True``. The unused ``encoder5`` / ``decoder5`` are dropped.
The input is read without running any code it may carry.

The attention temperature constant is not stored in the official
checkpoints: set ``model.neck.img_size`` to the size the model was trained
with (256 for NUDT-SIRST, 512 for IRSTD-1K).

Example::

    python tools/model_converters/datransnet2mmseg.py \\
        best_ckpt_for_IRSTD_1K.pth.tar datransnet_irstd1k.pth
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.models import convert_official_checkpoint  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description='Convert an official DATransNet checkpoint')
    parser.add_argument('src', help='official checkpoint (.pth.tar)')
    parser.add_argument('dst', help='output checkpoint path')
    return parser.parse_args()


def main():
    args = parse_args()
    checkpoint, dropped = convert_official_checkpoint(args.src)
    Path(args.dst).parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, args.dst)
    params = sum(v.numel() for k, v in checkpoint['state_dict'].items()
                 if not k.endswith(('running_mean', 'running_var',
                                    'num_batches_tracked')))
    print(f'converted {len(checkpoint["state_dict"])} tensors '
          f'({params:,} parameters) to {args.dst}; dropped {dropped:,} '
          'parameters of the unused encoder5/decoder5')


if __name__ == '__main__':
    main()
