"""Evaluation of infrared small target detection."""
from .functional import find_targets, image_stats, match_targets
from .metrics import IRSTDMetric

__all__ = ['IRSTDMetric', 'image_stats', 'find_targets', 'match_targets']
