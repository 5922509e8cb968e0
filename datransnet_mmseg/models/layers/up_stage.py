"""Decoder stage of DATransNet."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig
from .memory_format import cpu_memory_format


class UpStage(BaseModule):
    """Upsample, gate by the encoder skip, fuse with the DATrans output.

    ``u = sigmoid(conv1x1(skip)) * up2(low)`` (bilinear), then two
    3x3 conv-norm-act layers on ``concat([trans, u])``.

    Args:
        low_channels (int): Channels of the deeper decoder feature.
        skip_channels (int): Channels of the encoder skip that drives the
            gate.
        trans_channels (int): Channels of the DATrans output of this level.
        out_channels (int): Number of output channels.
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activations.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        align_corners (bool): ``align_corners`` of the upsampling.
            Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 low_channels: int,
                 skip_channels: int,
                 trans_channels: int,
                 out_channels: int,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 align_corners: bool = False,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.align_corners = align_corners
        self.width = max(trans_channels + low_channels, out_channels)
        self.gate = nn.Conv2d(skip_channels, low_channels, 1)
        self.conv1 = nn.Conv2d(
            trans_channels + low_channels, out_channels, 3, padding=1)
        self.norm1 = build_norm_layer(norm_cfg, out_channels)[1]
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.norm2 = build_norm_layer(norm_cfg, out_channels)[1]
        self.act = build_activation_layer(act_cfg)

    def forward(self, low: Tensor, skip: Tensor, trans: Tensor) -> Tensor:
        """Forward function.

        Args:
            low (Tensor): Deeper decoder feature at half resolution.
            skip (Tensor): Encoder feature of this level.
            trans (Tensor): DATrans output of this level.

        Returns:
            Tensor: The fused feature at the skip's resolution.
        """
        low, skip, trans = (
            cpu_memory_format(t, self.width) for t in (low, skip, trans))
        up = F.interpolate(
            low,
            scale_factor=2,
            mode='bilinear',
            align_corners=self.align_corners)
        up = self.gate(skip).sigmoid() * up
        out = self.act(self.norm1(self.conv1(torch.cat([trans, up], dim=1))))
        return self.act(self.norm2(self.conv2(out)))
