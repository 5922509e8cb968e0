"""Save a checkpoint when training is interrupted with Ctrl-C."""
import os.path as osp
import signal

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmseg.registry import HOOKS


@HOOKS.register_module()
class GracefulInterruptHook(Hook):
    """Turn the first Ctrl-C (SIGINT) into "save a checkpoint and stop".

    The signal only sets a flag; the running iteration completes, then a
    checkpoint is written (and registered for ``--resume``) and training
    stops with ``KeyboardInterrupt``. A second Ctrl-C interrupts at once.
    Made for iteration-based training loops, which all configs here use.
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

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if not self.interrupted:
            return
        filename = f'iter_{runner.iter + 1}.pth'
        runner.save_checkpoint(runner.work_dir, filename, by_epoch=False)
        if is_main_process():
            with open(osp.join(runner.work_dir, 'last_checkpoint'), 'w') as f:
                f.write(osp.join(runner.work_dir, filename))
        runner.logger.warning(
            f'Interrupted: saved {filename} in {runner.work_dir}; continue '
            'with the same command and --resume.')
        raise KeyboardInterrupt
