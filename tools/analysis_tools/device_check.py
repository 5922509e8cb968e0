"""Check DATransNet on an accelerator against the official implementation.

1. Equivalence: every case of the official reference outputs
   (``official_io.pt``), with the converted official checkpoints, on the
   device in fp32 (TF32 off) must match the official probabilities to
   ``--tol``; also in channels-last. The official model on the same device
   and our model under bf16 and fp16 autocast are reported for comparison
   (a NaN there shows as nan).
2. Speed: inference throughput at ``--batch`` x ``--size`` and a training
   step (forward, SoftIoU, backward, Adam) at ``--train-batch`` x
   ``--train-size``, ours and official on the same weights in the same
   process, alternating, for each dtype (fp32, bf16 autocast), and ours in
   channels-last with bf16 (the official model cannot run channels-last
   input: a ``view`` fails; it keeps the default format there); median
   times, peak allocated memory and the ratios.

Needs no network: the official model class is imported from a local
checkout (``--official-repo``) and the reference files are read from
``--reference``. Exits with status 1 if an equivalence check fails.

Example::

    python tools/analysis_tools/device_check.py \\
        --official-repo /path/to/DATransNet \\
        --reference /path/to/reference/datransnet-official --out check.json
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.models import convert_official_checkpoint  # noqa: E402
from datransnet_mmseg.models import import_official_datransnet  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.structures import PixelData  # noqa: E402
from mmseg.registry import MODELS  # noqa: E402
from mmseg.structures import SegDataSample  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / 'configs' / '_base_' / 'models' / 'datransnet.py'
CHECKPOINTS = {256: 'official_img256_seed0.pth.tar',
               512: 'official_img512_seed1.pth.tar'}
DTYPES = dict(fp32=torch.float32, bf16=torch.bfloat16, fp16=torch.float16)


def parse_args():
    shared = os.environ.get('DATRANSNET_SHARED', str(ROOT.parent / 'shared'))
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cuda')
    parser.add_argument(
        '--official-repo', required=True,
        help='root of a checkout of greekinRoma/DATransNet')
    parser.add_argument(
        '--reference',
        default=str(Path(shared) / 'reference' / 'datransnet-official'),
        help='folder with official_io.pt and the official checkpoints')
    parser.add_argument('--tol', type=float, default=1e-4)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--size', type=int, default=512)
    parser.add_argument('--train-batch', type=int, default=4)
    parser.add_argument('--train-size', type=int, default=256)
    parser.add_argument('--dtypes', nargs='+', default=['fp32', 'bf16'],
                        choices=DTYPES)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument(
        '--quick', action='store_true',
        help='tiny speed cases (to try the script on CPU)')
    parser.add_argument('--out', help='write the results to this JSON file')
    args = parser.parse_args()
    if args.quick:
        args.batch, args.size, args.train_batch, args.train_size = 2, 64, 2, 64
        args.warmup, args.iters, args.rounds = 1, 2, 1
    return args


def build_ours(img_size, state_dict, device):
    init_default_scope('mmseg')
    cfg = Config.fromfile(str(CONFIG))
    cfg.model.neck.img_size = img_size
    model = MODELS.build(cfg.model)
    model.load_state_dict(state_dict, strict=True)
    return model.to(device)


def build_official(official_cls, img_size, state_dict, device):
    model = official_cls(img_size=img_size)
    model.load_state_dict({k[len('model.'):]: v
                           for k, v in state_dict.items()}, strict=True)
    return model.to(device)


def forward_fn(model, impl):
    if impl == 'ours':
        return lambda x: model(x, mode='tensor').sigmoid()
    return model


def loss_fn(model, impl, gt):
    if impl == 'ours':
        samples = [SegDataSample(gt_sem_seg=PixelData(data=g.long()))
                   for g in gt]
        return lambda x: model(x, samples, mode='loss')[
            'decode.loss_softiou']

    def official_loss(x):
        prob = model(x)
        inter = (prob * gt).sum()
        return 1 - (inter + 1) / (prob.sum() + gt.sum() - inter + 1)
    return official_loss


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def check_equivalence(args, device, official_cls, reference):
    cases = torch.load(reference / 'official_io.pt', weights_only=True)
    results, ok = {}, True
    models = {}
    for img_size, name in CHECKPOINTS.items():
        raw = torch.load(reference / name, weights_only=True)['state_dict']
        converted = convert_official_checkpoint(reference / name)[0]
        models[img_size] = dict(
            ours=build_ours(img_size, converted['state_dict'], device),
            official=build_official(official_cls, img_size, raw, device))
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    for case, ref in cases.items():
        pair = models[512 if case.startswith('img512') else 256]
        x = ref['input'].to(device)
        expected = ref['output'].to(device)
        row = {}
        with torch.no_grad():
            for impl, model in pair.items():
                model.eval()
                out = forward_fn(model, impl)(x)
                row[f'{impl}_fp32'] = (out - expected).abs().max().item()
            ours = pair['ours']
            ours.to(memory_format=torch.channels_last)
            out = forward_fn(ours, 'ours')(
                x.contiguous(memory_format=torch.channels_last))
            ours.to(memory_format=torch.contiguous_format)
            row['ours_fp32_channels_last'] = (
                out - expected).abs().max().item()
            for name in ('bf16', 'fp16'):
                with torch.autocast(device.type, dtype=DTYPES[name]):
                    out = forward_fn(ours, 'ours')(x).float()
                row[f'ours_{name}_autocast'] = (
                    out - expected).abs().max().item()
        passed = max(row['ours_fp32'],
                     row['ours_fp32_channels_last']) <= args.tol
        row['passed'] = passed
        ok &= passed
        results[case] = row
        print(f'{case:30s} ' + '  '.join(
            f'{k} {v:.2e}' for k, v in row.items() if k != 'passed') +
              f'  {"ok" if passed else "FAILED"}', flush=True)
    return results, ok, models[256]


def time_case(model, step, device, args, channels_last):
    memory_format = torch.channels_last if channels_last else \
        torch.contiguous_format
    model.to(memory_format=memory_format)
    if device.type == 'cuda':
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    for _ in range(args.warmup):
        step()
    sync(device)
    times = []
    for _ in range(args.iters):
        start = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - start)
    peak = torch.cuda.max_memory_allocated(device) / 2**20 \
        if device.type == 'cuda' else float('nan')
    model.to(memory_format=torch.contiguous_format)
    return statistics.median(times), peak


def check_speed(args, device, models):
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    configs = [(dtype, False) for dtype in args.dtypes]
    if 'bf16' in args.dtypes:
        configs.append(('bf16', True))
    results = {}
    for dtype_name, channels_last in configs:
        dtype = DTYPES[dtype_name]
        autocast = torch.autocast(
            device.type, dtype=dtype, enabled=dtype != torch.float32)
        memory_format = torch.channels_last if channels_last else \
            torch.contiguous_format
        for kind in ('inference', 'train'):
            batch = args.batch if kind == 'inference' else args.train_batch
            size = args.size if kind == 'inference' else args.train_size
            x = torch.rand(batch, 1, size, size, device=device)
            gt = (torch.rand(batch, 1, size, size, device=device) > 0.99)
            gt = gt.float()
            steps = {}
            for impl, model in models.items():
                if impl == 'ours':
                    x = x.contiguous(memory_format=memory_format)
                else:
                    x = x.contiguous()
                if kind == 'inference':
                    model.eval()
                    run = forward_fn(model, impl)

                    def step(run=run, x=x):
                        with torch.no_grad(), autocast:
                            run(x)
                else:
                    model.train()
                    compute = loss_fn(model, impl, gt)
                    optimizer = torch.optim.Adam(model.parameters(), 1e-9)
                    scaler = torch.amp.GradScaler(
                        device.type, enabled=dtype == torch.float16)

                    def step(compute=compute, optimizer=optimizer,
                             scaler=scaler, x=x):
                        optimizer.zero_grad(set_to_none=True)
                        with autocast:
                            loss = compute(x)
                        scaler.scale(loss).backward()
                        scaler.step(optimizer)
                        scaler.update()
                steps[impl] = step
            runs = {impl: [] for impl in models}
            for _ in range(args.rounds):
                for impl, model in models.items():
                    runs[impl].append(
                        time_case(model, steps[impl], device, args,
                                  channels_last and impl == 'ours'))
            name = (f'{kind} b{batch} {size}x{size} {dtype_name}'
                    f'{" channels_last" if channels_last else ""}')
            row = {}
            for impl in models:
                median = statistics.median(t for t, _ in runs[impl])
                row[impl] = dict(
                    median_ms=median * 1e3,
                    images_per_s=batch / median,
                    peak_mib=max(p for _, p in runs[impl]))
            row['speed_up'] = row['official']['median_ms'] / \
                row['ours']['median_ms']
            row['memory_ratio'] = row['ours']['peak_mib'] / \
                row['official']['peak_mib']
            results[name] = row
            print(f'{name:38s} ours {row["ours"]["median_ms"]:8.2f} ms '
                  f'({row["ours"]["peak_mib"]:7.0f} MiB)  official '
                  f'{row["official"]["median_ms"]:8.2f} ms '
                  f'({row["official"]["peak_mib"]:7.0f} MiB)  speed-up '
                  f'{row["speed_up"]:.2f}x', flush=True)
    return results


def main():
    args = parse_args()
    device = torch.device(args.device)
    reference = Path(args.reference)
    official_cls = import_official_datransnet(args.official_repo)
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' \
        else 'cpu'
    print(f'torch {torch.__version__}, device {name}', flush=True)
    equivalence, ok, models = check_equivalence(args, device, official_cls,
                                                reference)
    speed = check_speed(args, device, models)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(device=name, torch=torch.__version__,
                           args=vars(args), equivalence=equivalence,
                           equivalence_passed=ok, speed=speed), f, indent=2)
    print('equivalence', 'passed' if ok else 'FAILED')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
