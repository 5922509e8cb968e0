from .datrans_head import DATransHead

__all__ = ['DATransHead']
