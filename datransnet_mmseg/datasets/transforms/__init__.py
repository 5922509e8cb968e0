"""Data transforms for infrared small target detection."""
from .loading import LoadBinaryAnnotations, LoadIRImageFromFile
from .rotate90 import RandomRotate90
from .target_crop import RandomTargetCrop

__all__ = [
    'LoadIRImageFromFile', 'LoadBinaryAnnotations', 'RandomTargetCrop',
    'RandomRotate90'
]
