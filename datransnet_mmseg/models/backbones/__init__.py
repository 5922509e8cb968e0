from .acm_resnet import ACMResNet
from .datransnet_backbone import DATransNetBackbone
from .rdian_backbone import RDIANBackbone

__all__ = ['DATransNetBackbone', 'ACMResNet', 'RDIANBackbone']
