"""GFEM: the Global Feature Extraction Module of DATransNet."""
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig
from .max_pool import max_pool2x2
from .non_local import NonLocalAttention


class GFEM(BaseModule):
    """Global Feature Extraction Module on the bottleneck feature.

    ``s = NonLocal(x)``; a channel gate ``sigmoid(conv1x1(GAP(s)))``
    re-weights the 2x2 max-pooled input, which is upsampled back (bilinear);
    ``out = conv3x3(conv1x1(s) + conv3x3(upsampled))``. No norm, activation
    or residual at the output.

    Args:
        channels (int): Number of input and output channels.
        reduction (int): Channel reduction of the non-local embedding.
            Defaults to 8.
        norm_cfg (dict): Config of the non-local output norm layer.
            Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Notice:
        The input height and width must be even.
    """

    def __init__(self,
                 channels: int,
                 reduction: int = 8,
                 norm_cfg: ConfigType = dict(type='BN'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.non_local = NonLocalAttention(channels, reduction, norm_cfg)
        self.channel_gate = nn.Conv2d(channels, channels, 1, bias=False)
        self.nonlocal_proj = nn.Conv2d(channels, channels, 1)
        self.pooled_proj = nn.Conv2d(channels, channels, 3, padding=1)
        self.out_conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        context = self.non_local(x)
        gate = self.channel_gate(F.adaptive_avg_pool2d(context, 1)).sigmoid()
        pooled = F.interpolate(
            gate * max_pool2x2(x),
            scale_factor=2,
            mode='bilinear',
            align_corners=False)
        return self.out_conv(
            self.nonlocal_proj(context) + self.pooled_proj(pooled))
