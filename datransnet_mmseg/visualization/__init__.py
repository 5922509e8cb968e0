"""Drawing of detected, hit, missed and falsely detected targets."""
from .irstd_drawing import (display_factor, display_image, draw_comparison,
                            draw_detections)
from .irstd_local_visualizer import IRSTDLocalVisualizer
from .target_map import TargetMap, label_targets

__all__ = [
    'TargetMap', 'label_targets', 'display_image', 'display_factor',
    'draw_detections', 'draw_comparison', 'IRSTDLocalVisualizer'
]
