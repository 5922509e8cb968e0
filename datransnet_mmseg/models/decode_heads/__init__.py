from .acm_head import ACMHead, AsymmetricContextualModulation
from .datrans_head import DATransHead
from .dnanet_head import DNANetHead
from .rdian_head import RDIANHead
from .sctrans_head import SCTransHead

__all__ = [
    'SCTransHead',
    'DATransHead', 'DNANetHead', 'ACMHead', 'AsymmetricContextualModulation',
    'RDIANHead'
]
