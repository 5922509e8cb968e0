"""Encoder of SCTransNet."""
from typing import Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers import ResBlock, max_pool2x2


@MODELS.register_module()
class SCTransNetBackbone(BaseModule):
    """Encoder of SCTransNet.

    This backbone is the encoder of `SCTransNet: Spatial-Channel Cross
    Transformer Network for Infrared Small Target Detection
    <https://doi.org/10.1109/TGRS.2024.3383649>`_: a full-resolution
    residual block, then stages of 2x2 max pooling and a residual block
    (two 3x3 conv-BN layers, LeakyReLU, projected shortcut where the width
    changes).

    Args:
        in_channels (int): Number of input image channels. Defaults to 1
            (infrared images).
        stage_channels (Sequence[int]): Output channels of the stem and of
            every stage. Defaults to (32, 64, 128, 256, 256).
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the activations.
            Defaults to
            ``dict(type='LeakyReLU', negative_slope=0.01, inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Notice:
        The input height and width must be multiples of
        ``2 ** (len(stage_channels) - 1)`` (16 by default): the encoder
        halves the resolution that many times, and
        :class:`SCTransNeck` cuts every level into the same grid of
        patches (16x16 pixels of the input by default). Whole-image
        inference pads the input when the data preprocessor has
        ``test_cfg=dict(size_divisor=...)``.

    Returns:
        tuple[Tensor]: The stem and stage outputs, at strides 1, 2, 4, ...
    """

    def __init__(self,
                 in_channels: int = 1,
                 stage_channels: Sequence[int] = (32, 64, 128, 256, 256),
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(
                     type='LeakyReLU', negative_slope=0.01, inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not isinstance(in_channels, int) or in_channels < 1:
            raise ValueError(
                f'in_channels must be a positive int, got {in_channels!r}')
        if len(stage_channels) < 2:
            raise ValueError('stage_channels needs the stem and at least one '
                             f'stage, got {stage_channels!r}')
        self.in_channels = in_channels
        self.size_divisor = 2**(len(stage_channels) - 1)
        self.stem = ResBlock(in_channels, stage_channels[0], norm_cfg,
                             act_cfg)
        self.stages = nn.ModuleList(
            ResBlock(c_in, c_out, norm_cfg, act_cfg)
            for c_in, c_out in zip(stage_channels[:-1], stage_channels[1:]))

    def _check_input(self, x: Tensor) -> None:
        height, width = x.shape[-2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'SCTransNet needs input height and width that are '
                f'multiples of {self.size_divisor}, got {height}x{width}; '
                'pad the input (whole-image inference pads with the data '
                f'preprocessor\'s test_cfg=dict(size_divisor='
                f'{self.size_divisor}) or a multiple of it)')
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
