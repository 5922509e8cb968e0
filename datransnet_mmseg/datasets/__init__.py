"""Datasets and transforms for infrared small target detection."""
from .irstd1k import IRSTD1kDataset
from .nuaa_sirst import NUAASIRSTDataset
from .nudt_sirst import NUDTSIRSTDataset
from .sirst import SIRSTDataset
from .sirst_v2 import SIRSTv2Dataset
from .transforms import (LoadBinaryAnnotations, LoadIRImageFromFile,
                         RandomRotate90, RandomTargetCrop)

__all__ = [
    'SIRSTDataset', 'NUAASIRSTDataset', 'NUDTSIRSTDataset', 'IRSTD1kDataset',
    'SIRSTv2Dataset', 'LoadIRImageFromFile', 'LoadBinaryAnnotations',
    'RandomTargetCrop', 'RandomRotate90'
]
