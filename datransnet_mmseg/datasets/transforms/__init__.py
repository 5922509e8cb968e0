"""Data transforms for infrared small target detection."""
from .loading import LoadBinaryAnnotations, LoadIRImageFromFile

__all__ = ['LoadIRImageFromFile', 'LoadBinaryAnnotations']
