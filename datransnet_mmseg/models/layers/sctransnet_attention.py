"""Spatial-embedded single-head channel-cross attention of SCTransNet."""
import math
from typing import List, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import OptMultiConfig


class SpatialChannelCrossAttention(BaseModule):
    """Channel-cross attention between every level and all levels (SSCA).

    Each level ``i`` (``C_i`` channels, all levels on the same token grid)
    asks a query of ``C_i`` channels: a 1x1 conv, then a 3x3 conv with
    two channels per group. Keys and values come from the concatenation of
    all levels (``sum(C_i)`` channels): a 1x1 conv, then a depth-wise 3x3
    conv. Attention runs across channels, not tokens: queries and keys are
    L2-normalised along the tokens, the ``C_i x sum(C_i)`` score matrix is
    divided by ``sqrt(sum(C_i))``, standardised as a whole (zero mean, unit
    variance, as a one-channel instance norm), and a softmax over the key
    channels mixes the value channels. A 1x1 conv projects each level's
    result. One head; no dropout.

    Args:
        channels (Sequence[int]): Channels of each level.
        eps (float): Added to the variance of the score matrices.
            Defaults to 1e-5.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 channels: Sequence[int],
                 eps: float = 1e-5,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.channels = tuple(channels)
        self.eps = eps
        total = sum(self.channels)
        self.scale = 1 / math.sqrt(total)
        self.query_projs = nn.ModuleList(
            nn.Conv2d(c, c, 1, bias=False) for c in self.channels)
        self.query_dwconvs = nn.ModuleList(
            nn.Conv2d(c, c, 3, padding=1, groups=c // 2, bias=False)
            for c in self.channels)
        # Keys and values: one 1x1 conv and one depth-wise conv for both.
        self.kv_proj = nn.Conv2d(total, 2 * total, 1, bias=False)
        self.kv_dwconv = nn.Conv2d(
            2 * total, 2 * total, 3, padding=1, groups=2 * total, bias=False)
        self.out_projs = nn.ModuleList(
            nn.Conv2d(c, c, 1, bias=False) for c in self.channels)

    def forward(self, levels: Sequence[Tensor],
                context: Tensor) -> List[Tensor]:
        """Forward function.

        Args:
            levels (Sequence[Tensor]): The normalised tokens of each level,
                shape (N, C_i, h, w).
            context (Tensor): The normalised concatenation of all levels,
                shape (N, sum(C_i), h, w).

        Returns:
            list[Tensor]: The attention output of each level, shaped like
            its input.
        """
        batch, _, height, width = context.shape
        queries = torch.cat([
            dwconv(proj(x)) for x, proj, dwconv in zip(
                levels, self.query_projs, self.query_dwconvs)
        ], dim=1).flatten(2)
        key, value = self.kv_dwconv(self.kv_proj(context)).flatten(2).chunk(
            2, dim=1)
        queries = F.normalize(queries, dim=-1)
        key = F.normalize(key, dim=-1)
        scores = torch.matmul(queries, key.transpose(1, 2)) * self.scale
        scores = torch.cat([
            self._standardise(s) for s in scores.split(self.channels, dim=1)
        ], dim=1)
        out = torch.matmul(scores.softmax(dim=-1), value)
        out = out.view(batch, -1, height, width).split(self.channels, dim=1)
        return [proj(x) for x, proj in zip(out, self.out_projs)]

    def _standardise(self, scores: Tensor) -> Tensor:
        """Zero mean, unit variance over each whole score matrix."""
        var, mean = torch.var_mean(
            scores, dim=(1, 2), unbiased=False, keepdim=True)
        return (scores - mean) * torch.rsqrt(var + self.eps)
