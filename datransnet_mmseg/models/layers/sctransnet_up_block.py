"""Decoder stage of SCTransNet."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig
from .memory_format import cpu_memory_format


class CCAUpBlock(BaseModule):
    """Upsample, gate the skip by channel cross attention (CCA), fuse.

    ``up = nearest2x(low)``; the skip channels are rescaled by
    ``sigmoid((fc_skip(avg(skip)) + fc_up(avg(up))) / 2)`` and passed
    through ReLU; then two 3x3 conv-norm-act layers on
    ``concat([gated skip, up])``. The convs have a bias.

    Args:
        low_channels (int): Channels of the deeper decoder feature.
        skip_channels (int): Channels of the skip feature.
        out_channels (int): Number of output channels.
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activations.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 low_channels: int,
                 skip_channels: int,
                 out_channels: int,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.width = max(low_channels + skip_channels, out_channels)
        self.skip_fc = nn.Linear(skip_channels, skip_channels)
        self.up_fc = nn.Linear(low_channels, skip_channels)
        self.conv1 = nn.Conv2d(
            skip_channels + low_channels, out_channels, 3, padding=1)
        self.norm1 = build_norm_layer(norm_cfg, out_channels)[1]
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.norm2 = build_norm_layer(norm_cfg, out_channels)[1]
        self.act = build_activation_layer(act_cfg)

    def forward(self, low: Tensor, skip: Tensor) -> Tensor:
        """Forward function.

        Args:
            low (Tensor): Deeper decoder feature at half resolution.
            skip (Tensor): Skip feature of this level.

        Returns:
            Tensor: The fused feature at the skip's resolution.
        """
        low, skip = (cpu_memory_format(t, self.width) for t in (low, skip))
        up = F.interpolate(low, scale_factor=2, mode='nearest')
        # The nearest upsampling keeps the average: pool ``low`` directly.
        logits = self.skip_fc(skip.mean(dim=(2, 3))) + self.up_fc(
            low.mean(dim=(2, 3)))
        gate = torch.sigmoid(logits / 2)
        skip = F.relu(skip * gate[:, :, None, None])
        out = self.act(self.norm1(self.conv1(torch.cat([skip, up], dim=1))))
        return self.act(self.norm2(self.conv2(out)))
