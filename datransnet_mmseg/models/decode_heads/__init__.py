from .acm_head import ACMHead, AsymmetricContextualModulation
from .datrans_head import DATransHead
from .rdian_head import RDIANHead

__all__ = [
    'DATransHead', 'ACMHead', 'AsymmetricContextualModulation', 'RDIANHead'
]
