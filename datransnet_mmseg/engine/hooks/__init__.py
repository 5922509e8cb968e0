from .checkpoint_match_hook import CheckpointMatchHook
from .deep_supervision_warmup_hook import DeepSupervisionWarmupHook
from .graceful_interrupt_hook import GracefulInterruptHook
from .non_finite_loss_hook import NonFiniteLossHook

__all__ = [
    'CheckpointMatchHook', 'DeepSupervisionWarmupHook',
    'GracefulInterruptHook', 'NonFiniteLossHook'
]
