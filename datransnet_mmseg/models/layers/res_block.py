"""Residual block of the DATransNet encoder."""
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig
from .memory_format import cpu_memory_format


class ResBlock(BaseModule):
    """Two 3x3 conv-norm layers with a (projected) identity shortcut.

    ``out = act(norm2(conv2(act(norm1(conv1(x))))) + shortcut(x))``, where
    the shortcut is a 1x1 conv-norm when the channel count changes and the
    identity otherwise. All convs have a bias, as in the original network.

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activation.
            Defaults to
            ``dict(type='LeakyReLU', negative_slope=0.01, inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(
                     type='LeakyReLU', negative_slope=0.01, inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.width = max(in_channels, out_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.norm1 = build_norm_layer(norm_cfg, out_channels)[1]
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.norm2 = build_norm_layer(norm_cfg, out_channels)[1]
        self.act = build_activation_layer(act_cfg)
        if in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1),
                build_norm_layer(norm_cfg, out_channels)[1])
        else:
            self.shortcut = None

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        x = cpu_memory_format(x, self.width)
        identity = x if self.shortcut is None else self.shortcut(x)
        out = self.act(self.norm1(self.conv1(x)))
        out = self.norm2(self.conv2(out))
        out += identity
        return self.act(out)
