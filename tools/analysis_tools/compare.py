"""Collect the results of several trained work dirs into one table.

Each work dir is one ``tools/train.py --work-dir`` run, tested with
``tools/test.py`` into the same folder or a folder below it (e.g.
``<work_dir>/test``). Where each number comes from:

- ``mIoU``, ``nIoU``, ``Pd``, ``Fa`` (x 1e-6), ``F1``: the newest test
  log of ``tools/test.py`` under the work dir, ``<run>/<run>.json`` (a
  training run keeps its logs in ``<run>/vis_data/`` instead). ``F1`` is
  ``IRSTDMetric``'s ``pixel_F1`` (pixel-level, as the "fscore" of the
  DATransNet code).
- ``Params``: every parameter of the model built from the training run's
  dumped config (``<run>/vis_data/config.py``).
- ``MACs``: ``mmengine.analysis`` on that model's tensor forward (one
  image of ``--shape``). mmengine's "FLOPs" are multiply-accumulates; many
  papers report 2 x MACs as FLOPs.
- ``FPS``: images per second of the tensor forward (batch 1, ``--shape``,
  fp32) on ``--device``, timed here after warm-up; pre- and
  post-processing excluded.
- ``Iters``: the last training iteration logged.
- ``s/iter``: the median of the per-iteration times logged during
  training (data loading included, validation excluded).
- ``Train time``: wall time of the training runs, from the first to the
  last line of each training log (validation and checkpoints included;
  summed over resumed runs).

Example::

    python tools/analysis_tools/compare.py work_dirs/datransnet \\
        work_dirs/segformer --out work_dirs/results
"""
import argparse
import csv
import datetime
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402

import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.utils.model_input import input_channels  # noqa: E402
from mmengine.analysis import get_model_complexity_info  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmseg.registry import MODELS  # noqa: E402

_LOG_TIME = re.compile(r'^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) ')
_METRICS = (('mIoU', 'mIoU'), ('nIoU', 'nIoU'), ('Pd', 'Pd'),
            ('Fa (1e-6)', 'Fa'), ('F1', 'pixel_F1'))
COLUMNS = ('Model', ) + tuple(name for name, _ in _METRICS) + (
    'Params (M)', 'MACs (G)', 'FPS', 'Iters', 's/iter', 'Train time')
# the CSV holds raw numbers: the training time in seconds
CSV_COLUMNS = COLUMNS[:-1] + ('Train time (s)', )


def parse_args():
    parser = argparse.ArgumentParser(
        description='Collect the test results of work dirs into one table')
    parser.add_argument('work_dirs', nargs='+', help='trained work dirs')
    parser.add_argument(
        '--names', nargs='+', help='row names (default: the folder names)')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[256, 256],
        metavar=('H', 'W'),
        help='input size for MACs and FPS')
    parser.add_argument(
        '--device',
        default='cuda' if torch.cuda.is_available() else 'cpu',
        help='device of the FPS measurement')
    parser.add_argument(
        '--speed-iters',
        type=int,
        default=50,
        help='timed forward passes per model (0: no FPS)')
    parser.add_argument(
        '--out',
        help='write <OUT>.md and <OUT>.csv (default: print only)')
    return parser.parse_args()


def _run_dirs(work_dir: Path) -> list:
    """Run folders ``<timestamp>/`` below ``work_dir``, oldest first."""
    return sorted((path.parent for path in work_dir.rglob('*.log')
                   if path.stem == path.parent.name),
                  key=lambda path: path.name)


def json_records(path: Path) -> list:
    return [json.loads(line) for line in path.read_text().splitlines()
            if line.strip()]


def test_metrics(work_dir: Path) -> dict:
    """Metrics of the newest ``tools/test.py`` run under ``work_dir``."""
    for run in reversed(_run_dirs(work_dir)):
        log = run / f'{run.name}.json'
        if log.is_file():
            records = [r for r in json_records(log) if 'mIoU' in r]
            if records:
                return records[-1]
    return {}


def _log_span(log: Path) -> float:
    """Seconds from the first to the last timestamped line of a log."""
    stamps = [
        datetime.datetime.strptime(match.group(1), '%Y/%m/%d %H:%M:%S')
        for match in map(_LOG_TIME.match,
                         log.read_text(errors='replace').splitlines())
        if match
    ]
    return (stamps[-1] - stamps[0]).total_seconds() if stamps else 0.


def training_runs(work_dir: Path) -> list:
    """``(run folder, train records)`` of the training runs, oldest first."""
    runs = []
    for run in _run_dirs(work_dir):
        scalars = run / 'vis_data' / 'scalars.json'
        if scalars.is_file():
            records = [r for r in json_records(scalars) if 'loss' in r]
            if records:
                runs.append((run, records))
    return runs


def build_model(config: Path):
    cfg = Config.fromfile(str(config))
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    return model.eval(), input_channels(cfg.model)


def complexity(model, inputs: torch.Tensor) -> tuple:
    """``(parameters, MACs)`` of the model's tensor forward."""
    with torch.no_grad():
        info = get_model_complexity_info(
            model, inputs=(inputs, ), show_table=False, show_arch=False)
    return sum(p.numel() for p in model.parameters()), info['flops']


def frames_per_second(model, inputs: torch.Tensor, device: str,
                      iters: int) -> float:
    """Images per second of the tensor forward (batch 1, after warm-up)."""
    device = torch.device(device)
    model = model.to(device)
    inputs = inputs.to(device)

    def sync():
        if device.type == 'cuda':
            torch.cuda.synchronize(device)

    with torch.no_grad():
        for _ in range(max(3, iters // 5)):
            model(inputs, mode='tensor')
        sync()
        start = time.perf_counter()
        for _ in range(iters):
            model(inputs, mode='tensor')
        sync()
    return iters / (time.perf_counter() - start)


def collect(work_dir: Path, name: str, shape: tuple, device: str,
            speed_iters: int) -> dict:
    """One table row (missing values are None)."""
    row = dict.fromkeys(COLUMNS)
    row['Model'] = name
    metrics = test_metrics(work_dir)
    if not metrics:
        print(f'{work_dir}: no test log of tools/test.py found; metrics '
              'left empty.')
    for column, key in _METRICS:
        if key in metrics:
            row[column] = float(metrics[key])
    runs = training_runs(work_dir)
    if not runs:
        print(f'{work_dir}: no training log found; model columns left '
              'empty.')
        return row
    times = [r['time'] for _, records in runs for r in records]
    row['Iters'] = runs[-1][1][-1]['iter']
    row['s/iter'] = statistics.median(times)
    row['Train time'] = sum(
        _log_span(run / f'{run.name}.log') for run, _ in runs)
    model, in_channels = build_model(runs[-1][0] / 'vis_data' / 'config.py')
    inputs = torch.rand(1, in_channels, *shape)
    params, macs = complexity(model, inputs)
    row['Params (M)'] = params / 1e6
    row['MACs (G)'] = macs / 1e9
    if speed_iters > 0:
        row['FPS'] = frames_per_second(model, inputs, device, speed_iters)
    return row


def _format(column: str, value) -> str:
    if value is None:
        return '-'
    if column == 'Model':
        return value
    if column == 'Train time':
        minutes, seconds = divmod(round(value), 60)
        hours, minutes = divmod(minutes, 60)
        return f'{hours}:{minutes:02d}:{seconds:02d}'
    if column == 'Iters':
        return str(value)
    if column == 's/iter':
        return f'{value:.3f}'
    if column in ('Params (M)', 'MACs (G)', 'FPS'):
        return f'{value:.2f}' if value < 100 else f'{value:.0f}'
    return f'{value:.2f}'


def markdown(rows: list, shape: tuple, device: str) -> str:
    lines = [
        '| ' + ' | '.join(COLUMNS) + ' |',
        '| ' + ' | '.join('---' for _ in COLUMNS) + ' |',
    ]
    for row in rows:
        lines.append('| ' + ' | '.join(_format(c, row[c])
                                       for c in COLUMNS) + ' |')
    if device.startswith('cuda') and torch.cuda.is_available():
        device = torch.cuda.get_device_name(torch.device(device))
    lines.append('')
    lines.append(f'MACs and FPS at {shape[0]}x{shape[1]}, batch 1, fp32; '
                 f'FPS on {device}. Metrics on the test split of each '
                 'run; Fa in units of 1e-6, F1 = pixel F1.')
    return '\n'.join(lines) + '\n'


def main():
    args = parse_args()
    work_dirs = [Path(path) for path in args.work_dirs]
    names = args.names or [path.name for path in work_dirs]
    if len(names) != len(work_dirs):
        sys.exit('--names needs one name per work dir.')
    for work_dir in work_dirs:
        if not work_dir.is_dir():
            sys.exit(f'Work dir "{work_dir}" does not exist.')
    rows = [
        collect(work_dir, name, tuple(args.shape), args.device,
                args.speed_iters)
        for work_dir, name in zip(work_dirs, names)
    ]
    table = markdown(rows, args.shape, args.device)
    print(table, end='')
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix('.md').write_text(table)
        with open(out.with_suffix('.csv'), 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for row in rows:
                writer.writerow(
                    ['' if row[c] is None else row[c] for c in COLUMNS])
        print(f'Wrote {out.with_suffix(".md")} and {out.with_suffix(".csv")}')


if __name__ == '__main__':
    main()
