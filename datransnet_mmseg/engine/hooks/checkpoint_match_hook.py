"""Refuse a checkpoint that does not fit the model, as it is loaded."""
from mmengine.hooks import Hook
from mmseg.registry import HOOKS

from ...apis.checkpoint_check import check_checkpoint_matches


@HOOKS.register_module()
class CheckpointMatchHook(Hook):
    """Check a loaded checkpoint against the model before its weights are
    copied.

    mmengine loads ``load_from`` non-strictly: a checkpoint of another
    architecture only logs a warning, and a test would then score random
    weights. ``tools/test.py`` adds this hook, which raises a
    ``ValueError`` listing the missing, unexpected and mis-shaped keys. It
    checks the checkpoint mmengine has just read (local file, URL or any
    other backend), so the file is read once.

    Args:
        source (str): Where the checkpoint comes from, for the message.
    """

    priority = 'VERY_HIGH'

    def __init__(self, source: str) -> None:
        self.source = source

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Raise ``ValueError`` if ``checkpoint`` does not fit the model."""
        check_checkpoint_matches(runner.model, checkpoint, self.source)
