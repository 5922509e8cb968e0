"""Residual block of MSHNet with channel and spatial attention."""
import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from torch import Tensor

from mmseg.utils import ConfigType


class MSHNetChannelAttention(nn.Module):
    """Channel weights from the average- and max-pooled descriptors.

    Both descriptors go through the same two-layer 1x1 MLP (no bias, ReLU
    between), the two results are added and squashed by a sigmoid. The two
    descriptors are stacked along the batch so that the MLP runs once.

    Args:
        channels (int): Channels of the input.
        reduction (int): Ratio of ``channels`` to the MLP's hidden width.
            MSHNet uses 16 for every block, so its 16-channel blocks have a
            one-channel bottleneck. Defaults to 16.
    """

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__()
        hidden = channels // reduction
        if hidden < 1:
            raise ValueError(f'channels // reduction must be at least 1, got '
                             f'{channels} // {reduction}; lower reduction.')
        self.fc1 = nn.Conv2d(channels, hidden, 1, bias=False)
        self.fc2 = nn.Conv2d(hidden, channels, 1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        """Return the channel weights, shape (N, C, 1, 1), in (0, 1)."""
        pooled = torch.cat(
            [x.mean((2, 3), keepdim=True),
             x.amax((2, 3), keepdim=True)])
        avg, peak = self.fc2(self.fc1(pooled).relu_()).chunk(2)
        return (avg + peak).sigmoid_()


class MSHNetSpatialAttention(nn.Module):
    """Pixel weights from the channel mean and channel maximum.

    Args:
        kernel_size (int): Size of the convolution over the two maps.
            Defaults to 7.
    """

    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        self.conv = nn.Conv2d(
            2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        """Return the pixel weights, shape (N, 1, H, W), in (0, 1)."""
        maps = torch.cat(
            [x.mean(1, keepdim=True),
             x.amax(1, keepdim=True)], dim=1)
        return self.conv(maps).sigmoid_()


class MSHNetResBlock(nn.Module):
    """Basic residual block re-weighted by channel, then spatial attention.

    ``conv3x3 - norm - ReLU - conv3x3 - norm``, multiplied by
    :class:`MSHNetChannelAttention` and then by
    :class:`MSHNetSpatialAttention` of the result, plus the identity (a
    1x1 convolution and norm when the width changes), then ReLU. The
    convolutions keep their bias although a norm follows, as in MSHNet.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm_cfg: ConfigType = dict(type='BN')) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.norm1 = build_norm_layer(norm_cfg, out_channels)[1]
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.norm2 = build_norm_layer(norm_cfg, out_channels)[1]
        self.downsample = None
        if in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1),
                build_norm_layer(norm_cfg, out_channels)[1])
        self.channel_attention = MSHNetChannelAttention(out_channels)
        self.spatial_attention = MSHNetSpatialAttention()

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        out = self.norm1(self.conv1(x)).relu_()
        out = self.norm2(self.conv2(out))
        out = out * self.channel_attention(out)
        out = out * self.spatial_attention(out)
        out += x if self.downsample is None else self.downsample(x)
        return out.relu_()
