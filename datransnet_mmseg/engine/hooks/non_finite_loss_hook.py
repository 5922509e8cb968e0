"""Stop training at the first non-finite loss."""
import math

import torch
from mmengine.hooks import Hook
from mmseg.registry import HOOKS


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Stop training with a clear message when the loss is NaN or infinite.

    It runs before :class:`CheckpointHook` in the same iteration, so a
    diverged model is never written over the last or the best checkpoint.

    Args:
        interval (int): Check every ``interval`` iterations. Defaults to 1.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, interval: int = 1):
        self.interval = interval

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if outputs is None or not self.every_n_train_iters(
                runner, self.interval):
            return
        losses = {
            name: float(torch.as_tensor(value).detach())
            for name, value in outputs.items() if name.startswith('loss')
        }
        bad = {name: value for name, value in losses.items()
               if not math.isfinite(value)}
        if bad:
            raise FloatingPointError(
                f'Non-finite loss at iteration {runner.iter + 1}: {bad}. '
                'Training stopped; no checkpoint was written for this '
                'iteration. Lower the learning rate, check the inputs for '
                'NaN/inf values, or resume from the last checkpoint with '
                '--resume.')
