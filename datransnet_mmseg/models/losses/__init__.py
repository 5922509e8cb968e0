from .sls_iou_loss import SLSIoULoss
from .soft_iou_loss import SoftIoULoss

__all__ = ['SLSIoULoss', 'SoftIoULoss']
