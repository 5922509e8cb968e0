from .gradformer_neck import GradFormerNeck

__all__ = ['GradFormerNeck']
