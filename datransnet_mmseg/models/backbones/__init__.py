from .askc_resnet import ASKCResNet
from .datransnet_backbone import DATransNetBackbone
from .dnanet_backbone import DNANetBackbone
from .mshnet_backbone import MSHNetBackbone
from .rdian_backbone import RDIANBackbone
from .sctransnet_backbone import SCTransNetBackbone
from .uiunet_backbone import UIUNetBackbone

__all__ = [
    'MSHNetBackbone',
    'SCTransNetBackbone',
    'DATransNetBackbone', 'DNANetBackbone', 'ASKCResNet', 'RDIANBackbone',
    'UIUNetBackbone'
]
