"""GradFormer neck of DATransNet: DATrans on the skips, GFEM at the end."""
from typing import Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers import DATrans, GFEM


@MODELS.register_module()
class GradFormerNeck(BaseModule):
    """GradFormer neck of DATransNet.

    From `DATransNet: Dynamic Attention Transformer Network for Infrared
    Small Target Detection <https://doi.org/10.1109/LGRS.2025.3557021>`_:
    one :class:`DATrans` on every encoder skip feature and a :class:`GFEM`
    on the bottleneck feature.

    The decode head needs the raw skips as well (for its gates), so the
    neck returns ``(x_1, ..., x_L, c_1, ..., c_L, g)``: the ``L`` input
    skips unchanged, their DATrans outputs, and the GFEM output.

    Args:
        in_channels (Sequence[int]): Channels of the backbone outputs, the
            skips first and the bottleneck last.
            Defaults to (16, 32, 64, 128, 128).
        embed_channels (Sequence[int]): Query channels of each DATrans,
            summed over its heads. Defaults to (16, 32, 32, 32).
        dilations (Sequence[Sequence[int]]): Neighbour distances of each
            DATrans, one attention head each.
            Defaults to ((1, 3), (1, 3), (1, 3), (1, )).
        img_size (int): Training image side the attention temperature is
            built from (level ``i`` at stride ``2 ** i`` scales its scores
            by ``1 / (img_size // 2 ** i)``). It is a constant of the model,
            independent of the runtime input size: 256 for the NUDT-SIRST
            models, 512 for IRSTD-1K. Must be a multiple of 32.
            Defaults to 256.
        gfem_reduction (int): Channel reduction of the non-local embedding in
            GFEM. Defaults to 8.
        norm_cfg (dict): Config of the norm layers.
            Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Notice:
        The input height and width must be divisible by 32 (see
        :class:`DATransNetBackbone`).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (16, 32, 64, 128, 128),
                 embed_channels: Sequence[int] = (16, 32, 32, 32),
                 dilations: Sequence[Sequence[int]] = ((1, 3), (1, 3),
                                                       (1, 3), (1, )),
                 img_size: int = 256,
                 gfem_reduction: int = 8,
                 norm_cfg: ConfigType = dict(type='BN'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        num_skips = len(in_channels) - 1
        if not isinstance(img_size, int) or img_size <= 0 or img_size % 32:
            raise ValueError('img_size (the attention temperature constant) '
                             f'must be a positive multiple of 32, got '
                             f'{img_size!r}')
        if num_skips < 1 or len(embed_channels) != num_skips or \
                len(dilations) != num_skips:
            raise ValueError(
                'in_channels needs one entry per skip plus the bottleneck, '
                'and embed_channels and dilations one entry per skip; got '
                f'in_channels={in_channels}, embed_channels={embed_channels},'
                f' dilations={dilations}')
        if not all(isinstance(c, int) and c > 0 for c in in_channels):
            raise ValueError(
                f'in_channels must be positive ints, got {in_channels}')
        if not isinstance(gfem_reduction, int) or gfem_reduction < 1 or \
                in_channels[-1] // gfem_reduction < 1:
            raise ValueError(
                'gfem_reduction must be a positive int at most the '
                f'bottleneck channels ({in_channels[-1]}), got '
                f'{gfem_reduction!r}')
        self.in_channels = tuple(in_channels)
        self.img_size = img_size
        self.datrans = nn.ModuleList(
            DATrans(
                in_channels=channels,
                out_channels=channels,
                embed_channels=embed,
                attn_size=img_size // 2**level,
                dilations=dilation,
                norm_cfg=norm_cfg) for level, (channels, embed, dilation) in
            enumerate(zip(in_channels, embed_channels, dilations)))
        self.gfem = GFEM(in_channels[-1], gfem_reduction, norm_cfg)

    def forward(self, inputs: Sequence[Tensor]) -> Tuple[Tensor, ...]:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Backbone outputs, skips first.

        Returns:
            tuple[Tensor]: The skips, their DATrans outputs, the GFEM output.
        """
        if len(inputs) != len(self.in_channels):
            raise ValueError(f'expected {len(self.in_channels)} backbone '
                             f'features, got {len(inputs)}')
        skips = tuple(inputs[:-1])
        trans = tuple(
            layer(skip) for layer, skip in zip(self.datrans, skips))
        return skips + trans + (self.gfem(inputs[-1]), )
