from .acm_resnet import ACMResNet
from .datransnet_backbone import DATransNetBackbone
from .dnanet_backbone import DNANetBackbone
from .rdian_backbone import RDIANBackbone

__all__ = [
    'DATransNetBackbone', 'DNANetBackbone', 'ACMResNet', 'RDIANBackbone'
]
