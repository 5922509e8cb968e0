"""Convolutional block attention module (CBAM) as RDIAN builds it."""
import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from torch import Tensor

from mmseg.utils import ConfigType


class RDIANChannelGate(nn.Module):
    """Channel attention: ``x * sigmoid(mlp(avg(x)) + mlp(max(x)))`` with
    global average and max pooling and one MLP (two linear layers with a
    ReLU between them) shared by both.

    Args:
        channels (int): Input channels.
        reduction (int): Hidden width of the MLP is
            ``channels // reduction``.
    """

    def __init__(self, channels: int, reduction: int) -> None:
        super().__init__()
        hidden = channels // reduction
        if hidden < 1:
            raise ValueError(f'reduction {reduction} leaves no hidden unit '
                             f'for {channels} channels; use a reduction of '
                             f'at most {channels}')
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def _mlp(self, x: Tensor) -> Tensor:
        return self.fc2(self.fc1(x).relu())

    def forward(self, x: Tensor) -> Tensor:
        """Re-weight the channels of ``x`` (N, C, H, W)."""
        logits = self._mlp(x.mean((2, 3))) + self._mlp(x.amax((2, 3)))
        return x * logits.sigmoid()[:, :, None, None]


class RDIANSpatialGate(nn.Module):
    """Spatial attention: ``x * sigmoid(bn(conv7x7([max_c(x), mean_c(x)])))``
    where the channel-wise maximum comes first, then the mean.

    Args:
        norm_cfg (dict): Norm layer config; its momentum is set to 0.01
            (as in the official code).
        kernel_size (int): Size of the convolution. Defaults to 7.
    """

    def __init__(self, norm_cfg: ConfigType, kernel_size: int = 7) -> None:
        super().__init__()
        self.conv = ConvModule(
            2,
            1,
            kernel_size,
            padding=kernel_size // 2,
            norm_cfg=dict(norm_cfg, momentum=0.01),
            act_cfg=None)

    def forward(self, x: Tensor) -> Tensor:
        """Re-weight the pixels of ``x`` (N, C, H, W)."""
        pooled = torch.cat(
            (x.amax(1, keepdim=True), x.mean(1, keepdim=True)), dim=1)
        return x * self.conv(pooled).sigmoid()


class RDIANCBAM(nn.Module):
    """CBAM: :class:`RDIANChannelGate`, then :class:`RDIANSpatialGate`.

    Args:
        channels (int): Input channels.
        reduction (int): Reduction ratio of the channel gate's MLP.
        norm_cfg (dict): Norm layer config of the spatial gate.
    """

    def __init__(self, channels: int, reduction: int,
                 norm_cfg: ConfigType) -> None:
        super().__init__()
        self.channel_gate = RDIANChannelGate(channels, reduction)
        self.spatial_gate = RDIANSpatialGate(norm_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """Apply the channel gate, then the spatial gate."""
        return self.spatial_gate(self.channel_gate(x))
