"""Switch a decode head's deep supervision on after a warm-up."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmseg.registry import HOOKS


@HOOKS.register_module()
class DeepSupervisionWarmupHook(Hook):
    """Set a boolean attribute of the decode head once training reaches an
    iteration.

    Before every training iteration the attribute becomes
    ``runner.iter >= warmup_iters``: False for the first ``warmup_iters``
    iterations (and the validations among them), True afterwards, also
    after ``--resume``. MSHNet trains only its finest output during its
    first epochs (``MSHNetHead.warm_flag``); with ``warmup_iters = (warm
    epochs + 1) x iterations per epoch`` this reproduces its schedule.
    Outside training the head keeps its own value.

    Args:
        warmup_iters (int): First iteration with the attribute True.
        attribute (str): Boolean attribute of ``model.decode_head``.
            Defaults to 'warm_flag'.
    """

    priority = 'NORMAL'

    def __init__(self, warmup_iters: int, attribute: str = 'warm_flag'):
        if not isinstance(warmup_iters, int) or warmup_iters < 0:
            raise ValueError('warmup_iters must be a non-negative int, got '
                             f'{warmup_iters!r}')
        self.warmup_iters = warmup_iters
        self.attribute = attribute

    def _head(self, runner):
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        head = getattr(model, 'decode_head', None)
        if not hasattr(head, self.attribute):
            raise AttributeError(
                f'DeepSupervisionWarmupHook: the decode head '
                f'{type(head).__name__} has no attribute '
                f'{self.attribute!r}; remove the hook or use a head with '
                'that switch (e.g. MSHNetHead).')
        return head

    def before_train(self, runner) -> None:
        """Check the head has the attribute before the first iteration."""
        self._head(runner)

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        """Set the attribute for this iteration."""
        head = self._head(runner)
        value = runner.iter >= self.warmup_iters
        if getattr(head, self.attribute) != value:
            setattr(head, self.attribute, value)
            runner.logger.info(
                f'iteration {runner.iter + 1}: decode_head.{self.attribute} '
                f'= {value}')
