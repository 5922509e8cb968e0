from .acm_head import ACMHead, AsymmetricContextualModulation
from .datrans_head import DATransHead
from .dnanet_head import DNANetHead
from .mshnet_head import MSHNetHead
from .rdian_head import RDIANHead
from .sctrans_head import SCTransHead

__all__ = [
    'MSHNetHead',
    'SCTransHead',
    'DATransHead', 'DNANetHead', 'ACMHead', 'AsymmetricContextualModulation',
    'RDIANHead'
]
