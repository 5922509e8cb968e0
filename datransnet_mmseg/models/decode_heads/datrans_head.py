"""Decode head of DATransNet."""
from typing import Sequence

import torch.nn as nn
from torch import Tensor

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers import InceptionDWConv2d, UpStage
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class DATransHead(BaseDecodeHead):
    """Decode head of DATransNet (binary: one logit channel).

    From `DATransNet: Dynamic Attention Transformer Network for Infrared
    Small Target Detection <https://doi.org/10.1109/LGRS.2025.3557021>`_.
    Consumes the output of :class:`GradFormerNeck`,
    ``(x_1, ..., x_L, c_1, ..., c_L, g)``: starting from ``g``, each
    :class:`UpStage` (coarsest first) upsamples, gates with the skip
    ``x_i`` and fuses with the DATrans output ``c_i``; then an Inception
    depth-wise conv and ``conv_seg`` (1x1) give the logits at full input
    resolution. Stage ``i`` outputs the skip width of level ``i - 1``, and
    the finest stage ``channels``.

    The head outputs logits; mmseg applies the sigmoid and ``threshold`` in
    prediction and :class:`SoftIoULoss` applies it in training.

    Args:
        in_channels (Sequence[int]): Channels of the neck outputs.
            Defaults to (16, 32, 64, 128, 16, 32, 64, 128, 128).
        channels (int): Channels of the finest decoder stage.
            Defaults to 16.
        num_classes (int): Must be 2 (background and target).
            Defaults to 2.
        out_channels (int): Must be 1 (one logit channel). Defaults to 1.
        threshold (float): Probability threshold of the prediction.
            Defaults to 0.5.
        dropout_ratio (float): Dropout before ``conv_seg``. Defaults to 0
            (none in the original network).
        in_index (Sequence[int]): Neck outputs to use.
            Defaults to (0, 1, ..., 8).
        input_transform (str): Defaults to 'multiple_select'.
        band_kernel_size (int): Band kernel length of the Inception
            depth-wise conv. Defaults to 11.
        norm_cfg (dict): Config of the decoder norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the decoder activations.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        loss_decode (dict or list[dict]): Loss config(s). Defaults to
            ``dict(type='SoftIoULoss', loss_weight=1.0)`` (the original
            training loss).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization, as the
            original code; ``BaseDecodeHead`` would use ``Normal``).
        **kwargs: Other arguments of :class:`BaseDecodeHead`
            (``loss_decode``, ``align_corners``, ``ignore_index``...).

    Notice:
        The input height and width must be divisible by 32 (see
        :class:`DATransNetBackbone`).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (16, 32, 64, 128, 16, 32, 64,
                                               128, 128),
                 channels: int = 16,
                 num_classes: int = 2,
                 out_channels: int = 1,
                 threshold: float = 0.5,
                 dropout_ratio: float = 0.,
                 in_index: Sequence[int] = tuple(range(9)),
                 input_transform: str = 'multiple_select',
                 band_kernel_size: int = 11,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 loss_decode: ConfigType = dict(
                     type='SoftIoULoss', loss_weight=1.0),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        if input_transform != 'multiple_select' or \
                len(in_channels) % 2 != 1 or len(in_channels) < 3 or \
                len(in_index) != len(in_channels):
            raise ValueError(
                'DATransHead takes the GradFormerNeck outputs '
                '(skips, DATrans outputs, bottleneck): in_channels needs '
                '2 * L + 1 entries (one per selected input, in_index of the '
                "same length) and input_transform='multiple_select'; got "
                f'in_channels={in_channels}, in_index={in_index}, '
                f'input_transform={input_transform!r}')
        if not isinstance(channels, int) or channels < 4:
            raise ValueError(
                'channels must be an int of at least 4 (the Inception '
                f'depthwise block gives a quarter to each kernel branch), got '
                f'{channels!r}')
        if not isinstance(band_kernel_size, int) or band_kernel_size < 1 \
                or band_kernel_size % 2 == 0:
            raise ValueError('band_kernel_size must be a positive odd int '
                             '(the band convs keep the size), got '
                             f'{band_kernel_size!r}')
        super().__init__(
            in_channels=list(in_channels),
            channels=channels,
            num_classes=num_classes,
            out_channels=out_channels,
            threshold=threshold,
            dropout_ratio=dropout_ratio,
            in_index=list(in_index),
            input_transform=input_transform,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg,
            loss_decode=loss_decode,
            init_cfg=init_cfg,
            **kwargs)
        check_binary_head(self)
        num_levels = len(in_channels) // 2
        skip_channels = in_channels[:num_levels]
        trans_channels = in_channels[num_levels:-1]
        stage_out = (channels, ) + tuple(skip_channels[:-1])
        stage_low = stage_out[1:] + (in_channels[-1], )
        self.up_stages = nn.ModuleList(
            UpStage(
                low_channels=low,
                skip_channels=skip,
                trans_channels=trans,
                out_channels=out,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg,
                align_corners=self.align_corners) for low, skip, trans, out
            in zip(stage_low, skip_channels, trans_channels, stage_out))
        self.inception = InceptionDWConv2d(
            channels, band_kernel_size=band_kernel_size)

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Forward function."""
        inputs = self._transform_inputs(inputs)
        num_levels = len(inputs) // 2
        skips = inputs[:num_levels]
        trans = inputs[num_levels:-1]
        out = inputs[-1]
        for level in reversed(range(num_levels)):
            out = self.up_stages[level](out, skips[level], trans[level])
        return self.cls_seg(self.inception(out))
