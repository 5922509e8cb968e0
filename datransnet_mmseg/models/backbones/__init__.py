from .acm_resnet import ACMResNet
from .datransnet_backbone import DATransNetBackbone
from .dnanet_backbone import DNANetBackbone
from .mshnet_backbone import MSHNetBackbone
from .rdian_backbone import RDIANBackbone
from .sctransnet_backbone import SCTransNetBackbone

__all__ = [
    'MSHNetBackbone',
    'SCTransNetBackbone',
    'DATransNetBackbone', 'DNANetBackbone', 'ACMResNet', 'RDIANBackbone'
]
