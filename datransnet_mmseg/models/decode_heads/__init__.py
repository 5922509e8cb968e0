from .acm_head import ACMHead
from .alcnet_head import ALCNetHead
from .datrans_head import DATransHead
from .dnanet_head import DNANetHead
from .mshnet_head import MSHNetHead
from .rdian_head import RDIANHead
from .sctrans_head import SCTransHead
from .uiunet_head import UIUNetHead

__all__ = [
    'MSHNetHead',
    'SCTransHead',
    'DATransHead', 'DNANetHead', 'ACMHead', 'ALCNetHead', 'RDIANHead',
    'UIUNetHead'
]
