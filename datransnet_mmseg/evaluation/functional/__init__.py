"""Array-level building blocks of the IRSTD metrics."""
from .image_stats import CURVE_FIELDS, STAT_FIELDS, curve_stats, image_stats
from .target_matching import (Targets, connected_targets, find_targets,
                              match_targets, targets_from_indices)

__all__ = [
    'STAT_FIELDS', 'CURVE_FIELDS', 'image_stats', 'curve_stats', 'Targets',
    'connected_targets', 'find_targets', 'match_targets',
    'targets_from_indices'
]
