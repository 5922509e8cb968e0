"""Dense nested encoder of DNANet.

From `Dense Nested Attention Network for Infrared Small Target Detection
<https://arxiv.org/abs/2106.00487>`_ (Li et al., IEEE TIP 2023): a U-Net++
style grid of :class:`ResCBAMBlock` nodes, densely connected within each
level and across neighbouring levels (the dense nested interactive module
with channel and spatial attention). The feature pyramid fusion and the
predictions are in :class:`~datransnet_mmseg.models.decode_heads.DNANetHead`.
"""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.dnanet_res_cbam import ResCBAMBlock
from ..layers.max_pool import max_pool2x2


def _resize_to(x: Tensor, ref: Tensor) -> Tensor:
    """Bilinear resampling (corners aligned) of ``x`` to the size of
    ``ref``."""
    return F.interpolate(
        x, size=ref.shape[2:], mode='bilinear', align_corners=True)


@MODELS.register_module()
class DNANetBackbone(BaseModule):
    """Dense nested interactive encoder of DNANet.

    Node ``x[i][j]`` sits at level ``i`` (1 / 2**i of the input resolution,
    ``stage_channels[i]`` wide) and column ``j``, for ``i + j < L`` with
    ``L = len(stage_channels)``. Column 0 is the encoder:
    ``x[0][0] = f(input)``, ``x[i][0] = f(maxpool2x2(x[i - 1][0]))``. Every
    other node fuses, concatenated in this order, all earlier nodes of its
    level ``x[i][0..j-1]``, the x2 upsampled ``x[i + 1][j - 1]`` and (for
    ``i > 0``) the x0.5 downsampled ``x[i - 1][j]``. Each node ``f`` is a
    stage of :class:`ResCBAMBlock`: one block at level 0,
    ``num_blocks[i - 1]`` blocks at level ``i > 0``. Resampling is bilinear
    with aligned corners.

    Args:
        in_channels (int): Input channels. Defaults to 3 (the official
            network reads grey images as RGB).
        stage_channels (Sequence[int]): Width of each level, finest first.
            Defaults to (16, 32, 64, 128, 256).
        num_blocks (Sequence[int]): Blocks per node at levels 1 to L - 1.
            Defaults to (2, 2, 2, 2) (the official 'resnet_18' setting).
        reduction (int): Width ratio of the channel attention of each
            block. Defaults to 16.
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activations.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None: Xavier-normal conv weights, PyTorch's default
            biases and norms, as the official training initialises.

    Notice:
        The input height and width must be multiples of ``2 ** (L - 1)``
        (16 by default): every level must halve exactly for the nodes to
        realign. Whole-image inference pads with the data preprocessor's
        ``size_divisor``.
    """

    def __init__(self,
                 in_channels: int = 3,
                 stage_channels: Sequence[int] = (16, 32, 64, 128, 256),
                 num_blocks: Sequence[int] = (2, 2, 2, 2),
                 reduction: int = 16,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        num_levels = len(stage_channels)
        if num_levels < 2 or len(num_blocks) != num_levels - 1:
            raise ValueError(
                'DNANetBackbone needs at least two levels and one entry of '
                'num_blocks per level below the first, got '
                f'stage_channels={tuple(stage_channels)}, '
                f'num_blocks={tuple(num_blocks)}')
        self.num_levels = num_levels
        self.divisor = 2**(num_levels - 1)
        widths = tuple(stage_channels)
        depths = (1, ) + tuple(num_blocks)

        def stage(level: int, in_width: int) -> nn.Sequential:
            out_width = widths[level]
            return nn.Sequential(*(ResCBAMBlock(
                in_width if block == 0 else out_width,
                out_width,
                reduction=reduction,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg) for block in range(depths[level])))

        self.encoder = nn.ModuleList(
            stage(level, in_channels if level == 0 else widths[level - 1])
            for level in range(num_levels))
        # dense_stages[j - 1][i] is node x[i][j]
        self.dense_stages = nn.ModuleList()
        for column in range(1, num_levels):
            nodes = nn.ModuleList()
            for level in range(num_levels - column):
                width = column * widths[level] + widths[level + 1]
                if level > 0:
                    width += widths[level - 1]
                nodes.append(stage(level, width))
            self.dense_stages.append(nodes)

    def init_weights(self) -> None:
        """Xavier-normal conv weights (the official initialisation), unless
        ``init_cfg`` is given."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.xavier_normal_(module.weight)

    @staticmethod
    def _node_input(nodes: List[List[Tensor]], level: int,
                    column: int) -> Tensor:
        """Concatenated input of node ``x[level][column]`` (column > 0)."""
        row = nodes[level]
        parts = row[:column] + [
            _resize_to(nodes[level + 1][column - 1], row[0])
        ]
        if level > 0:
            parts.append(_resize_to(nodes[level - 1][column], row[0]))
        return torch.cat(parts, dim=1)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function.

        Args:
            x (Tensor): Input of shape (N, in_channels, H, W).

        Returns:
            tuple[Tensor]: ``2 * L - 2`` maps: the top row
            ``x[0][1], ..., x[0][L - 1]``, then the last node of each deeper
            level, ``x[1][L - 2], ..., x[L - 1][0]`` (16, 16, 16, 16, 32,
            64, 128 and 256 channels by default).
        """
        height, width = x.shape[2:]
        if height % self.divisor or width % self.divisor or \
                min(height, width) < self.divisor:
            raise ValueError(
                f'DNANetBackbone: H and W must be positive multiples of '
                f'{self.divisor}, got {height}x{width}; pad the input '
                '(whole-image inference pads with size_divisor)')
        nodes: List[List[Tensor]] = [[] for _ in range(self.num_levels)]
        last = self.num_levels - 1
        # a node depends on nodes of the previous anti-diagonal and on the
        # next level's node of its own: walk each anti-diagonal bottom-up
        for diagonal in range(self.num_levels):
            for level in range(diagonal, -1, -1):
                column = diagonal - level
                row = nodes[level]
                if column == 0:
                    row.append(self.encoder[level](
                        x if level == 0 else max_pool2x2(nodes[level - 1][0])))
                    continue
                row.append(self.dense_stages[column - 1][level](
                    self._node_input(nodes, level, column)))
                if diagonal == last and level > 0:
                    # the last node of a deeper level is an output; the
                    # others of its level are not read any more
                    row[:-1] = [None] * column
        return tuple(nodes[0][1:]) + tuple(row[-1] for row in nodes[1:])
