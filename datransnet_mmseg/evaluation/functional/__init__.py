"""Array-level building blocks of the IRSTD metrics."""
from .image_stats import CURVE_FIELDS, STAT_FIELDS, curve_stats, image_stats
from .target_matching import (PixelLabels, Targets, find_targets,
                              label_pixels, match_targets)

__all__ = [
    'STAT_FIELDS', 'CURVE_FIELDS', 'image_stats', 'curve_stats', 'Targets',
    'PixelLabels', 'find_targets', 'label_pixels', 'match_targets'
]
