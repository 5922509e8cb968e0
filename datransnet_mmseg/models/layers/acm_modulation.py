"""Asymmetric bi-directional channel modulation of ACM and ALCNet."""
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from torch import Tensor

from mmseg.utils import ConfigType


class _ChannelGate(nn.Module):
    """Channel weights in (0, 1): 1x1 conv (with bias) to ``channels //
    reduction``, norm, ReLU, 1x1 conv back to ``channels``, norm, sigmoid.

    With ``pooled=True`` the input is first averaged over the whole image
    (one weight per channel); otherwise each pixel gets its own weights.
    """

    def __init__(self, channels: int, reduction: int, pooled: bool,
                 norm_cfg: ConfigType) -> None:
        super().__init__()
        hidden = channels // reduction
        self.pooled = pooled
        self.conv1 = nn.Conv2d(channels, hidden, 1)
        self.norm1 = build_norm_layer(norm_cfg, hidden)[1]
        self.conv2 = nn.Conv2d(hidden, channels, 1)
        self.norm2 = build_norm_layer(norm_cfg, channels)[1]

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        if self.pooled:
            x = F.adaptive_avg_pool2d(x, 1)
        x = F.relu(self.norm1(self.conv1(x)), inplace=True)
        return self.norm2(self.conv2(x)).sigmoid_()


class AsymmetricContextualModulation(nn.Module):
    """Fuse a deep (upsampled) feature map into a shallow one of the same
    shape, each modulating the other's channels.

    From `Asymmetric Contextual Modulation for Infrared Small Target
    Detection <https://arxiv.org/abs/2009.14530>`_, as BasicIRSTD's
    PyTorch port of ACM and ALCNet computes it. With ``high`` the deep
    map, ``low`` the shallow one, ``G`` a global channel gate (image-wide
    average, then a bottleneck MLP) and ``L`` a point-wise channel gate::

        fused = 2 * low * G(high) + 2 * high * L(low)
        out = ReLU(norm(conv3x3(fused)))

    The semantics of the deep map re-weight the channels of the shallow
    map (top-down), while the fine details of the shallow map highlight
    small targets, pixel by pixel, in the deep one (bottom-up).

    Args:
        channels (int): Channels of both inputs and of the output.
        reduction (int): Bottleneck ratio of both gates. Defaults to 4.
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN', momentum=0.9)`` (the port keeps MXNet's
            momentum value, which PyTorch reads as the weight of the new
            batch statistics).
    """

    def __init__(self,
                 channels: int,
                 reduction: int = 4,
                 norm_cfg: ConfigType = dict(type='BN',
                                             momentum=0.9)) -> None:
        super().__init__()
        if channels // reduction < 1:
            raise ValueError(f'channels ({channels}) // reduction '
                             f'({reduction}) must be at least 1; use a '
                             'smaller reduction.')
        self.global_gate = _ChannelGate(channels, reduction, True, norm_cfg)
        self.local_gate = _ChannelGate(channels, reduction, False, norm_cfg)
        self.out_conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.out_norm = build_norm_layer(norm_cfg, channels)[1]

    def forward(self, high: Tensor, low: Tensor) -> Tensor:
        """Forward function.

        Args:
            high (Tensor): Deep feature map of shape (B, C, H, W).
            low (Tensor): Shallow feature map of the same shape.

        Returns:
            Tensor: The fused map, of the same shape.
        """
        # 2 * a + 2 * b == 2 * (a + b) exactly (doubling is exact), in two
        # buffers instead of five.
        fused = low * self.global_gate(high)
        fused += high * self.local_gate(low)
        fused *= 2
        return F.relu(self.out_norm(self.out_conv(fused)), inplace=True)
