"""Benchmark a network: latency, throughput, a train step, peak memory.

Every case runs in its own process (so that the peak RSS is the case's),
``--rounds`` times; with ``--official-repo`` the official implementation is
timed in the same run, alternating with ours, on the same weights (ours
converted from the official model). Times are medians over the timed
iterations of a process, then medians over rounds.

Cases: inference latency (batch 1) and throughput (batch 16) at 256x256 and
512x512, and one training step (forward, loss, backward, Adam) at batch 4,
256x256. ``--model`` picks DATransNet (default) or one of the peer
networks of :mod:`datransnet_mmseg.models.official`, whose official code is
then timed from ``--official-repo`` (the root of a checkout of its
repository) on the official input (``IN_CHANNELS`` channels), inference
cases only. The training step uses the loss of the model config (the
official SoftIoU for DATransNet, timed against the official model too); a
peer's training step is timed for ours only (``--cases train-256`` without
``--official-repo``), e.g. to plan a comparison's budget.

Peak memory: on CUDA, ``torch.cuda.max_memory_allocated``; on CPU, the peak
RSS of the process, reported in total and above its RSS right before the
first forward pass (the model built, nothing run: imports, weights and the
input are excluded), and the peak of the tensor memory allocated during one
more pass (the profiler's allocation trace: exact and repeatable, without
the allocator caches and library buffers that the RSS also counts).

Every process runs with ``--threads`` threads; the machine's 1-minute load
average around the runs is printed (other jobs on the machine distort the
times: compare the ratios of runs made under the same load).

Examples::

    python tools/analysis_tools/benchmark.py --threads 2 \\
        --official-repo /path/to/DATransNet
    python tools/analysis_tools/benchmark.py --model dnanet --threads 2 \\
        --cases latency-256 latency-512 \\
        --official-repo /path/to/Infrared-Small-Target-Detection
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.models import convert_official_state_dict  # noqa: E402
from datransnet_mmseg.models.official import (  # noqa: E402
    NETWORKS, get_official)
from datransnet_mmseg.models.utils.official_model import \
    import_official_datransnet  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.structures import PixelData  # noqa: E402
from mmseg.registry import MODELS  # noqa: E402
from mmseg.structures import SegDataSample  # noqa: E402

DEFAULT_CONFIG = 'configs/_base_/models/datransnet.py'
DTYPES = dict(fp32=torch.float32, bf16=torch.bfloat16, fp16=torch.float16)
DEFAULT_CASES = ('latency-256', 'latency-512', 'throughput-256',
                 'throughput-512', 'train-256')
BATCH = dict(latency=1, throughput=16, train=4)


def parse_args():
    parser = argparse.ArgumentParser(description='Benchmark a network')
    parser.add_argument(
        '--model',
        choices=('datransnet', ) + NETWORKS,
        default='datransnet',
        help='network (default: datransnet)')
    parser.add_argument(
        '--config',
        help='model config (relative to the repository root or absolute; '
        'default: the model base config of the network)')
    parser.add_argument('--device', default='cpu', help='cpu, cuda, cuda:1')
    parser.add_argument('--dtype', choices=DTYPES, default='fp32')
    parser.add_argument(
        '--channels-last',
        action='store_true',
        help='run our model and input in channels-last memory format (the '
        'official model cannot: it keeps the default format)')
    parser.add_argument(
        '--threads', type=int, help='torch CPU threads (default: torch)')
    parser.add_argument(
        '--cases',
        nargs='+',
        help='cases as KIND-SIZE, KIND in latency, throughput, train '
        '(default: all five for datransnet, the inference ones otherwise)')
    parser.add_argument(
        '--batch',
        type=int,
        help='override the batch size of every case (e.g. a quick check)')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument(
        '--rounds',
        type=int,
        default=3,
        help='processes per case and implementation (alternating)')
    parser.add_argument(
        '--official-repo',
        help='root of a checkout of the official repository of the network '
        '(greekinRoma/DATransNet for datransnet) to time the official model '
        'side by side')
    parser.add_argument('--out', help='write the results to this JSON file')
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model != 'datransnet':
        if args.config is None:
            args.config = get_official(args.model).CONFIG
        args.cases = args.cases or [
            case for case in DEFAULT_CASES if not case.startswith('train')
        ]
        if args.official_repo and any(
                case.startswith('train') for case in args.cases):
            parser.error(f'--model {args.model}: the official training step '
                         'is not timed; run the train case without '
                         '--official-repo (ours only)')
    args.config = args.config or DEFAULT_CONFIG
    args.cases = args.cases or list(DEFAULT_CASES)
    return args


def device_name(device: torch.device) -> str:
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    name = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    name = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return f'{name} ({torch.get_num_threads()} threads)'


def soft_iou(prob: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
    """Batch-global SoftIoU on probabilities (the official training loss)."""
    inter = (prob * gt).sum()
    return 1 - (inter + 1) / (prob.sum() + gt.sum() - inter + 1)


def load_model_config(args) -> Config:
    """The config of ``--config``, with mmseg as the default scope."""
    init_default_scope('mmseg')
    root = Path(__file__).resolve().parents[2]
    config = Path(args.config)
    return Config.fromfile(str(config if config.is_absolute() else root /
                               config))


def build_peer_models(args, impl: str):
    """Return (model, run_inference, None, input channels) of a peer."""
    official_api = get_official(args.model)
    official = official_api.build_official_model(args.official_repo) \
        if args.official_repo else None
    if impl == 'official':
        return official, lambda x: official_api.official_probability(
            official(x)), None, official_api.IN_CHANNELS
    model = MODELS.build(load_model_config(args).model)
    if official is not None:
        state_dict, _ = official_api.convert_state_dict(official.state_dict())
        model.load_state_dict(state_dict, strict=True)
        del official
    return model, lambda x: model(x, mode='tensor').sigmoid(), \
        config_loss(model), official_api.IN_CHANNELS


def config_loss(model):
    """The training loss of our segmentor (its config's decode head)."""

    def loss_fn(x, gt):
        samples = [
            SegDataSample(gt_sem_seg=PixelData(data=g.long())) for g in gt
        ]
        return model.parse_losses(model(x, samples, mode='loss'))[0]

    return loss_fn


def build_models(args, impl: str):
    """Return (model, run_inference, loss function, input channels)."""
    torch.manual_seed(0)
    if args.model != 'datransnet':
        return build_peer_models(args, impl)
    img_size = 256
    if args.official_repo:
        official = import_official_datransnet(args.official_repo)(
            img_size=img_size)
    if impl == 'official':
        model = official

        def infer(x):
            return model(x)

        def loss_fn(x, gt):
            return soft_iou(model(x), gt)

        return model, infer, loss_fn, 1
    cfg = load_model_config(args)
    cfg.model.neck.img_size = img_size
    model = MODELS.build(cfg.model)
    if args.official_repo:
        state_dict, _ = convert_official_state_dict(official.state_dict())
        model.load_state_dict(state_dict, strict=True)
        del official

    def infer(x):
        return model(x, mode='tensor').sigmoid()

    return model, infer, config_loss(model), 1


def sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_tensor_mib(step) -> float:
    """Peak of the CPU tensor memory allocated while ``step()`` runs, above
    what was allocated before it, in MiB (from the profiler's trace of
    every allocation and free)."""
    with torch.profiler.profile(
            activities=[torch.profiler.ProfilerActivity.CPU],
            profile_memory=True) as prof:
        step()
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / 'trace.json'
        prof.export_chrome_trace(str(trace))
        events = json.loads(trace.read_text())['traceEvents']
    memory = sorted(
        (event for event in events if event.get('name') == '[memory]'
         and event['args'].get('Device Type') == 0),
        key=lambda event: event['ts'])
    if not memory:
        return 0.0
    totals = [event['args']['Total Allocated'] for event in memory]
    before = totals[0] - memory[0]['args']['Bytes']
    return (max(totals) - before) / 2**20


def run_worker(args) -> dict:
    impl, case = args.worker.split(':')
    kind, size = case.split('-')
    size = int(size)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    dtype = DTYPES[args.dtype]
    model, infer, loss_fn, in_channels = build_models(args, impl)
    # The official model cannot take channels-last input (a view fails).
    memory_format = torch.channels_last \
        if args.channels_last and impl == 'ours' else torch.contiguous_format
    model = model.to(device, memory_format=memory_format)
    batch = args.batch or BATCH[kind]
    x = torch.rand(batch, in_channels, size, size, device=device)
    x = x.contiguous(memory_format=memory_format)
    autocast = torch.autocast(
        device.type, dtype=dtype, enabled=dtype != torch.float32)
    if kind == 'train':
        model.train()
        gt = (torch.rand(batch, 1, size, size, device=device) > 0.99)
        gt = gt.float()
        optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
        # fp16 needs loss scaling; bf16 and fp32 do not.
        scaler = torch.amp.GradScaler(
            device.type, enabled=dtype == torch.float16)

        def step():
            optimizer.zero_grad(set_to_none=True)
            with autocast:
                loss = loss_fn(x, gt)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
    else:
        model.eval()

        def step():
            with torch.no_grad(), autocast:
                infer(x)

    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
    baseline = max_rss_mib()
    for _ in range(args.warmup):
        step()
    sync(device)
    times = []
    for _ in range(args.iters):
        start = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - start)
    result = dict(
        impl=impl,
        case=case,
        batch=batch,
        device=device_name(device),
        median_s=statistics.median(times),
        min_s=min(times),
        max_s=max(times))
    if device.type == 'cuda':
        result['peak_mib'] = torch.cuda.max_memory_allocated(device) / 2**20
    else:
        result['peak_rss_mib'] = max_rss_mib()
        result['peak_mib'] = result['peak_rss_mib'] - baseline
        result['peak_tensor_mib'] = peak_tensor_mib(step)
    return result


def spawn(args, impl: str, case: str) -> dict:
    argv = [sys.executable, str(Path(__file__).resolve()), '--worker',
            f'{impl}:{case}', '--device', args.device, '--dtype', args.dtype,
            '--model', args.model, '--config', args.config, '--warmup',
            str(args.warmup),
            '--iters', str(args.iters)]
    for flag, value in (('--threads', args.threads), ('--batch', args.batch),
                        ('--official-repo', args.official_repo)):
        if value:
            argv += [flag, str(value)]
    if args.channels_last:
        argv.append('--channels-last')
    env = dict(os.environ)
    if args.threads:
        env['OMP_NUM_THREADS'] = str(args.threads)
    load_before = os.getloadavg()[0]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise RuntimeError(f'{impl} {case} failed:\n{proc.stderr}')
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result['load_before'] = load_before
    result['load_after'] = os.getloadavg()[0]
    return result


def summarize(results: list) -> dict:
    summary = {}
    for res in results:
        entry = summary.setdefault(res['case'], {}).setdefault(
            res['impl'], dict(batch=res['batch'], runs=[]))
        entry['runs'].append(res)
    for case in summary.values():
        for entry in case.values():
            runs = entry.pop('runs')
            entry['median_s'] = statistics.median(r['median_s'] for r in runs)
            entry['peak_mib'] = statistics.median(r['peak_mib'] for r in runs)
            for key in ('peak_rss_mib', 'peak_tensor_mib'):
                if key in runs[0]:
                    entry[key] = statistics.median(r[key] for r in runs)
            entry['round_medians_s'] = [r['median_s'] for r in runs]
    return summary


def main():
    args = parse_args()
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    impls = ['ours', 'official'] if args.official_repo else ['ours']
    results = []
    for case in args.cases:
        for _ in range(args.rounds):
            for impl in impls:
                results.append(spawn(args, impl, case))
    summary = summarize(results)
    cpu = args.device == 'cpu'
    mem = 'peak RSS above start / total, tensors (MiB)' if cpu else \
        'peak allocated (MiB)'
    loads = [r[key] for r in results for key in ('load_before', 'load_after')]
    print(f'model: {args.model}, device: {results[0]["device"]}, '
          f'dtype: {args.dtype}, '
          f'channels_last: {args.channels_last}; 1-min load average around '
          f'the runs: {min(loads):.2f} to {max(loads):.2f}')
    print(f'{"case":<16}{"impl":<10}{"batch":>6}{"median ms":>12}'
          f'{"img/s":>9}   {mem}')
    for case, entries in summary.items():
        for impl, e in entries.items():
            memory = f'{e["peak_mib"]:.0f}'
            if cpu:
                memory += (f' / {e["peak_rss_mib"]:.0f}, '
                           f'{e["peak_tensor_mib"]:.1f}')
            rounds = ', '.join(f'{t * 1e3:.0f}' for t in e['round_medians_s'])
            print(f'{case:<16}{impl:<10}{e["batch"]:>6}'
                  f'{e["median_s"] * 1e3:>12.1f}'
                  f'{e["batch"] / e["median_s"]:>9.1f}   {memory:<20}'
                  f'rounds: {rounds} ms')
        if 'official' in entries:
            ours, official = entries['ours'], entries['official']
            speed_up = official['median_s'] / ours['median_s']
            memory = ours['peak_mib'] / official['peak_mib']
            tensors = ''
            if cpu:
                ratio = ours['peak_tensor_mib'] / official['peak_tensor_mib']
                tensors = f' (tensors {ratio:.0%})'
            print(f'{"":<16}speed-up {speed_up:.2f}x, memory {memory:.0%} '
                  f'of official{tensors}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(args=vars(args), results=results,
                           summary=summary), f, indent=2)


if __name__ == '__main__':
    main()
