"""Encoder of ACM and ALCNet as BasicIRSTD's PyTorch port builds it."""
import math
from typing import Sequence, Tuple

import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.models.backbones.resnet import BasicBlock
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.max_pool import MaxPool3x3S2


def _conv3x3(in_channels: int, out_channels: int, stride: int = 1):
    return nn.Conv2d(
        in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


@MODELS.register_module()
class ASKCResNet(BaseModule):
    """ResNet encoder of ACM (ASKCResUNet) and ALCNet (ASKCResNetFPN).

    From `Asymmetric Contextual Modulation for Infrared Small Target
    Detection <https://arxiv.org/abs/2009.14530>`_ and `Attentional Local
    Contrast Networks for Infrared Small Target Detection
    <https://arxiv.org/abs/2012.08573>`_, as computed by the PyTorch port
    in BasicIRSTD. Both networks share it; ACM uses three basic blocks per
    stage, ALCNet four.

    The stem normalises the raw input with its own batch norm (affine),
    then three 3x3 conv-norm-ReLU layers (the first with stride 2;
    ``stem_channels``, ``stem_channels`` and ``2 * stem_channels`` wide)
    and a 3x3 max-pool with stride 2. Stages of ResNet basic blocks
    follow; a stage whose first block changes the stride or the width gets
    a 1x1 conv-norm shortcut. With the defaults the stages are at 1/4,
    1/8 and 1/16 of the input resolution, 16, 32 and 64 channels wide.

    Two norm configs reproduce the port: the stem, the shortcuts (and the
    decoders' norms) use ``norm_cfg`` with momentum 0.9, a value carried
    over from MXNet, where it weights the old running statistics, while
    PyTorch weights the new batch with it; the norms inside the basic
    blocks use ``block_norm_cfg`` with PyTorch's default 0.1.

    Args:
        in_channels (int): Input channels. Defaults to 1.
        stem_channels (int): Width of the first two stem convs (the stem
            outputs twice as many). Defaults to 8.
        stage_channels (Sequence[int]): Width of each stage.
            Defaults to (16, 32, 64).
        num_blocks (Sequence[int]): Basic blocks per stage.
            Defaults to (3, 3, 3) (ACM; ALCNet uses (4, 4, 4)).
        strides (Sequence[int]): Stride of each stage's first block.
            Defaults to (1, 2, 2).
        norm_cfg (dict): Norm of the stem and the shortcuts.
            Defaults to ``dict(type='BN', momentum=0.9)``.
        block_norm_cfg (dict): Norm inside the basic blocks.
            Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization, as the
            port).

    Notice:
        The input height and width must be multiples of the total stride
        (``4 * prod(strides)``, 16 by default): the decoders upsample each
        level by 2 and fuse it with the next finer one, so every level
        must have exactly twice the size of the one below. Whole-image
        inference pads the input to a multiple of the data preprocessor's
        ``size_divisor``.
    """

    def __init__(self,
                 in_channels: int = 1,
                 stem_channels: int = 8,
                 stage_channels: Sequence[int] = (16, 32, 64),
                 num_blocks: Sequence[int] = (3, 3, 3),
                 strides: Sequence[int] = (1, 2, 2),
                 norm_cfg: ConfigType = dict(type='BN', momentum=0.9),
                 block_norm_cfg: ConfigType = dict(type='BN'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg)
        if not len(stage_channels) == len(num_blocks) == len(strides):
            raise ValueError(
                'stage_channels, num_blocks and strides need one entry per '
                f'stage, got {stage_channels}, {num_blocks} and {strides}')
        self.size_divisor = 4 * math.prod(strides)
        width = 2 * stem_channels
        self.stem = nn.Sequential(
            build_norm_layer(norm_cfg, in_channels)[1],
            _conv3x3(in_channels, stem_channels, stride=2),
            build_norm_layer(norm_cfg, stem_channels)[1],
            nn.ReLU(inplace=True),
            _conv3x3(stem_channels, stem_channels),
            build_norm_layer(norm_cfg, stem_channels)[1],
            nn.ReLU(inplace=True),
            _conv3x3(stem_channels, width),
            build_norm_layer(norm_cfg, width)[1],
            nn.ReLU(inplace=True),
            MaxPool3x3S2(),
        )
        self.layers = []
        for i, (channels, blocks, stride) in enumerate(
                zip(stage_channels, num_blocks, strides)):
            shortcut = None
            if stride != 1 or channels != width:
                shortcut = nn.Sequential(
                    nn.Conv2d(width, channels, 1, stride=stride, bias=False),
                    build_norm_layer(norm_cfg, channels)[1])
            layer = [
                BasicBlock(
                    width,
                    channels,
                    stride=stride,
                    downsample=shortcut,
                    norm_cfg=block_norm_cfg)
            ]
            layer += [
                BasicBlock(channels, channels, norm_cfg=block_norm_cfg)
                for _ in range(blocks - 1)
            ]
            self.add_module(f'layer{i + 1}', nn.Sequential(*layer))
            self.layers.append(f'layer{i + 1}')
            width = channels
        self.out_channels = tuple(stage_channels)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function.

        Args:
            x (Tensor): Input of shape (B, C, H, W).

        Returns:
            tuple[Tensor]: The output of every stage, finest first.
        """
        height, width = x.shape[-2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'H and W must be multiples of {self.size_divisor}, got '
                f'{height}x{width}; pad the input (whole-image inference '
                'pads to the data preprocessor\'s size_divisor, which must '
                f'be a multiple of {self.size_divisor}).')
        x = self.stem(x)
        outs = []
        for name in self.layers:
            x = getattr(self, name)(x)
            outs.append(x)
        return tuple(outs)
