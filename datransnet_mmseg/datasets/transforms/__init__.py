"""Data transforms for infrared small target detection."""
from .gaussian_blur import RandomGaussianBlur
from .loading import (IRImageToGrey, LoadBinaryAnnotations,
                      LoadIRImageFromFile, read_ir_image)
from .rotate90 import RandomRotate90
from .target_crop import RandomTargetCrop

__all__ = [
    'IRImageToGrey', 'LoadBinaryAnnotations', 'LoadIRImageFromFile',
    'read_ir_image', 'RandomTargetCrop', 'RandomRotate90',
    'RandomGaussianBlur'
]
