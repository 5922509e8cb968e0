"""Embedded-Gaussian non-local attention without a residual connection."""
import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig
from .max_pool import max_pool2x2


class NonLocalAttention(BaseModule):
    """Non-local attention (embedded Gaussian) that returns only ``W(y)``.

    ``y = softmax(theta(x)^T phi(x)) g(x)`` with ``phi`` and ``g``
    max-pooled 2x2 and no ``1 / sqrt(d)`` scaling, followed by a 1x1 conv
    and a norm layer whose affine parameters start at zero, as in
    `Non-local Neural Networks <https://arxiv.org/abs/1711.07971>`_. Unlike
    that paper (and :class:`mmcv.cnn.NonLocal2d`), the input is not added
    back: DATransNet's GFEM uses the attention branch alone.

    Args:
        in_channels (int): Number of input and output channels.
        reduction (int): Ratio of input to embedding channels.
            Defaults to 8.
        norm_cfg (dict): Config of the output norm layer.
            Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Notice:
        The input height and width must be even.
    """

    def __init__(self,
                 in_channels: int,
                 reduction: int = 8,
                 norm_cfg: ConfigType = dict(type='BN'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        embed_channels = in_channels // reduction
        self.theta = nn.Conv2d(in_channels, embed_channels, 1)
        self.phi = nn.Conv2d(in_channels, embed_channels, 1)
        self.g = nn.Conv2d(in_channels, embed_channels, 1)
        self.out_proj = nn.Conv2d(embed_channels, in_channels, 1)
        self.out_norm = build_norm_layer(norm_cfg, in_channels)[1]
        nn.init.zeros_(self.out_norm.weight)
        nn.init.zeros_(self.out_norm.bias)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        batch, _, height, width = x.shape
        theta = self.theta(x).flatten(2).transpose(1, 2)
        phi = max_pool2x2(self.phi(x)).flatten(2)
        g = max_pool2x2(self.g(x)).flatten(2).transpose(1, 2)
        attn = torch.matmul(theta, phi).softmax(dim=-1)
        y = torch.matmul(attn, g).transpose(1, 2)
        y = y.reshape(batch, -1, height, width)
        return self.out_norm(self.out_proj(y))
