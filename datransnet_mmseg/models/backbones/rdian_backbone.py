"""Encoder of RDIAN (receptive-field and direction induced attention).

RDIAN (Sun et al., IEEE TGRS 2023) segments infrared small targets at full
resolution with a shallow network: a direction-induced attention built
from fixed 5x5 difference kernels highlights pixels that stand out from
their neighbours in opposite directions (a small target is brighter than
its surroundings on every side), then four parallel branches with
different receptive fields (kernel sizes 1, 3, 5 and 7) look at the
half-resolution features, and a CBAM re-weights their fusion.
"""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.rdian_cbam import RDIANCBAM
from ..layers.rdian_direction import DirectionKernels
from ..layers.rdian_init import rdian_init_weights


class _BottleneckResBlock(nn.Module):
    """``x + conv2(conv1(x))``: two conv-norm-activation layers (halving,
    then restoring the width) and an identity shortcut, with no
    activation after the sum."""

    def __init__(self, channels: int, kernel_size: int, norm_cfg: ConfigType,
                 act_cfg: ConfigType) -> None:
        super().__init__()
        kwargs = dict(
            kernel_size=kernel_size,
            padding=kernel_size // 2,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.conv1 = ConvModule(channels, channels // 2, **kwargs)
        self.conv2 = ConvModule(channels // 2, channels, **kwargs)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv2(self.conv1(x))


@MODELS.register_module()
class RDIANBackbone(BaseModule):
    """Encoder of RDIAN.

    ``gate = sigmoid(sum_k d_k * d_{k+4})`` for the responses ``d_k`` of
    the eight fixed direction kernels (:class:`DirectionKernels`, ``k`` and
    ``k + 4`` opposite directions) to the input. The full-resolution
    feature ``f = conv1(x)`` is amplified to ``f * (1 + gate)`` and
    downsampled by ``conv2`` (stride 2). Parallel branches of bottleneck
    residual blocks with different kernel sizes process the result; their
    concatenation is fused by a 3x3 convolution and re-weighted by a CBAM.

    Args:
        stem_channels (int): Width of the full-resolution feature.
            Defaults to 16.
        channels (int): Width of the half-resolution features.
            Defaults to 32.
        branch_kernel_sizes (Sequence[int]): Kernel size of each branch.
            Defaults to (1, 3, 5, 7).
        branch_num_blocks (Sequence[int]): Residual blocks of each branch.
            Defaults to (1, 2, 2, 2).
        cbam_reduction (int): Reduction ratio of the CBAM's channel gate.
            Defaults to 32.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): Activation of the convolutions. Defaults to
            LeakyReLU with slope 0.01.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None: the official training initialisation
            (:func:`rdian_init_weights`).

    Notice:
        The input must have one channel; any height and width (odd sizes
        included) are accepted: the half-resolution features are
        ``ceil(H / 2) x ceil(W / 2)``.
    """

    def __init__(self,
                 stem_channels: int = 16,
                 channels: int = 32,
                 branch_kernel_sizes: Sequence[int] = (1, 3, 5, 7),
                 branch_num_blocks: Sequence[int] = (1, 2, 2, 2),
                 cbam_reduction: int = 32,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(
                     type='LeakyReLU', negative_slope=0.01),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(branch_kernel_sizes) != len(branch_num_blocks):
            raise ValueError(
                'branch_kernel_sizes and branch_num_blocks must have one '
                f'entry per branch, got {tuple(branch_kernel_sizes)} and '
                f'{tuple(branch_num_blocks)}')
        self.direction = DirectionKernels()
        self.conv1 = ConvModule(
            1, stem_channels, 3, padding=1, norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.conv2 = ConvModule(
            stem_channels,
            channels,
            3,
            stride=2,
            padding=1,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.branches = nn.ModuleList(
            nn.Sequential(*(_BottleneckResBlock(channels, kernel_size,
                                                norm_cfg, act_cfg)
                            for _ in range(num_blocks)))
            for kernel_size, num_blocks in zip(branch_kernel_sizes,
                                               branch_num_blocks))
        self.fusion_conv = ConvModule(
            len(self.branches) * channels,
            channels,
            3,
            padding=1,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.cbam = RDIANCBAM(channels, cbam_reduction, norm_cfg)

    def init_weights(self) -> None:
        """The official initialisation, or ``init_cfg`` when given."""
        if self.init_cfg is None:
            rdian_init_weights(self)
        else:
            super().init_weights()

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Forward function.

        Args:
            x (Tensor): One-channel input of shape (N, 1, H, W).

        Returns:
            tuple[Tensor]: The full-resolution feature ``conv1(x)``
            (N, stem_channels, H, W) and the attended half-resolution
            feature (N, channels, ceil(H / 2), ceil(W / 2)).
        """
        responses = self.direction(x)
        gate = (responses[:, :4] * responses[:, 4:]).sum(
            1, keepdim=True).sigmoid()
        stem = self.conv1(x)
        x = self.conv2(stem * (1 + gate))
        x = self.fusion_conv(torch.cat([branch(x) for branch in self.branches],
                                       dim=1))
        return stem, self.cbam(x)
