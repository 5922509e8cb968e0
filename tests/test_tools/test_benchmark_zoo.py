"""tools/analysis_tools/benchmark_zoo.py end to end on a tiny dataset.

Two networks x two seeds x two iterations: the table must hold, per
network, the mean and sample standard deviation of the runs' test metrics
(computed here independently from each run's test log), and a second call
must reuse the finished runs, mark runs that miss the convergence rule
and finish an interrupted run from its checkpoint.
"""
import argparse
import csv
import importlib
import json
import shutil
import statistics
from pathlib import Path

import pytest
from mmengine.config import Config

REPO_ROOT = Path(__file__).resolve().parents[2]

CONFIGS = {
    'datransnet': 'configs/datransnet/'
    'datransnet_1xb4-adam-600it_synthetic-sirst-128x128.py',
    'acm': 'configs/acm/'
    'acm_askcresunet_1xb16-adam-6k_synthetic-sirst-128x128.py',
}
METRICS = {'mIoU': 'mIoU', 'nIoU': 'nIoU', 'Pd': 'Pd', 'Fa (1e-6)': 'Fa',
           'pixel F1': 'pixel_F1', 'target F1': 'target_F1'}


def zoo(tools, data_root, out_dir, *options):
    return tools.run(
        'analysis_tools/benchmark_zoo.py',
        *[str(REPO_ROOT / path) for path in CONFIGS.values()],
        '--names', *CONFIGS, '--data-root', str(data_root), '--out-dir',
        str(out_dir), '--seeds', '0', '1', '--iters', '2', '--batch', '2',
        '--val-interval', '1', '--workers', '0', '--speed-iters', '1',
        *options)


def read_table(out_dir):
    with open(out_dir / 'results.csv') as f:
        return {row['Model']: row for row in csv.DictReader(f)}


def last_test_record(run_dir):
    """The metrics line that tools/test.py logged for this run."""
    logs = sorted(path for path in (run_dir / 'test').glob('*/*.json')
                  if path.stem == path.parent.name)
    lines = logs[-1].read_text().splitlines()
    return [json.loads(line) for line in lines if 'mIoU' in line][-1]


def test_table_is_mean_and_std_of_the_runs(tools, tiny_sirst, tmp_path):
    out = tmp_path / 'zoo'
    zoo(tools, tiny_sirst, out, '--loss-ratio', '100', '--min-val-miou', '-1')
    table = read_table(out)
    assert set(table) == set(CONFIGS)
    for name in CONFIGS:
        row = table[name]
        assert row['Runs'] == '2/2' and row['Status'] == 'converged'
        assert row['Budget'] == '2 x 2'
        assert float(row['Params (M)']) > 0
        assert float(row['CPU latency (ms)']) > 0
        assert float(row['s/step']) > 0
        runs = [last_test_record(out / 'runs' / name / f'seed{seed}')
                for seed in (0, 1)]
        for column, key in METRICS.items():
            values = [run[key] for run in runs]
            assert abs(float(row[f'{column} mean']) -
                       statistics.fmean(values)) < 1e-9
            assert abs(float(row[f'{column} std']) -
                       statistics.stdev(values)) < 1e-9
        for seed in (0, 1):
            summary = json.loads((out / 'runs' / name / f'seed{seed}' /
                                  'summary.json').read_text())
            assert summary['seed'] == seed
            assert summary['config'] == CONFIGS[name]  # no machine path
            assert summary['threads'] == 1  # OMP_NUM_THREADS of the tests
            assert summary['best_val_iter'] in (1, 2)
            assert summary['checkpoint'] == \
                f'best_mIoU_iter_{summary["best_val_iter"]}.pth'
            curves = json.loads((out / 'runs' / name / f'seed{seed}' /
                                 'curves.json').read_text())
            assert abs(curves['AUC'] * 100 - summary['test']['AUC']) < 1e-9
    assert (out / 'curves.png').stat().st_size > 0
    assert '± ' in (out / 'results.md').read_text()

    # A table rebuilt with --table-only from the small files alone
    # (summary.json and curves.json of each run, as committed): nothing is
    # trained, and a network whose curves are missing is left out of the
    # plot, by name.
    committed = tmp_path / 'committed'
    for summary in out.glob('runs/*/seed*/summary.json'):
        copy = committed / summary.parent.relative_to(out)
        copy.mkdir(parents=True)
        shutil.copy(summary, copy)
        if summary.parent.parent.name == 'datransnet':
            shutil.copy(summary.parent / 'curves.json', copy)
    rebuilt = zoo(tools, tiny_sirst, committed, '--loss-ratio', '100',
                  '--min-val-miou', '-1', '--table-only')
    assert 'acm: no curves.json in its converged runs' in rebuilt.stdout
    assert 'datransnet: no curves.json' not in rebuilt.stdout
    assert len(list(committed.glob('runs/*/seed*/*'))) == 6  # as copied
    timed = {'CPU latency (ms)': None, 's/step': None}  # measured anew
    for name, row in read_table(committed).items():
        assert {**row, **timed} == {**table[name], **timed}
    assert (committed / 'curves.png').stat().st_size > 0

    # --table-only where no run has finished yet: listed, not trained
    empty = tmp_path / 'not-yet-run'
    listed = zoo(tools, tiny_sirst, empty, '--table-only',
                 '--train-speed-iters', '0')
    assert 'No finished run: datransnet, acm' in listed.stdout
    assert not (empty / 'runs').exists()
    for row in read_table(empty).values():
        assert (row['Runs'], row['Status']) == ('0/0', 'no finished run')
        assert row['mIoU mean'] == '' and row['Budget'] == '2 x 2'

    # Second call: finished runs are not trained again; runs below the
    # (impossible) validation floor are marked and left out of the metrics;
    # a run killed after training (no summary yet) is finished from its last
    # checkpoint, not trained from scratch.
    killed = out / 'runs' / 'acm' / 'seed1'
    before = json.loads((killed / 'summary.json').read_text())
    (killed / 'summary.json').unlink()
    checkpoints = {path: path.stat().st_mtime_ns
                   for path in out.rglob('*.pth')}
    result = zoo(tools, tiny_sirst, out, '--min-val-miou', '101')
    assert result.stdout.count('finished earlier, kept') == 3
    assert 'resumed' in (result.stdout + result.stderr).lower()
    assert {path: path.stat().st_mtime_ns
            for path in out.rglob('*.pth')} == checkpoints
    after = json.loads((killed / 'summary.json').read_text())
    for key in METRICS.values():
        assert after['test'][key] == before['test'][key]
    table = read_table(out)
    for name in CONFIGS:
        row = table[name]
        assert row['Runs'] == '0/2'
        assert row['Status'].startswith('not converged: seed 0 (')
        assert 'best val mIoU' in row['Status']
        assert row['mIoU mean'] == '' and row['mIoU std'] == ''


def write_log(run, records):
    (run / 'vis_data').mkdir(parents=True)
    (run / f'{run.name}.log').write_text('')
    (run / 'vis_data' / 'scalars.json').write_text(
        ''.join(json.dumps(record) + '\n' for record in records))


def test_resumed_run_tests_its_best_validation(monkeypatch, tmp_path):
    """A run killed after the validation of its new best (iteration 200)
    and resumed from the checkpoint saved before it: the hook's older best
    (100) comes back, so 300 is saved as a best too; the records decide."""
    monkeypatch.syspath_prepend(str(REPO_ROOT / 'tools' / 'analysis_tools'))
    zoo_tool = importlib.import_module('benchmark_zoo')

    def train(step, loss):
        return dict(loss=loss, time=1.0, iter=step, step=step)

    write_log(tmp_path / '20260101_000000', [
        train(100, 0.9), dict(mIoU=10.0, step=100), train(200, 0.7),
        dict(mIoU=30.0, step=200), train(250, 0.6)])
    write_log(tmp_path / '20260101_010000', [
        train(250, 0.5), train(300, 0.4), dict(mIoU=20.0, step=300)])
    train_records, val_records = zoo_tool.records(tmp_path)
    assert [(r['step'], r['loss']) for r in train_records] == [
        (100, 0.9), (200, 0.7), (250, 0.5), (300, 0.4)]
    assert [r['mIoU'] for r in val_records] == [10.0, 30.0, 20.0]
    training = zoo_tool.training_summary(train_records, val_records)
    assert (training['best_val_iter'], training['best_val_mIoU']) == (200, 30)

    with pytest.raises(SystemExit, match=r'best_mIoU_iter_200.pth is '
                       r'missing: .* at iteration 200'):
        zoo_tool.best_checkpoint(tmp_path, 200)
    for step in (200, 300):
        (tmp_path / f'best_mIoU_iter_{step}.pth').touch()
    assert zoo_tool.best_checkpoint(tmp_path, 200) == \
        tmp_path / 'best_mIoU_iter_200.pth'


def warmup_iters(cfg) -> list:
    return [hook['warmup_iters'] for hook in cfg.custom_hooks
            if hook['type'] == 'DeepSupervisionWarmupHook']


def test_run_config_fits_the_budget_and_the_window(monkeypatch):
    """The schedule, MSHNet's warm-up and the training window of a run."""
    monkeypatch.syspath_prepend(str(REPO_ROOT / 'tools' / 'analysis_tools'))
    zoo_tool = importlib.import_module('benchmark_zoo')
    args = argparse.Namespace(
        iters=1000, batch=4, crop=[128, 96], val_interval=None, workers=0,
        data_root='sirst-v1', amp=False,
        cfg_options={'train_cfg.val_begin': 7})
    config = REPO_ROOT / 'configs/mshnet/mshnet_1xb4-adagrad-25.6k_nuaa-' \
        'sirst-256x256.py'
    cfg = zoo_tool.run_config(config, args, seed=3)
    # the recipe's warm-up: 384 iterations of batch 4 (6 epochs of 256
    # images) stay 384 iterations at batch 4
    assert warmup_iters(cfg) == [384]
    assert cfg.train_cfg.max_iters == 1000
    assert cfg.train_cfg.val_interval == 100
    assert cfg.param_scheduler[-1]['end'] == 1000
    assert cfg.randomness == dict(seed=3)
    assert cfg.train_cfg.val_begin == 7  # --cfg-options are in config.py
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t['crop_size'] for t in pipeline if 'crop_size' in t] == [
        (128, 96)]
    assert [t['size'] for t in pipeline if t['type'] == 'Pad'] == [(128, 96)]
    # the resize before the crop keeps the config's scale
    assert [t['scale'] for t in pipeline if t['type'] == 'RandomResize'] == [
        (256, 256)]
    assert cfg.train_dataloader.dataset.data_root == 'sirst-v1'

    # the same images at batch 16: 96 iterations (of 200); at most half a
    # short run: 250 of 500
    args.cfg_options = {}
    for iters, batch, expected in ((200, 16, 96), (500, 4, 250)):
        args.iters, args.batch = iters, batch
        cfg = zoo_tool.run_config(config, args, seed=0)
        assert warmup_iters(cfg) == [expected]

    no_crop = REPO_ROOT / 'configs/datransnet/datransnet_1xb4-adam-600it_' \
        'synthetic-sirst-128x128.py'
    try:
        zoo_tool.run_config(no_crop, args, seed=0)
    except SystemExit as error:
        assert 'needs a RandomCrop or RandomTargetCrop' in str(error)
        assert no_crop.name in str(error)
    else:
        raise AssertionError('a config without a crop took --crop')

    # SCTransNet's recipe validates from iteration 8,000 of 16,000: a run of
    # 500 validates from its first interval on, as every other network
    sctransnet = REPO_ROOT / 'configs/sctransnet/sctransnet_1xb16-adam-' \
        'cosine-16k_nuaa-sirst-256x256.py'
    assert Config.fromfile(str(sctransnet)).train_cfg.val_begin == 8000
    cfg = zoo_tool.run_config(sctransnet, args, seed=0)
    assert (cfg.train_cfg.val_begin, cfg.train_cfg.val_interval) == (1, 50)


def test_loss_trend_after_the_warm_up(monkeypatch):
    """MSHNet's loss changes at the end of its warm-up (soft IoU of one
    output, then SLS over five): the trend is read after it."""
    monkeypatch.syspath_prepend(str(REPO_ROOT / 'tools' / 'analysis_tools'))
    zoo_tool = importlib.import_module('benchmark_zoo')
    losses = [0.99] * 4 + [1.8, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9]
    train = [dict(iter=10 * (i + 1), loss=loss)
             for i, loss in enumerate(losses)]
    val = [dict(mIoU=5.0, step=40), dict(mIoU=30.0, step=140)]
    summary = zoo_tool.training_summary(train, val, loss_from=40)
    # ten losses after iteration 40: first tenth 1.8, last tenth 0.9
    assert summary['first_loss'] == pytest.approx(1.8)
    assert summary['final_loss'] == pytest.approx(0.9)
    assert summary['best_val_mIoU'] == 30.0 and summary['best_val_iter'] == 140
    args = argparse.Namespace(loss_ratio=0.8, min_val_miou=1.0)
    assert zoo_tool.not_converged_because(summary, args) == ''
    # over all fourteen losses: first tenth 0.99, below the last 0.9 / 0.8
    everything = zoo_tool.training_summary(train, val)
    assert everything['first_loss'] == pytest.approx(0.99)
    assert 'loss 0.990 -> 0.900' in zoo_tool.not_converged_because(
        everything, args)

    cfg = zoo_tool.Config(dict(custom_hooks=[
        dict(type='NonFiniteLossHook'),
        dict(type='DeepSupervisionWarmupHook', warmup_iters=384)]))
    assert zoo_tool.warmup_end(cfg) == 384
    assert zoo_tool.warmup_end(zoo_tool.Config(dict())) == 0
