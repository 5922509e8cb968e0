"""Save a checkpoint when training is interrupted with Ctrl-C."""
import os.path as osp
import signal

import torch
from mmengine.dist import all_reduce, barrier, is_distributed, is_main_process
from mmengine.hooks import Hook
from mmseg.registry import HOOKS


@HOOKS.register_module()
class GracefulInterruptHook(Hook):
    """Turn the first Ctrl-C (SIGINT) into "save a checkpoint and stop".

    The signal only sets a flag; the running iteration completes, then a
    checkpoint is written (and registered for ``--resume``) and training
    stops with ``KeyboardInterrupt``. A second Ctrl-C interrupts at once.
    Made for iteration-based training loops, which all configs here use.

    In distributed training the processes agree after every iteration
    (one all-reduce of a flag): a signal to any of them stops all of them
    after the same iteration, once the main process has saved the
    checkpoint. A process stopping alone would leave the others waiting
    for it in their next gradient all-reduce, and only the main process
    writes checkpoints.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        self.interrupted = False
        self._previous_handler = None

    def before_train(self, runner):
        self._previous_handler = signal.signal(signal.SIGINT,
                                               self._on_interrupt)

    def _on_interrupt(self, signum, frame):
        self.interrupted = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def after_train(self, runner):
        signal.signal(signal.SIGINT, self._previous_handler
                      or signal.default_int_handler)

    def _any_interrupted(self) -> bool:
        """Whether this or, in distributed training, any process was
        interrupted. Every process must call it after every iteration."""
        if not is_distributed():
            return self.interrupted
        flag = torch.tensor([int(self.interrupted)])
        all_reduce(flag, op='max')
        return bool(flag.item())

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if not self._any_interrupted():
            return
        filename = f'iter_{runner.iter + 1}.pth'
        runner.save_checkpoint(runner.work_dir, filename, by_epoch=False)
        if is_main_process():
            with open(osp.join(runner.work_dir, 'last_checkpoint'), 'w') as f:
                f.write(osp.join(runner.work_dir, filename))
        # the other processes wait until the checkpoint is written: the
        # launcher ends the whole job as soon as one process exits
        barrier()
        runner.logger.warning(
            f'Interrupted: saved {filename} in {runner.work_dir}; continue '
            'with the same command and --resume.')
        raise KeyboardInterrupt
