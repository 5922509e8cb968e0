"""Residual block with CBAM attention, the building block of DNANet."""
import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig


class _ChannelAttention(nn.Module):
    """CBAM channel gate: a shared two-layer 1x1 MLP (no biases) applied to
    the global average and the global maximum of each channel, summed, then
    a sigmoid. Returns the (N, C, 1, 1) gate."""

    def __init__(self, channels: int, reduction: int) -> None:
        super().__init__()
        hidden = channels // reduction
        if hidden < 1:
            raise ValueError(
                f'the channel attention of a {channels}-channel block has '
                f'channels // {reduction} = {hidden} hidden units; use at '
                f'least {reduction} channels per block')
        self.reduce = nn.Conv2d(channels, hidden, 1, bias=False)
        self.act = nn.ReLU()
        self.expand = nn.Conv2d(hidden, channels, 1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        avg = self.expand(self.act(self.reduce(x.mean((2, 3), True))))
        peak = self.expand(self.act(self.reduce(x.amax((2, 3), True))))
        return torch.sigmoid(avg + peak)


class _SpatialAttention(nn.Module):
    """CBAM spatial gate: a 7x7 conv (no bias) over the channel mean and
    channel maximum, in that order, then a sigmoid. Returns the (N, 1, H, W)
    gate."""

    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        self.conv = nn.Conv2d(
            2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        pooled = torch.cat([x.mean(1, True), x.amax(1, True)], dim=1)
        return torch.sigmoid(self.conv(pooled))


class ResCBAMBlock(BaseModule):
    """Residual block gated by channel and spatial attention (CBAM).

    ``out = act(sa(z) * z + shortcut(x))`` with ``z = ca(y) * y`` and
    ``y = norm2(conv2(act(norm1(conv1(x)))))``: two 3x3 conv-norm layers,
    the channel gate ``ca`` then the spatial gate ``sa`` multiplied in, a
    shortcut added (a 1x1 conv-norm when the channel count changes, the
    identity otherwise) and a final activation. Every conv outside the
    attention has a bias, as in DNANet's ``Res_CBAM_block``.

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output channels (at least
            ``reduction``).
        reduction (int): Width ratio of the channel-attention MLP: its
            hidden layer has ``out_channels // reduction`` units.
            Defaults to 16.
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activations outside the attention.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 reduction: int = 16,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.norm1 = build_norm_layer(norm_cfg, out_channels)[1]
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.norm2 = build_norm_layer(norm_cfg, out_channels)[1]
        self.channel_attention = _ChannelAttention(out_channels, reduction)
        self.spatial_attention = _SpatialAttention()
        if in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1),
                build_norm_layer(norm_cfg, out_channels)[1])
        else:
            self.shortcut = None
        self.act = build_activation_layer(act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        identity = x if self.shortcut is None else self.shortcut(x)
        out = self.act(self.norm1(self.conv1(x)))
        out = self.norm2(self.conv2(out))
        out = self.channel_attention(out) * out
        out = self.spatial_attention(out) * out
        out += identity
        return self.act(out)
