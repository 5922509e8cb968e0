"""Interactive-cross attention fusion of UIU-Net."""
from typing import Tuple

import torch
import torch.nn as nn
from torch import Tensor

from mmseg.utils import ConfigType
from .uiunet_rsu import ConvNormAct


class InteractiveCrossFusion(nn.Module):
    """Interactive-cross attention (IC-A) fusion of a deep and a shallow
    feature of the same size.

    From `UIU-Net: U-Net in U-Net for Infrared Small Object Detection
    <https://doi.org/10.1109/TIP.2022.3228497>`_. The deep feature
    ``high`` is first projected to the shallow width (1x1 conv-norm-ReLU).
    Top-down, a channel attention ``a_c`` (global average, 1x1 bottleneck
    to ``low_channels // reduction``, 1x1 back, sigmoid) computed from the
    deep feature re-weights the channels of the shallow feature ``low``.
    Bottom-up, a spatial attention ``a_s`` (1x1 reduction to the
    bottleneck, then a 3x3 conv without bias and a sigmoid on the channel
    mean and maximum) computed from that re-weighted shallow feature
    highlights positions of the deep feature. The two branches
    ``2 * low * a_c`` and ``2 * high * a_s`` go through the same 3x3
    conv-norm-ReLU (``post``, shared weights) and are returned separately.

    Args:
        high_channels (int): Channels of the deep feature.
        low_channels (int): Channels of the shallow feature, and of both
            outputs.
        reduction (int): Bottleneck ratio of the attentions. Defaults to 4.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
    """

    def __init__(self,
                 high_channels: int,
                 low_channels: int,
                 reduction: int = 4,
                 norm_cfg: ConfigType = dict(type='BN')) -> None:
        super().__init__()
        hidden = low_channels // reduction
        if hidden < 1:
            raise ValueError(
                f'low_channels ({low_channels}) must be at least the '
                f'reduction ({reduction})')
        self.high_proj = ConvNormAct(
            high_channels, low_channels, 1, norm_cfg=norm_cfg)
        self.channel_attention = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvNormAct(low_channels, hidden, 1, norm_cfg=norm_cfg),
            ConvNormAct(
                hidden,
                low_channels,
                1,
                norm_cfg=norm_cfg,
                act_cfg=dict(type='Sigmoid')))
        self.spatial_reduce = ConvNormAct(
            low_channels, hidden, 1, norm_cfg=norm_cfg)
        self.spatial_conv = nn.Conv2d(2, 1, 3, padding=1, bias=False)
        self.post = ConvNormAct(low_channels, low_channels, 3,
                                norm_cfg=norm_cfg)

    def forward(self, high: Tensor, low: Tensor) -> Tuple[Tensor, Tensor]:
        """Fuse ``high`` (deep, already at the size of ``low``) and ``low``.

        Returns:
            tuple[Tensor, Tensor]: The re-weighted shallow branch and the
            re-weighted deep branch, each with ``low_channels`` channels.
        """
        high = self.high_proj(high)
        low = low * self.channel_attention(high)
        reduced = self.spatial_reduce(low)
        stats = torch.cat((reduced.mean(dim=1, keepdim=True),
                           reduced.amax(dim=1, keepdim=True)),
                          dim=1)
        spatial = torch.sigmoid(self.spatial_conv(stats))
        return self.post(2 * low), self.post(2 * high * spatial)
