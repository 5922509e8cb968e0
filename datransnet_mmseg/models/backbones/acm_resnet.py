"""Thin ResNet encoder of ACM (asymmetric contextual modulation).

Written from the description in `Asymmetric Contextual Modulation for
Infrared Small Target Detection <https://arxiv.org/abs/2009.14530>`_
(Dai et al., WACV 2021): a ResNet-20-style encoder (three stages of basic
residual blocks) whose stages feed an ACM U-Net decoder
(:class:`~datransnet_mmseg.models.decode_heads.ACMHead`).
"""
from typing import Sequence, Tuple

from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.models.backbones.resnet import BasicBlock
from mmseg.models.utils import ResLayer
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig


@MODELS.register_module()
class ACMResNet(BaseModule):
    """ResNet-20-style encoder of the ACM U-Net.

    A 3x3 stem, then stages of :class:`BasicBlock` residual blocks. With
    the defaults (stem stride 2, stage strides 1, 2, 2) the stages are at
    1/2, 1/4 and 1/8 of the input resolution, 16, 32 and 64 channels wide,
    three blocks each (18 convolutions, plus the stem: ResNet-20 without
    its classifier).

    Args:
        in_channels (int): Input channels. Defaults to 1.
        stem_channels (int): Width of the stem. Defaults to 16.
        stem_stride (int): Stride of the stem. Defaults to 2.
        stage_channels (Sequence[int]): Width of each stage.
            Defaults to (16, 32, 64).
        num_blocks (Sequence[int]): Residual blocks per stage.
            Defaults to (3, 3, 3).
        strides (Sequence[int]): Stride of each stage's first block.
            Defaults to (1, 2, 2).
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): Activation of the stem.
            Defaults to ``dict(type='ReLU')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to Kaiming for convolutions, 1 and 0 for norms.

    Notice:
        The input height and width must be multiples of the total stride
        (``stem_stride * prod(strides)``, 8 by default) for the decoder to
        realign the stages.
    """

    def __init__(self,
                 in_channels: int = 1,
                 stem_channels: int = 16,
                 stem_stride: int = 2,
                 stage_channels: Sequence[int] = (16, 32, 64),
                 num_blocks: Sequence[int] = (3, 3, 3),
                 strides: Sequence[int] = (1, 2, 2),
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = [
                     dict(type='Kaiming', layer='Conv2d'),
                     dict(type='Constant', val=1, layer='_BatchNorm')
                 ]) -> None:
        super().__init__(init_cfg)
        assert len(stage_channels) == len(num_blocks) == len(strides), (
            'stage_channels, num_blocks and strides need one entry per '
            f'stage, got {stage_channels}, {num_blocks} and {strides}')
        self.stem = ConvModule(
            in_channels,
            stem_channels,
            3,
            stride=stem_stride,
            padding=1,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.stages = []
        inplanes = stem_channels
        for i, (planes, blocks, stride) in enumerate(
                zip(stage_channels, num_blocks, strides)):
            stage = ResLayer(
                BasicBlock,
                inplanes,
                planes,
                blocks,
                stride=stride,
                norm_cfg=norm_cfg)
            self.add_module(f'stage{i + 1}', stage)
            self.stages.append(f'stage{i + 1}')
            inplanes = planes
        self.out_channels = tuple(stage_channels)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function.

        Args:
            x (Tensor): Input of shape (B, C, H, W).

        Returns:
            tuple[Tensor]: The output of every stage, finest first.
        """
        x = self.stem(x)
        outs = []
        for name in self.stages:
            x = getattr(self, name)(x)
            outs.append(x)
        return tuple(outs)
