"""Residual U-blocks (RSU) of UIU-Net.

UIU-Net (Wu et al., IEEE TIP 2023) nests small U-Nets inside the stages of
a large one: each stage is a residual U-block of U^2-Net (Qin et al.,
Pattern Recognition 2020).
"""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_norm_layer
from torch import Tensor

from mmseg.utils import ConfigType
from .max_pool import max_pool2x2


def ceil_max_pool2x2(x: Tensor) -> Tensor:
    """2x2 max pooling, stride 2, rounding odd sides up (``ceil_mode``).

    Args:
        x (Tensor): Input of shape (N, C, H, W).

    Returns:
        Tensor: Output of shape (N, C, ceil(H / 2), ceil(W / 2)).
    """
    if x.shape[-2] % 2 == 0 and x.shape[-1] % 2 == 0:
        return max_pool2x2(x)
    return F.max_pool2d(x, 2, 2, ceil_mode=True)


def resize_like(x: Tensor, reference: Tensor) -> Tensor:
    """Bilinear resize (``align_corners=False``) of ``x`` to the height and
    width of ``reference``."""
    return F.interpolate(
        x, size=reference.shape[2:], mode='bilinear', align_corners=False)


class ConvNormAct(nn.Module):
    """Conv (with bias), norm and activation.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): Kernel size. Defaults to 3.
        dilation (int): Dilation; the padding keeps the size.
            Defaults to 1.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): Activation config.
            Defaults to ``dict(type='ReLU', inplace=True)``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int = 3,
                 dilation: int = 1,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU',
                                            inplace=True)) -> None:
        super().__init__()
        self.conv = nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            padding=dilation * (kernel_size - 1) // 2,
            dilation=dilation)
        self.bn = build_norm_layer(norm_cfg, out_channels)[1]
        self.act = build_activation_layer(act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        return self.act(self.bn(self.conv(x)))


class RSU(nn.Module):
    """Residual U-block of ``depth`` levels.

    An input conv to ``out_channels`` (``x_in``), then a small U-Net on
    ``x_in``: ``depth - 1`` encoder convs to ``mid_channels``, a bottom conv
    with dilation 2, and ``depth - 1`` decoder convs, each on the
    concatenation of the coarser result and the encoder output of its
    level, the last one back to ``out_channels``. The block returns the
    U-Net output plus ``x_in``. All convs are 3x3 conv-norm-activation.

    The plain block (RSU-``depth``) halves the resolution between encoder
    levels (2x2 max-pool, odd sides rounded up) and upsamples bilinearly
    to the size of each skip. The dilated block (RSU-``depth``F) keeps the
    resolution and instead doubles the dilation at each level (1, 2, 4,
    ..., and ``2 ** (depth - 1)`` at the bottom); its decoder convs use the
    dilation of their level.

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Channels inside the U-Net.
        out_channels (int): Output channels.
        depth (int): Levels of the U-Net, counting the bottom conv (at
            least 2).
        dilated (bool): Dilated block (no pooling). Defaults to False.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): Activation config.
            Defaults to ``dict(type='ReLU', inplace=True)``.

    Notice:
        Any input height and width work: pooling rounds odd sides up and
        upsampling goes back to the exact size of each skip.
    """

    def __init__(self,
                 in_channels: int,
                 mid_channels: int,
                 out_channels: int,
                 depth: int,
                 dilated: bool = False,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU',
                                            inplace=True)) -> None:
        super().__init__()
        if depth < 2:
            raise ValueError(f'RSU depth must be at least 2, got {depth}')
        self.dilated = dilated
        if dilated:
            dilations = [2**level for level in range(depth)]
        else:
            dilations = [1] * (depth - 1) + [2]
        self.conv_in = ConvNormAct(
            in_channels, out_channels, norm_cfg=norm_cfg, act_cfg=act_cfg)
        encoder_in = [out_channels] + [mid_channels] * (depth - 1)
        self.encoder = nn.ModuleList(
            ConvNormAct(
                c_in,
                mid_channels,
                dilation=d,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg) for c_in, d in zip(encoder_in, dilations))
        decoder_out = [out_channels] + [mid_channels] * (depth - 2)
        self.decoder = nn.ModuleList(
            ConvNormAct(
                2 * mid_channels,
                c_out,
                dilation=d,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg) for c_out, d in zip(decoder_out, dilations))

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        x_in = self.conv_in(x)
        skips: List[Tensor] = []
        out = x_in
        for level, conv in enumerate(self.encoder[:-1]):
            if level > 0 and not self.dilated:
                out = ceil_max_pool2x2(out)
            out = conv(out)
            skips.append(out)
        out = self.encoder[-1](out)
        for level in reversed(range(len(self.decoder))):
            out = self.decoder[level](torch.cat((out, skips[level]), dim=1))
            if level > 0 and not self.dilated:
                out = resize_like(out, skips[level - 1])
        return out + x_in
