from .acm_head import ACMHead, AsymmetricContextualModulation
from .datrans_head import DATransHead
from .dnanet_head import DNANetHead
from .rdian_head import RDIANHead

__all__ = [
    'DATransHead', 'DNANetHead', 'ACMHead', 'AsymmetricContextualModulation',
    'RDIANHead'
]
