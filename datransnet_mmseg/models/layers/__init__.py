"""Building blocks of DATransNet (not registered)."""
from .datrans import DATrans, difference_kernel
from .gfem import GFEM
from .inception_dw import InceptionDWConv2d
from .max_pool import max_pool2x2
from .memory_format import cpu_memory_format
from .non_local import NonLocalAttention
from .res_block import ResBlock
from .up_stage import UpStage

__all__ = [
    'cpu_memory_format', 'DATrans', 'difference_kernel', 'GFEM',
    'InceptionDWConv2d', 'max_pool2x2', 'NonLocalAttention', 'ResBlock',
    'UpStage'
]
