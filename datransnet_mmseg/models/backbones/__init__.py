from .acm_resnet import ACMResNet
from .datransnet_backbone import DATransNetBackbone

__all__ = ['DATransNetBackbone', 'ACMResNet']
