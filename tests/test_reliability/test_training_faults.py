"""Faults during training never lose work: kill, Ctrl-C, NaN, bad work dir."""
import multiprocessing
import os
import signal
import subprocess
import time

import pytest
import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

import datransnet_mmseg  # noqa: F401  (registers the hooks)
from datransnet_mmseg.compat import safe_torch_load
from datransnet_mmseg.engine import GracefulInterruptHook


def wait_for(condition, process, timeout=300):
    """Poll ``condition`` while ``process`` runs; fail if it never holds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail('training ended before the awaited state: ' +
                        process.stderr.read()[-3000:])
        time.sleep(0.05)
    pytest.fail('timed out')


def start_training(tools, work_dir, options):
    return subprocess.Popen(
        tools.command('train.py', tools.config, '--work-dir', work_dir,
                      '--cfg-options', *options),
        env=tools.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True)


def last_checkpoint(work_dir):
    path = work_dir / 'last_checkpoint'
    return path.read_text().strip() if path.exists() else ''


def deterministic_options(tools, data_root, max_iters):
    # 12 iterations of 64x64 images, validation off, checkpoints every 2.
    return tools.options(data_root, max_iters) + [
        'train_cfg.val_interval=1000', 'randomness.seed=0',
        'randomness.deterministic=True'
    ]


def test_sigkill_then_resume_equals_uninterrupted_run(
        tools, tiny_sirst, tmp_path):
    straight = tmp_path / 'straight'
    tools.run('train.py', tools.config, '--work-dir', straight,
              '--cfg-options',
              *deterministic_options(tools, tiny_sirst, 12))

    killed = tmp_path / 'killed'
    process = start_training(tools, killed,
                             deterministic_options(tools, tiny_sirst, 12))
    wait_for(lambda: last_checkpoint(killed).endswith('iter_2.pth'),
             process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (killed / 'iter_12.pth').exists(), 'not killed mid-way'

    tools.run('train.py', tools.config, '--work-dir', killed, '--resume',
              '--cfg-options',
              *deterministic_options(tools, tiny_sirst, 12))
    expected = safe_torch_load(straight / 'iter_12.pth')['state_dict']
    resumed = safe_torch_load(killed / 'iter_12.pth')['state_dict']
    assert expected.keys() == resumed.keys()
    for key, value in expected.items():
        torch.testing.assert_close(resumed[key], value, rtol=0, atol=1e-6)


def test_ctrl_c_saves_a_checkpoint_to_resume_from(tools, tiny_sirst,
                                                  tmp_path):
    work_dir = tmp_path / 'run'
    options = tools.options(tiny_sirst, max_iters=400) + [
        'train_cfg.val_interval=1000', 'default_hooks.checkpoint.interval=1000'
    ]
    process = start_training(tools, work_dir, options)
    wait_for(lambda: 'Iter(train) [  3/400]' in
             '\n'.join(p.read_text() for p in work_dir.glob('*/*.log')),
             process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode != 0
    assert 'Continue it with the same command and --resume' in stderr

    saved = last_checkpoint(work_dir)
    assert saved, 'no checkpoint registered for --resume'
    iteration = safe_torch_load(saved)['meta']['iter']
    assert 3 <= iteration < 400
    result = tools.run('train.py', tools.config, '--work-dir', work_dir,
                       '--resume', '--cfg-options', *tools.options(
                           tiny_sirst, max_iters=iteration + 2))
    assert f'resumed epoch: 0, iter: {iteration}' in (result.stdout +
                                                      result.stderr)


def worker_pid(launcher_pid, rank):
    """Pid of the training process of ``rank`` started by a launcher."""
    pending = [launcher_pid]
    while pending:
        pid = pending.pop()
        try:
            environ = open(f'/proc/{pid}/environ', 'rb').read().split(b'\0')
            tasks = os.listdir(f'/proc/{pid}/task')
            children = [
                int(child) for task in tasks for child in open(
                    f'/proc/{pid}/task/{task}/children').read().split()
            ]
        except FileNotFoundError:  # ended meanwhile
            continue
        if f'RANK={rank}'.encode() in environ and \
                b'LOCAL_RANK=' + str(rank).encode() in environ:
            return pid
        pending += children
    return None


@pytest.mark.skipif(
    not os.path.isdir('/proc/self/task') or torch.cuda.is_available(),
    reason='Linux /proc; the 2-process run is the CPU path')
def test_ctrl_c_to_one_of_two_processes_stops_both(tools, tiny_sirst,
                                                   tmp_path):
    work_dir = tmp_path / 'dist'
    options = tools.options(tiny_sirst, max_iters=400) + [
        'train_cfg.val_interval=1000', 'default_hooks.checkpoint.interval=1000'
    ]
    process = subprocess.Popen(
        tools.command('dist_train.sh', tools.config, 2, '--work-dir',
                      work_dir, '--cfg-options', *options),
        env=tools.env(PORT='29644'),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True)
    try:
        wait_for(lambda: 'Iter(train) [  3/400]' in
                 '\n'.join(p.read_text() for p in work_dir.glob('*/*.log')),
                 process)
        # rank 1 only: rank 0 writes the checkpoints and would not need
        # the others to agree
        os.kill(worker_pid(process.pid, 1), signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert 'Continue it with the same command and --resume' in stderr
    saved = last_checkpoint(work_dir)
    assert saved, 'no checkpoint registered for --resume:\n' + stderr[-3000:]
    checkpoint = safe_torch_load(saved)
    assert 3 <= checkpoint['meta']['iter'] < 400
    assert saved.endswith(f'iter_{checkpoint["meta"]["iter"]}.pth')
    assert {'optimizer', 'message_hub'} <= checkpoint.keys()


class RecordingRunner:
    """What the hook uses of a runner; checkpoints are only recorded."""

    def __init__(self, work_dir):
        self.work_dir = str(work_dir)
        self.iter = 0
        self.saved = []
        self.logger = MMLogger.get_instance('interrupt_test')

    def save_checkpoint(self, out_dir, filename, by_epoch):
        self.saved.append(filename)


def interrupt_one_of_two(rank, port, work_dir, results):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.distributed.init_process_group('gloo', rank=rank, world_size=2)
    hook = GracefulInterruptHook()
    runner = RecordingRunner(work_dir / f'rank{rank}')
    os.makedirs(runner.work_dir)
    hook.before_train(runner)
    stopped_after = None
    try:
        for runner.iter in range(10):
            if rank == 1 and runner.iter == 3:
                os.kill(os.getpid(), signal.SIGINT)
            hook.after_train_iter(runner, runner.iter)
    except KeyboardInterrupt:
        stopped_after = runner.iter
    finally:
        hook.after_train(runner)
        torch.distributed.destroy_process_group()
    results.put((rank, stopped_after, runner.saved))


@pytest.mark.skipif(os.name != 'posix', reason='POSIX signals')
def test_ranks_agree_on_the_interrupted_iteration(tmp_path):
    context = multiprocessing.get_context('fork')
    results = context.Queue()
    processes = [
        context.Process(
            target=interrupt_one_of_two,
            args=(rank, 29645, tmp_path, results)) for rank in (0, 1)
    ]
    for process in processes:
        process.start()
    try:
        outcome = sorted(results.get(timeout=60) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    # the signal reached rank 1 during iteration 3 (0-based): both stop
    # after it, iter_4.pth is saved by the main process
    assert outcome == [(0, 3, ['iter_4.pth']), (1, 3, ['iter_4.pth'])]
    assert (tmp_path / 'rank0' / 'last_checkpoint').read_text().endswith(
        'iter_4.pth')
    assert not (tmp_path / 'rank1' / 'last_checkpoint').exists()


def test_unwritable_work_dir_fails_at_start(tools, tiny_sirst, tmp_path):
    not_a_folder = tmp_path / 'file'
    not_a_folder.write_text('')
    result = tools.run(
        'train.py',
        tools.config,
        '--work-dir',
        not_a_folder / 'run',
        '--cfg-options',
        *tools.options(tiny_sirst),
        expect_success=False)
    assert result.returncode != 0
    assert f'Work dir "{not_a_folder / "run"}" is not writable' in \
        result.stderr
    assert 'Iter(train)' not in result.stdout + result.stderr


# --------------------------------------------------------------- NaN loss
class DivergesAtIteration(BaseModel):
    """Toy regression whose loss is NaN from iteration ``bad_iter`` on."""

    def __init__(self, bad_iter):
        super().__init__()
        self.linear = nn.Linear(2, 1)
        self.bad_iter = bad_iter
        self.calls = 0

    def forward(self, inputs, targets, mode='loss'):
        prediction = self.linear(inputs).squeeze(-1)
        if mode == 'loss':
            self.calls += 1
            loss = ((prediction - targets)**2).mean()
            if self.calls >= self.bad_iter:
                loss = loss * float('nan')
            return dict(loss=loss)
        return [dict(error=(prediction - targets).abs().mean().item())]


class Points(Dataset):

    def __len__(self):
        return 8

    def __getitem__(self, index):
        return dict(inputs=torch.tensor([index, 1.0]), targets=index / 8)


class NegativeError(BaseMetric):

    def process(self, data_batch, data_samples):
        self.results.extend(data_samples)

    def compute_metrics(self, results):
        return dict(mIoU=-sum(r['error'] for r in results) / len(results))


def test_nan_loss_stops_training_and_keeps_best_checkpoint(tmp_path):
    loader = dict(
        dataset=Points(),
        sampler=dict(type='InfiniteSampler', shuffle=False),
        batch_size=2,
        collate_fn=dict(type='default_collate'))
    runner = Runner(
        model=DivergesAtIteration(bad_iter=5),
        work_dir=str(tmp_path),
        train_dataloader=loader,
        val_dataloader=dict(loader, sampler=dict(type='DefaultSampler',
                                                 shuffle=False)),
        val_evaluator=dict(type=NegativeError),
        val_cfg=dict(),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=False, max_iters=8, val_interval=2),
        default_hooks=dict(
            checkpoint=dict(
                type='CheckpointHook',
                by_epoch=False,
                interval=1,
                save_best='mIoU',
                rule='greater')),
        custom_hooks=[dict(type='NonFiniteLossHook')],
        default_scope='mmseg')
    with pytest.raises(FloatingPointError, match='iteration 5'):
        runner.train()
    assert (tmp_path / 'iter_4.pth').exists()
    assert not (tmp_path / 'iter_5.pth').exists()
    best = list(tmp_path.glob('best_mIoU_iter_*.pth'))
    assert len(best) == 1
    assert best[0].name in ('best_mIoU_iter_2.pth', 'best_mIoU_iter_4.pth')
    weights = safe_torch_load(best[0])['state_dict']['linear.weight']
    assert torch.isfinite(weights).all()


@pytest.mark.skipif(os.name != 'posix', reason='POSIX signals')
def test_second_ctrl_c_interrupts_at_once():
    hook = GracefulInterruptHook()
    hook.before_train(runner=None)
    try:
        os.kill(os.getpid(), signal.SIGINT)  # first: only a flag
        assert hook.interrupted
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
    finally:
        hook.after_train(runner=None)
