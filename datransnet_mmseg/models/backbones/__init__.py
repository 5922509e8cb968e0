from .datransnet_backbone import DATransNetBackbone

__all__ = ['DATransNetBackbone']
