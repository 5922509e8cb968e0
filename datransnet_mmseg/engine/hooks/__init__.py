from .graceful_interrupt_hook import GracefulInterruptHook
from .irstd_visualization_hook import IRSTDVisualizationHook
from .non_finite_loss_hook import NonFiniteLossHook

__all__ = [
    'GracefulInterruptHook', 'IRSTDVisualizationHook', 'NonFiniteLossHook'
]
