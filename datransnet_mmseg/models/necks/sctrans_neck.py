"""Spatial-channel cross transformer of SCTransNet, as a neck."""
from typing import Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.sctransnet_block import ChannelLayerNorm, SCTBlock


class _Reconstruct(BaseModule):
    """Tokens back to the level's resolution: 1x1 conv, bilinear upsampling
    by the patch size, norm, ReLU."""

    def __init__(self, channels: int, patch_size: int,
                 norm_cfg: ConfigType) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.conv = nn.Conv2d(channels, channels, 1)
        self.norm = build_norm_layer(norm_cfg, channels)[1]

    def forward(self, x: Tensor) -> Tensor:
        # A 1x1 conv commutes with bilinear interpolation (whose weights sum
        # to one): convolving the tokens first is cheaper, same result.
        x = F.interpolate(
            self.conv(x),
            scale_factor=self.patch_size,
            mode='bilinear',
            align_corners=False)
        return F.relu(self.norm(x), inplace=True)


@MODELS.register_module()
class SCTransNeck(BaseModule):
    """Spatial-channel cross transformer of SCTransNet (the skip path).

    From `SCTransNet: Spatial-Channel Cross Transformer Network for
    Infrared Small Target Detection
    <https://doi.org/10.1109/TGRS.2024.3383649>`_. The first
    ``len(in_channels) - 1`` encoder levels are cut into patches (a conv
    with kernel and stride ``patch_sizes[i]``, with bias) so that all of
    them share one token grid; a stack of :class:`SCTBlock` lets every
    level attend across the channels of all levels; a final layer norm per
    level, and each level is brought back to its resolution (1x1 conv,
    bilinear upsampling, norm, ReLU). The skip feature of level ``i`` is
    ``reconstruction_i + 2 * x_i``: the original network adds the encoder
    feature twice (once inside the transformer, once after it). The last
    (deepest) encoder output passes through unchanged.

    Args:
        in_channels (Sequence[int]): Channels of the encoder outputs; all
            but the last enter the transformer.
            Defaults to (32, 64, 128, 256, 256).
        patch_sizes (Sequence[int]): Patch size of each transformer level.
            ``patch_sizes[i] * 2 ** i`` must be the same for all levels
            (the levels are at strides 1, 2, 4, ...). Defaults to
            (16, 8, 4, 2).
        num_layers (int): Number of :class:`SCTBlock`. Defaults to 4.
        ffn_expansion (float): Hidden width factor of the feed-forward
            networks. Defaults to 2.66.
        norm_cfg (dict): Config of the norm layers of the reconstruction.
            Defaults to ``dict(type='BN')``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Notice:
        Level ``i`` must be a whole number of patches: the input height and
        width must be multiples of ``patch_sizes[0]`` (16 by default).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (32, 64, 128, 256, 256),
                 patch_sizes: Sequence[int] = (16, 8, 4, 2),
                 num_layers: int = 4,
                 ffn_expansion: float = 2.66,
                 norm_cfg: ConfigType = dict(type='BN'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        channels = tuple(in_channels[:-1])
        if len(patch_sizes) != len(channels) or len(
                {p * 2**i
                 for i, p in enumerate(patch_sizes)}) != 1:
            raise ValueError(
                'patch_sizes needs one entry per transformer level '
                f'({len(channels)}, all in_channels but the last), with '
                'patch_sizes[i] * 2 ** i the same for all levels, got '
                f'patch_sizes={patch_sizes!r}, in_channels={in_channels!r}')
        self.in_channels = tuple(in_channels)
        self.patch_sizes = tuple(patch_sizes)
        self.patch_embeds = nn.ModuleList(
            nn.Conv2d(c, c, p, stride=p)
            for c, p in zip(channels, patch_sizes))
        self.blocks = nn.ModuleList(
            SCTBlock(channels, ffn_expansion) for _ in range(num_layers))
        self.out_norms = nn.ModuleList(ChannelLayerNorm(c) for c in channels)
        self.reconstructs = nn.ModuleList(
            _Reconstruct(c, p, norm_cfg)
            for c, p in zip(channels, patch_sizes))

    def _check_input(self, inputs: Sequence[Tensor]) -> None:
        if len(inputs) != len(self.in_channels):
            raise ValueError(f'expected {len(self.in_channels)} inputs, got '
                             f'{len(inputs)}')
        for x, patch in zip(inputs, self.patch_sizes):
            height, width = x.shape[-2:]
            if height % patch or width % patch:
                raise ValueError(
                    f'a level of {height}x{width} is not a whole number of '
                    f'{patch}x{patch} patches; the input height and width '
                    f'must be multiples of {self.patch_sizes[0]} (pad the '
                    'input)')

    def forward(self, inputs: Sequence[Tensor]) -> Tuple[Tensor, ...]:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Encoder outputs at strides
                1, 2, 4, ...

        Returns:
            tuple[Tensor]: The skip feature of each transformer level, then
            the deepest encoder output unchanged.
        """
        self._check_input(inputs)
        levels = inputs[:-1]
        tokens = [embed(x) for embed, x in zip(self.patch_embeds, levels)]
        for block in self.blocks:
            tokens = block(tokens)
        skips = [
            reconstruct(norm(t)) + 2 * x for t, x, norm, reconstruct in zip(
                tokens, levels, self.out_norms, self.reconstructs)
        ]
        return (*skips, inputs[-1])
