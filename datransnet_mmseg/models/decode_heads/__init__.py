from .acm_head import ACMHead, AsymmetricContextualModulation
from .datrans_head import DATransHead

__all__ = ['DATransHead', 'ACMHead', 'AsymmetricContextualModulation']
