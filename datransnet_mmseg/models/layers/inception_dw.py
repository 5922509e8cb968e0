"""Inception depth-wise convolution (from InceptionNeXt)."""
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import OptMultiConfig


class InceptionDWConv2d(BaseModule):
    """Split channels into identity, square and two band depth-wise convs.

    From `InceptionNeXt <https://arxiv.org/abs/2303.16900>`_: the channels
    are split into ``[identity, square kxk, 1xK band, Kx1 band]`` groups (the
    last three of ``int(channels * branch_ratio)`` channels each), each conv
    group is depth-wise with bias, and the results are concatenated in the
    same order.

    Args:
        channels (int): Number of input and output channels.
        square_kernel_size (int): Kernel size of the square branch.
            Defaults to 3.
        band_kernel_size (int): Length of the band kernels. Defaults to 11.
        branch_ratio (float): Fraction of channels per conv branch.
            Defaults to 0.25.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 channels: int,
                 square_kernel_size: int = 3,
                 band_kernel_size: int = 11,
                 branch_ratio: float = 0.25,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        branch = int(channels * branch_ratio)
        self.split_sizes = (channels - 3 * branch, branch, branch, branch)
        self.square_conv = nn.Conv2d(
            branch,
            branch,
            square_kernel_size,
            padding=square_kernel_size // 2,
            groups=branch)
        self.band_w_conv = nn.Conv2d(
            branch,
            branch, (1, band_kernel_size),
            padding=(0, band_kernel_size // 2),
            groups=branch)
        self.band_h_conv = nn.Conv2d(
            branch,
            branch, (band_kernel_size, 1),
            padding=(band_kernel_size // 2, 0),
            groups=branch)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        identity, square, band_w, band_h = x.split(self.split_sizes, dim=1)
        return torch.cat(
            (identity, self.square_conv(square), self.band_w_conv(band_w),
             self.band_h_conv(band_h)),
            dim=1)
