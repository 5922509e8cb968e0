from .gradformer_neck import GradFormerNeck
from .sctrans_neck import SCTransNeck

__all__ = ['SCTransNeck', 'GradFormerNeck']
