"""Train, select, test and compare several networks over several seeds.

For every config and seed: train at one budget (``--iters`` x ``--batch``;
the config's learning-rate schedule fitted to ``--iters``, its hooks'
``warmup_iters`` to the recipe's number of warm-up images), validate every
``--val-interval`` iterations from the first interval on (every network on
the same grid; a recipe that starts validating late, as SCTransNet's at half
its schedule, would leave a short run without any), keep the checkpoint with
the best validation mIoU, test it on the test split, and write a small
``summary.json`` of the run.
Then one table over all the finished runs under ``--out-dir``: per network
the mean and standard deviation over the seeds of the test metrics, the
parameters, the MACs and the CPU latency at ``--shape``, the time of a
training step and the budget; and one Pd-Fa / ROC plot of all the networks.
Latency and training step are timed when the table is written, every
network in the same call (times of runs made at other moments on a shared
machine do not compare; each run's own median time per iteration stays in
its ``summary.json``).

A run whose training loss did not clearly fall (last tenth of the logged
losses above ``--loss-ratio`` times the first tenth; losses after a hook's
warm-up, which changes the loss) or whose best validation mIoU stayed below
``--min-val-miou`` is marked as not converged and left out of its network's
mean; a network without a converged run shows no metrics.

Resumable: a finished run (its ``summary.json`` exists) is never trained
again, and an interrupted one resumes from its last checkpoint. Runs of
earlier calls stay in the table, so seeds can be added by calling again
with other ``--seeds``. ``--table-only`` trains nothing and writes the table
and the plot from the finished runs' small files alone (a committed
comparison, or one whose other runs are still training).

Written under ``--out-dir``:

- ``runs/<network>/seed<k>/``: the run's whole config (``config.py``: the
  budget, seed, data root, ``--cfg-options`` and ``--amp`` applied), training
  logs and checkpoints, ``test/``, and the two small files that the table
  and the plot are made from: ``summary.json`` and ``curves.json`` (the
  test split's Pd-Fa and ROC points; commit both to keep a comparison);
- ``results.md`` and ``results.csv``: the table (the CSV with raw numbers);
- ``curves.png``: Pd-Fa and ROC of the first converged run of each network
  (a network whose runs lack ``curves.json`` is left out, with a message).

Example (1,000 iterations x batch 4 on SIRST v1, three seeds)::

    python tools/analysis_tools/benchmark_zoo.py \\
        configs/datransnet/datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py \\
        configs/baselines/fcn_hr18s_1xb4-adam-25.6k_nuaa-sirst-256x256.py \\
        --data-root data/sirst-v1 --iters 1000 --batch 4 --seeds 0 1 2 \\
        --out-dir work_dirs/zoo
"""
import argparse
import csv
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

import torch  # noqa: E402

import compare  # noqa: E402  (tools/analysis_tools/compare.py)
import datransnet_mmseg  # noqa: E402,F401  (patches the stack first)
from datransnet_mmseg.apis.runner_config import use_amp  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.optim import build_optim_wrapper  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmseg.registry import DATASETS, MODELS  # noqa: E402

METRICS = (('mIoU', 'mIoU'), ('nIoU', 'nIoU'), ('Pd', 'Pd'),
           ('Fa (1e-6)', 'Fa'), ('pixel F1', 'pixel_F1'),
           ('target F1', 'target_F1'))
COLUMNS = ('Model', 'Runs') + tuple(name for name, _ in METRICS) + (
    'Params (M)', 'MACs (G)', 'CPU latency (ms)', 's/step', 'Budget',
    'Status')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
CURVE_THRESHOLDS = 50


def parse_args():
    parser = argparse.ArgumentParser(
        description='Train and compare networks over several seeds')
    parser.add_argument('configs', nargs='+', help='training configs')
    parser.add_argument(
        '--names', nargs='+', help='network names (default: from configs)')
    parser.add_argument('--data-root', help='dataset root of every loader')
    parser.add_argument('--out-dir', required=True, help='output folder')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--iters', type=int, required=True,
                        help='training iterations of every run')
    parser.add_argument('--batch', type=int, required=True,
                        help='images per training batch')
    parser.add_argument(
        '--crop', type=int, nargs=2, metavar=('H', 'W'),
        help='training window of every run (default: each config\'s own)')
    parser.add_argument(
        '--val-interval',
        type=int,
        help='iterations between validations (default: iters / 10)')
    parser.add_argument('--workers', type=int, default=2,
                        help='dataloader workers')
    parser.add_argument('--amp', action='store_true',
                        help='mixed-precision training (CUDA only)')
    parser.add_argument(
        '--shape', type=int, nargs=2, default=[256, 256],
        metavar=('H', 'W'), help='input size of MACs and latency')
    parser.add_argument('--speed-iters', type=int, default=20,
                        help='timed forward passes for the latency')
    parser.add_argument(
        '--train-speed-iters', type=int, default=3,
        help='timed training steps per network (0: not timed)')
    parser.add_argument(
        '--table-only',
        action='store_true',
        help='train nothing: the table and the plot of the finished runs '
        'under --out-dir (--seeds is ignored)')
    parser.add_argument('--loss-ratio', type=float, default=0.8)
    parser.add_argument('--min-val-miou', type=float, default=1.0)
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={},
        help='key=value overrides of every run\'s config')
    return parser.parse_args()


def network_name(config: Path) -> str:
    """``datransnet`` for ``datransnet_1xb4-...``, ``fcn_hr18s`` for
    ``fcn_hr18s_1xb4-...``: the config name before ``_{N}xb{B}``."""
    return re.split(r'_\d+xb\d+', config.stem)[0]


def fit_schedule(schedulers: list, old_iters: int, new_iters: int) -> list:
    """Scale the iteration-based steps of the schedulers to ``new_iters``.

    ``begin``, ``end``, ``T_max`` and ``milestones`` are multiplied by
    ``new_iters / old_iters`` (at least 1 apart where they were), so that
    warm-ups and decays keep their share of the training.
    """
    fitted = []
    for scheduler in schedulers:
        scheduler = dict(scheduler)
        if scheduler.get('by_epoch', True):
            raise ValueError(
                f'{scheduler["type"]} is epoch-based; this tool fits '
                'iteration-based schedules (by_epoch=False) only.')

        def scale(step):
            return min(new_iters, round(step * new_iters / old_iters))

        for key in ('begin', 'end', 'T_max'):
            if key in scheduler:
                scheduler[key] = scale(scheduler[key])
        if 'milestones' in scheduler:
            scheduler['milestones'] = [
                scale(step) for step in scheduler['milestones']
            ]
        if scheduler.get('end', new_iters) <= scheduler.get('begin', 0):
            scheduler['end'] = scheduler.get('begin', 0) + 1
        fitted.append(scheduler)
    return fitted


def fit_warmup(warmup_iters: int, old_batch: int, new_batch: int,
               new_iters: int) -> int:
    """The iterations of a hook's warm-up at the run's batch.

    A warm-up that brings the network into shape before its training
    changes (MSHNet: 6 epochs of the finest output alone, then deep
    supervision with the SLS loss) needs the recipe's number of training
    images, not its share of a shorter schedule: its images are kept
    (``warmup_iters * old_batch / new_batch``), at most half the run.
    """
    kept = round(warmup_iters * old_batch / new_batch)
    return max(1, min(kept, new_iters // 2))


CROP_TRANSFORMS = ('RandomCrop', 'RandomTargetCrop')


def set_training_window(cfg: Config, crop: tuple, config: Path) -> None:
    """Train every run on windows of the same size: the crop transforms,
    the padding after them and the preprocessor's fixed size take ``crop``
    (resizes before the crop keep the config's scale)."""
    pipeline = cfg.train_dataloader.dataset.get('pipeline')
    crops = [t for t in pipeline or [] if t['type'] in CROP_TRANSFORMS]
    if not crops:
        raise SystemExit(
            f'{config}: --crop needs a {" or ".join(CROP_TRANSFORMS)} in '
            'train_dataloader.dataset.pipeline; train it without --crop.')
    for transform in pipeline:
        if transform['type'] in CROP_TRANSFORMS:
            transform['crop_size'] = crop
        elif transform['type'] == 'Pad' and 'size' in transform:
            transform['size'] = crop
    if cfg.model.data_preprocessor.get('size') is not None:
        cfg.model.data_preprocessor.size = crop


def run_config(config: Path, args, seed: int) -> Config:
    """The config of one run: budget, seed, data and loaders applied."""
    cfg = Config.fromfile(str(config))
    old_iters = cfg.train_cfg.max_iters
    val_interval = args.val_interval or max(1, args.iters // 10)
    cfg.param_scheduler = fit_schedule(
        cfg.get('param_scheduler') or [], old_iters, args.iters)
    for hook in cfg.get('custom_hooks') or []:
        if 'warmup_iters' in hook:  # e.g. MSHNet's deep-supervision warm-up
            hook['warmup_iters'] = fit_warmup(
                hook['warmup_iters'], cfg.train_dataloader.batch_size,
                args.batch, args.iters)
    cfg.train_cfg.max_iters = args.iters
    cfg.train_cfg.val_interval = val_interval
    cfg.train_cfg.val_begin = 1
    cfg.train_dataloader.batch_size = args.batch
    cfg.default_hooks.checkpoint.interval = val_interval
    cfg.default_hooks.logger.interval = max(1, min(50, args.iters // 20))
    cfg.randomness = dict(seed=seed)
    cfg.env_cfg.cudnn_benchmark = False
    for loader in LOADERS:
        cfg[loader].num_workers = args.workers
        cfg[loader].persistent_workers = args.workers > 0
        if args.data_root:
            cfg[loader].dataset.data_root = args.data_root
    if args.crop:
        set_training_window(cfg, tuple(args.crop), config)
    cfg.test_evaluator = dict(
        cfg.test_evaluator, curve_thresholds=CURVE_THRESHOLDS)
    cfg.merge_from_dict(args.cfg_options)
    if args.amp:
        use_amp(cfg)
    return cfg


def run_tool(argv: list) -> None:
    proc = subprocess.run([sys.executable] + argv, cwd=REPO_ROOT)
    if proc.returncode:
        sys.exit(f'{" ".join(argv[:2])} failed with exit code '
                 f'{proc.returncode}')


def records(work_dir: Path) -> tuple:
    """Training and validation records of a run by iteration; where a
    resumed run repeats iterations of the interrupted one, its own."""
    train, val = {}, {}
    for run, _ in compare.training_runs(work_dir):  # oldest first
        scalars = run / 'vis_data' / 'scalars.json'
        for record in compare.json_records(scalars):
            if 'loss' in record:
                train[record['step']] = record
            elif 'mIoU' in record:
                val[record['step']] = record
    return ([train[step] for step in sorted(train)],
            [val[step] for step in sorted(val)])


def warmup_end(cfg: Config) -> int:
    """The last iteration of the config's hook warm-ups (0 without one):
    the loss changes there (MSHNet: the plain soft IoU of one output, then
    the SLS loss averaged over five), so losses before and after it do not
    compare."""
    return max((hook['warmup_iters'] for hook in cfg.get('custom_hooks') or []
                if 'warmup_iters' in hook), default=0)


def training_summary(train: list, val: list, loss_from: int = 0) -> dict:
    """Mean loss of the first and the last tenth of the losses logged after
    iteration ``loss_from``, and the best validation mIoU with its
    iteration."""
    train = [r for r in train if r['iter'] > loss_from]
    tenth = max(1, len(train) // 10)
    best = max(val, key=lambda r: r['mIoU'])
    return dict(
        loss_from_iter=loss_from,
        first_loss=statistics.mean(r['loss'] for r in train[:tenth]),
        final_loss=statistics.mean(r['loss'] for r in train[-tenth:]),
        best_val_mIoU=best['mIoU'],
        best_val_iter=best['step'])


def not_converged_because(run: dict, args) -> str:
    """Why a run did not converge; empty if it did."""
    reasons = []
    if not run['final_loss'] <= args.loss_ratio * run['first_loss']:
        reasons.append(
            f'loss {run["first_loss"]:.3f} -> {run["final_loss"]:.3f}')
    if run['best_val_mIoU'] < args.min_val_miou:
        reasons.append(f'best val mIoU {run["best_val_mIoU"]:.2f}')
    return '; '.join(reasons)


def display_path(config: Path) -> str:
    """The config's path relative to the repository when inside it (the
    summaries are meant to be committed), absolute otherwise."""
    return str(config.relative_to(REPO_ROOT)) if config.is_relative_to(
        REPO_ROOT) else str(config)


def run_folder(args, name: str, seed: int) -> Path:
    """``<out-dir>/runs/<network>/seed<k>``, absolute."""
    return Path(args.out_dir).resolve() / 'runs' / name / f'seed{seed}'


def best_checkpoint(run_dir: Path, best_val_iter: int) -> Path:
    """The checkpoint of the best validation mIoU of the run's records.

    Not simply the ``best_mIoU_iter_*.pth`` there: a run resumed after a
    validation that set a new best restarts from the checkpoint saved
    before that validation, whose record of the best score is older, so
    the checkpoint hook can leave an earlier best beside the true one.
    """
    best = run_dir / f'best_mIoU_iter_{best_val_iter}.pth'
    if not best.is_file():
        sys.exit(f'{best} is missing: the best validation mIoU of the run '
                 f'is at iteration {best_val_iter}, and the config must '
                 'save the best mIoU checkpoint (default_hooks.checkpoint.'
                 'save_best=\'mIoU\').')
    return best


def run_one(config: Path, name: str, seed: int, args) -> dict:
    """Train, select and test one run (or read its finished summary)."""
    run_dir = run_folder(args, name, seed)
    summary_file = run_dir / 'summary.json'
    if summary_file.is_file():
        print(f'{name} seed {seed}: finished earlier, kept')
        return json.loads(summary_file.read_text())
    run_dir.mkdir(parents=True, exist_ok=True)
    config_file = run_dir / 'config.py'
    cfg = run_config(config, args, seed)
    cfg.dump(str(config_file))
    train = ['tools/train.py', str(config_file), '--work-dir', str(run_dir)]
    if (run_dir / 'last_checkpoint').is_file():
        train.append('--resume')
    print(f'{name} seed {seed}: training {args.iters} x {args.batch}')
    run_tool(train)
    train_records, val_records = records(run_dir)
    if not val_records:
        sys.exit(f'{run_dir}: the run has no validation record; the config '
                 'must validate within --iters.')
    training = training_summary(train_records, val_records, warmup_end(cfg))
    best = best_checkpoint(run_dir, training['best_val_iter'])
    test = ['tools/test.py', str(config_file), str(best),
            '--work-dir', str(run_dir / 'test'),
            '--out', str(run_dir / 'test' / 'eval')]
    run_tool(test)
    shutil.copyfile(run_dir / 'test' / 'eval' / 'curves.json',
                    run_dir / 'curves.json')
    summary = dict(
        network=name,
        config=display_path(config),
        seed=seed,
        iters=args.iters,
        batch=args.batch,
        crop=args.crop,
        checkpoint=best.name,
        s_per_iter=statistics.median(r['time'] for r in train_records),
        threads=torch.get_num_threads(),
        test=compare.test_metrics(run_dir / 'test'),
        **training)
    summary_file.write_text(json.dumps(summary, indent=1))
    return summary


def budget(run: dict) -> str:
    """``1000 x 4`` (iterations x batch), ``1000 x 4 @ 128x128`` where
    every run was trained on windows of one size."""
    text = f'{run["iters"]} x {run["batch"]}'
    crop = run.get('crop')
    return text + (f' @ {crop[0]}x{crop[1]}' if crop else '')


def mean_std(values: list) -> tuple:
    """Mean and sample standard deviation (None for one value)."""
    std = statistics.stdev(values) if len(values) > 1 else None
    return statistics.mean(values), std


def network_row(name: str, config: Path, runs: list, args) -> dict:
    """One table row: metrics over the converged runs, model figures."""
    row = dict.fromkeys(COLUMNS)
    row['Model'] = name
    failures = {run['seed']: not_converged_because(run, args)
                for run in runs}
    converged = [run for run in runs if not failures[run['seed']]]
    row['Runs'] = f'{len(converged)}/{len(runs)}'
    if not runs:
        row['Status'] = 'no finished run'
    elif len(converged) == len(runs):
        row['Status'] = 'converged'
    else:
        row['Status'] = 'not converged: ' + ', '.join(
            f'seed {seed} ({why})' for seed, why in failures.items() if why)
    for column, key in METRICS:
        if converged:
            row[column] = mean_std([run['test'][key] for run in converged])
    row['Budget'] = budget(vars(args))
    model, in_channels = compare.build_model(config)
    inputs = torch.rand(1, in_channels, *args.shape)
    params, macs = compare.complexity(model, inputs)
    row['Params (M)'] = params / 1e6
    row['MACs (G)'] = macs / 1e9
    if args.speed_iters > 0:
        row['CPU latency (ms)'] = 1e3 / compare.frames_per_second(
            model, inputs, 'cpu', args.speed_iters)
    if args.train_speed_iters > 0:
        row['s/step'] = training_step_seconds(config, args)
    return row


def training_step_seconds(config: Path, args) -> float:
    """Median time of ``--train-speed-iters`` training steps of a run's
    config after one warm-up step: the first ``--batch`` samples of its
    training pipeline, its loss and optimizer, on the training device."""
    cfg = run_config(config, args, seed=0)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batch = pseudo_collate([dataset[index] for index in range(args.batch)])
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    model = MODELS.build(cfg.model).to(device)
    model.init_weights()
    model.train()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    times = []
    for _ in range(args.train_speed_iters + 1):
        start = time.perf_counter()
        model.train_step(batch, optim_wrapper)
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def format_cell(column: str, value) -> str:
    if value is None:
        return '-'
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        mean, std = value
        return f'{mean:.2f}' + ('' if std is None else f' ± {std:.2f}')
    return f'{value:.3f}' if column == 's/step' else f'{value:.2f}'


def write_table(rows: list, args) -> None:
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = ['| ' + ' | '.join(COLUMNS) + ' |',
             '|' + '---|' * len(COLUMNS)]
    lines += ['| ' + ' | '.join(format_cell(c, row[c]) for c in COLUMNS) +
              ' |' for row in rows]
    height, width = args.shape
    lines += [
        '',
        'Metrics: mean ± sample standard deviation over the converged runs '
        '(Runs: converged / all) of the test split, each run tested with '
        'its best-validation checkpoint; Fa in units of 1e-6. Params, MACs '
        f'and CPU latency (batch 1, fp32, {torch.get_num_threads()} '
        f'thread(s)) at {height}x{width}; s/step: median time of a '
        f'training step (batch {args.batch}, the training window, the '
        'config\'s loss and optimizer, on the training device); both timed '
        'for every network in the call that wrote this table. Budget: '
        'iterations x batch (@ the training window where one was set for '
        'all).'
    ]
    (out / 'results.md').write_text('\n'.join(lines) + '\n')
    with open(out / 'results.csv', 'w', newline='') as f:
        writer = csv.writer(f)
        header = []
        for column in COLUMNS:
            metric = column in dict(METRICS)
            header += [f'{column} mean', f'{column} std'] if metric else \
                [column]
        writer.writerow(header)
        for row in rows:
            cells = []
            for column in COLUMNS:
                value = row[column]
                if column in dict(METRICS):
                    cells += ['', ''] if value is None else [
                        value[0], '' if value[1] is None else value[1]
                    ]
                else:
                    cells.append('' if value is None else value)
            writer.writerow(cells)
    print('\n'.join(lines))


def plot(all_runs: dict, args) -> None:
    """Pd-Fa and ROC of the first converged run of each network that has
    its ``curves.json``."""
    curves, labels = [], []
    for name, runs in all_runs.items():
        converged = [
            run for run in runs if not not_converged_because(run, args)
        ]
        files = [run_folder(args, name, run['seed']) / 'curves.json'
                 for run in converged]
        present = [path for path in files if path.is_file()]
        if present:
            curves.append(str(present[0]))
            labels.append(name)
        elif files:
            print(f'{name}: no curves.json in its converged runs '
                  f'({", ".join(str(path) for path in files)}); '
                  'left out of curves.png')
    if curves:
        # false alarms span decades (tens of 1e-6 at useful thresholds, 1e6
        # when every pixel is called a target): logarithmic Fa and FPR axes
        run_tool(['tools/analysis_tools/plot_curves.py'] + curves +
                 ['--labels'] + labels + ['--xscale', 'log', '--out',
                                          str(Path(args.out_dir).resolve() /
                                              'curves.png')])


def main():
    args = parse_args()
    configs = [Path(path).resolve() for path in args.configs]
    names = args.names or [network_name(path) for path in configs]
    if len(names) != len(configs) or len(set(names)) != len(names):
        sys.exit(f'one distinct name per config is needed, got {names}; '
                 'pass --names')
    for config in configs:
        if not config.is_file():
            sys.exit(f'config {config} does not exist')
    seeds = [] if args.table_only else args.seeds
    all_runs = {}
    for config, name in zip(configs, names):
        all_runs[name] = [run_one(config, name, seed, args)
                          for seed in seeds]
    # finished runs of earlier calls (other seeds) count as well
    for name, config in zip(names, configs):
        seeds = {run['seed'] for run in all_runs[name]}
        folder = Path(args.out_dir) / 'runs' / name
        for summary in sorted(folder.glob('seed*/summary.json')):
            run = json.loads(summary.read_text())
            if run['seed'] not in seeds and budget(run) == budget(
                    dict(iters=args.iters, batch=args.batch, crop=args.crop)):
                all_runs[name].append(run)
    rows = [network_row(name, config, all_runs[name], args)
            for config, name in zip(configs, names)]
    write_table(rows, args)
    plot(all_runs, args)
    failed = [row['Model'] for row in rows
              if row['Runs'].startswith('0/') and row['Runs'] != '0/0']
    if failed:
        print(f'Not converged in any run: {", ".join(failed)}')
    unrun = [row['Model'] for row in rows if row['Runs'] == '0/0']
    if unrun:
        print(f'No finished run: {", ".join(unrun)}')


if __name__ == '__main__':
    main()
