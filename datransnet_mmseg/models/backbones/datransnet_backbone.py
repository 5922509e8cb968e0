"""Encoder of DATransNet."""
from typing import Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers import ResBlock, max_pool2x2


@MODELS.register_module()
class DATransNetBackbone(BaseModule):
    """Encoder of DATransNet.

    This backbone is the encoder of `DATransNet: Dynamic Attention
    Transformer Network for Infrared Small Target Detection
    <https://doi.org/10.1109/LGRS.2025.3557021>`_ (arXiv:2409.19599): a
    full-resolution stem residual block followed by stages of 2x2 max-pool and
    a residual block.

    Args:
        in_channels (int): Number of input image channels. Defaults to 1
            (infrared images).
        stage_channels (Sequence[int]): Output channels of the stem and of
            every stage. Defaults to (16, 32, 64, 128, 128).
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activations.
            Defaults to
            ``dict(type='LeakyReLU', negative_slope=0.01, inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization, as the
            original code).

    Notice:
        The input height and width must be divisible by
        ``2 ** len(stage_channels)`` (32 by default): the encoder halves the
        resolution ``len(stage_channels) - 1`` times and the GFEM of
        :class:`GradFormerNeck` once more. ``EncoderDecoder`` pads test
        images when its data preprocessor has ``test_cfg=dict(
        size_divisor=32)``.

    Returns:
        tuple[Tensor]: The stem and stage outputs, at strides 1, 2, 4, ...
    """

    def __init__(self,
                 in_channels: int = 1,
                 stage_channels: Sequence[int] = (16, 32, 64, 128, 128),
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(
                     type='LeakyReLU', negative_slope=0.01, inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not isinstance(in_channels, int) or in_channels < 1:
            raise ValueError(
                f'in_channels must be a positive int, got {in_channels!r}')
        if len(stage_channels) < 2 or not all(
                isinstance(c, int) and c > 0 for c in stage_channels):
            raise ValueError('stage_channels needs positive ints, for the '
                             'stem and at least one stage, got '
                             f'{stage_channels!r}')
        self.in_channels = in_channels
        self.size_divisor = 2**len(stage_channels)
        self.stem = ResBlock(in_channels, stage_channels[0], norm_cfg,
                             act_cfg)
        self.stages = nn.ModuleList(
            ResBlock(c_in, c_out, norm_cfg, act_cfg)
            for c_in, c_out in zip(stage_channels[:-1], stage_channels[1:]))

    def _check_input(self, x: Tensor) -> None:
        height, width = x.shape[-2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'DATransNet needs input sides divisible by '
                f'{self.size_divisor}, got {height}x{width}; pad the input '
                f'(e.g. SegDataPreProcessor(size_divisor='
                f'{self.size_divisor}))')
        if x.shape[1] != self.in_channels:
            raise ValueError(f'expected {self.in_channels} input channel(s), '
                             f'got {x.shape[1]}')

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function."""
        self._check_input(x)
        outs = [self.stem(x)]
        for stage in self.stages:
            outs.append(stage(max_pool2x2(outs[-1])))
        return tuple(outs)
