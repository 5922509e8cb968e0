"""Datasets and transforms for infrared small target detection."""
from .irstd1k import IRSTD1kDataset
from .nuaa_sirst import NUAASIRSTDataset
from .nudt_sirst import NUDTSIRSTDataset
from .sirst import SIRSTDataset
from .sirst_v2 import SIRSTv2Dataset
from .transforms import (IRImageToGrey, LoadBinaryAnnotations,
                         LoadIRImageFromFile, RandomRotate90,
                         RandomTargetCrop, read_ir_image)

__all__ = [
    'SIRSTDataset', 'NUAASIRSTDataset', 'NUDTSIRSTDataset', 'IRSTD1kDataset',
    'SIRSTv2Dataset', 'IRImageToGrey', 'LoadBinaryAnnotations',
    'LoadIRImageFromFile', 'read_ir_image', 'RandomTargetCrop',
    'RandomRotate90'
]
