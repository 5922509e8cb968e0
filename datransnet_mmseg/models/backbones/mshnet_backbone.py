"""Encoder of MSHNet.

MSHNet (Liu et al., `Infrared Small Target Detection with Scale and
Location Sensitivity <https://arxiv.org/abs/2403.19366>`_, CVPR 2024) is a
plain U-Net whose blocks are residual blocks with channel and spatial
attention; its accuracy comes from the training loss
(:class:`~datransnet_mmseg.models.losses.SLSIoULoss`) and from the
multi-scale predictions of its head
(:class:`~datransnet_mmseg.models.decode_heads.MSHNetHead`).
"""
from typing import Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.max_pool import max_pool2x2
from ..layers.mshnet_res_block import MSHNetResBlock


@MODELS.register_module()
class MSHNetBackbone(BaseModule):
    """MSHNet encoder: a 1x1 stem, then stages of
    :class:`~datransnet_mmseg.models.layers.mshnet_res_block.MSHNetResBlock`
    separated by 2x2 max pooling.

    Notice:
        Height and width of the input must be multiples of
        ``2 ** (len(stage_channels) - 1)`` (16 for MSHNet): the head
        concatenates each upsampled deep feature with the skip feature of
        the same level. Whole-image inference pads the input with the data
        preprocessor's ``size_divisor``.

    Args:
        in_channels (int): Input channels (3: MSHNet reads grey images as
            RGB). Defaults to 3.
        stem_channels (int): Output channels of the 1x1 stem.
            Defaults to 16.
        stage_channels (Sequence[int]): Output channels of each stage, the
            first at full resolution. Defaults to (16, 32, 64, 128, 256).
        num_blocks (Sequence[int]): Residual blocks in each stage.
            Defaults to (1, 2, 2, 2, 2).
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialisation, as MSHNet).

    Returns (forward):
        tuple[Tensor]: The output of every stage, finest first.
    """

    def __init__(self,
                 in_channels: int = 3,
                 stem_channels: int = 16,
                 stage_channels: Sequence[int] = (16, 32, 64, 128, 256),
                 num_blocks: Sequence[int] = (1, 2, 2, 2, 2),
                 norm_cfg: ConfigType = dict(type='BN'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(num_blocks) != len(stage_channels):
            raise ValueError('num_blocks needs one entry per stage, got '
                             f'{len(num_blocks)} for {len(stage_channels)} '
                             'stages')
        self.in_channels = in_channels
        self.stem = nn.Conv2d(in_channels, stem_channels, 1)
        self.stages = nn.ModuleList()
        width = stem_channels
        for channels, blocks in zip(stage_channels, num_blocks):
            self.stages.append(
                nn.Sequential(*[
                    MSHNetResBlock(
                        width if i == 0 else channels, channels, norm_cfg)
                    for i in range(blocks)
                ]))
            width = channels
        self.size_divisor = 2**(len(stage_channels) - 1)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function."""
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'MSHNetBackbone expects {self.in_channels} input channels, '
                f'got {x.shape[1]}; feed grey images through '
                f'IRSTDDataPreProcessor(repeat_channels={self.in_channels}).')
        height, width = x.shape[2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'MSHNet needs H and W to be multiples of '
                f'{self.size_divisor}, got {height}x{width}; pad the input '
                f'(whole-image inference pads with size_divisor='
                f'{self.size_divisor}).')
        outs = []
        x = self.stem(x)
        for i, stage in enumerate(self.stages):
            if i > 0:
                x = max_pool2x2(x)
            x = stage(x)
            outs.append(x)
        return tuple(outs)
