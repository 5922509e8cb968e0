"""Evaluation metrics."""
from .irstd_metric import IRSTDMetric

__all__ = ['IRSTDMetric']
