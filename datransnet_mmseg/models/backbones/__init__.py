from .acm_resnet import ACMResNet
from .datransnet_backbone import DATransNetBackbone
from .dnanet_backbone import DNANetBackbone
from .rdian_backbone import RDIANBackbone
from .sctransnet_backbone import SCTransNetBackbone

__all__ = [
    'SCTransNetBackbone',
    'DATransNetBackbone', 'DNANetBackbone', 'ACMResNet', 'RDIANBackbone'
]
