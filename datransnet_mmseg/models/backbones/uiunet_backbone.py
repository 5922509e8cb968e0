"""Encoder of UIU-Net."""
from typing import Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.uiunet_rsu import RSU, ceil_max_pool2x2


@MODELS.register_module()
class UIUNetBackbone(BaseModule):
    """Encoder of UIU-Net: a U-Net whose stages are small U-Nets.

    From `UIU-Net: U-Net in U-Net for Infrared Small Object Detection
    <https://doi.org/10.1109/TIP.2022.3228497>`_ (Wu et al., IEEE TIP
    2023). Each stage is a residual U-block (:class:`RSU`); stages are
    joined by 2x2 max-pools (odd sides rounded up). The default settings
    are the official ``UIUNET(3, 1)``: RSU-7, RSU-6, RSU-5, RSU-4 and two
    dilated RSU-4F.

    Args:
        in_channels (int): Input image channels. Defaults to 3 (the
            official network reads grey images as three equal channels).
        stage_channels (Sequence[int]): Output channels of each stage.
            Defaults to (64, 128, 256, 512, 512, 512).
        mid_channels (Sequence[int]): Channels inside each stage's U-Net.
            Defaults to (32, 32, 64, 128, 256, 256).
        depths (Sequence[int]): Levels of each stage's U-Net.
            Defaults to (7, 6, 5, 4, 4, 4).
        dilated (Sequence[bool]): Whether each stage is a dilated block
            (RSU-F, no pooling inside). Defaults to
            (False, False, False, False, True, True).
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): Activation config.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization, as the
            official code).

    Notice:
        Any input height and width work (no padding needed): pooling
        rounds odd sides up and every upsampling goes back to the exact
        size of its skip.

    Returns:
        tuple[Tensor]: The stage outputs, at strides 1, 2, 4, ... (rounded
        up for odd sides).
    """

    def __init__(self,
                 in_channels: int = 3,
                 stage_channels: Sequence[int] = (64, 128, 256, 512, 512,
                                                  512),
                 mid_channels: Sequence[int] = (32, 32, 64, 128, 256, 256),
                 depths: Sequence[int] = (7, 6, 5, 4, 4, 4),
                 dilated: Sequence[bool] = (False, False, False, False, True,
                                            True),
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not isinstance(in_channels, int) or in_channels < 1:
            raise ValueError(
                f'in_channels must be a positive int, got {in_channels!r}')
        if not len(stage_channels) == len(mid_channels) == len(depths) == \
                len(dilated):
            raise ValueError(
                'stage_channels, mid_channels, depths and dilated need one '
                f'entry per stage, got {stage_channels!r}, {mid_channels!r}, '
                f'{depths!r}, {dilated!r}')
        self.in_channels = in_channels
        stage_in = (in_channels, ) + tuple(stage_channels[:-1])
        self.stages = nn.ModuleList(
            RSU(c_in,
                c_mid,
                c_out,
                depth,
                dilated=dil,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg) for c_in, c_mid, c_out, depth, dil in zip(
                    stage_in, mid_channels, stage_channels, depths, dilated))

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Forward function."""
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'UIUNetBackbone expects {self.in_channels} input channels, '
                f'got {x.shape[1]}; for one-channel images set '
                f'IRSTDDataPreProcessor(repeat_channels={self.in_channels})')
        outs = [self.stages[0](x)]
        for stage in self.stages[1:]:
            outs.append(stage(ceil_max_pool2x2(outs[-1])))
        return tuple(outs)
