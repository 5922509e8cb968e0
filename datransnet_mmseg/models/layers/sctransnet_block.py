"""Spatial-channel cross transformer block of SCTransNet."""
from typing import List, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import OptMultiConfig
from .sctransnet_attention import SpatialChannelCrossAttention
from .sctransnet_ffn import ComplementaryFFN


class ChannelLayerNorm(nn.LayerNorm):
    """Layer norm over the channels of each position of an NCHW map."""

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__(channels, eps=eps)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        x = F.layer_norm(
            x.permute(0, 2, 3, 1), self.normalized_shape, self.weight,
            self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class SCTBlock(BaseModule):
    """Spatial-channel cross transformer block (SCTB).

    Pre-norm residual block over all levels at once:
    ``x_i = x_i + SSCA(LN(x_1), ..., LN(x_L); LN(concat(x_1..x_L)))_i``
    (:class:`SpatialChannelCrossAttention`), then
    ``x_i = x_i + CFN_i(LN(x_i))`` (:class:`ComplementaryFFN`). Every layer
    norm normalises the channels of each position and has its own affine
    parameters.

    Args:
        channels (Sequence[int]): Channels of each level.
        ffn_expansion (float): Hidden width factor of the feed-forward
            networks. Defaults to 2.66.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 channels: Sequence[int],
                 ffn_expansion: float = 2.66,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.query_norms = nn.ModuleList(
            ChannelLayerNorm(c) for c in channels)
        self.kv_norm = ChannelLayerNorm(sum(channels))
        self.attn = SpatialChannelCrossAttention(channels)
        self.ffn_norms = nn.ModuleList(ChannelLayerNorm(c) for c in channels)
        self.ffns = nn.ModuleList(
            ComplementaryFFN(c, ffn_expansion) for c in channels)

    def forward(self, levels: Sequence[Tensor]) -> List[Tensor]:
        """Forward function.

        Args:
            levels (Sequence[Tensor]): Tokens of each level, shape
                (N, C_i, h, w), the same h and w for all.

        Returns:
            list[Tensor]: The updated tokens of each level.
        """
        context = self.kv_norm(torch.cat(levels, dim=1))
        attended = self.attn(
            [norm(x) for norm, x in zip(self.query_norms, levels)], context)
        levels = [x + a for x, a in zip(levels, attended)]
        return [
            x + ffn(norm(x))
            for x, norm, ffn in zip(levels, self.ffn_norms, self.ffns)
        ]
