"""Decoder of UIU-Net with its deep supervision."""
from typing import List, Sequence, Tuple, Union

import torch
import torch.nn as nn
from torch import Tensor

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig, SampleList, add_prefix
from ..layers.uiunet_fusion import InteractiveCrossFusion
from ..layers.uiunet_rsu import RSU, resize_like
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class UIUNetHead(BaseDecodeHead):
    """Decoder of UIU-Net (binary: one logit channel), with six side
    outputs and their fusion.

    From `UIU-Net: U-Net in U-Net for Infrared Small Object Detection
    <https://doi.org/10.1109/TIP.2022.3228497>`_ (Wu et al., IEEE TIP
    2023). Starting from the deepest encoder output, each decoder level
    upsamples the coarser feature to the size of the encoder output
    (skip) of its level and joins the two: by
    :class:`InteractiveCrossFusion` at every level but the finest, by
    concatenation at the finest; a residual U-block (:class:`RSU`) then
    decodes the result. A 3x3 side conv gives one logit map from each
    decoder level and from the deepest encoder output; the coarser maps
    are upsampled to the input size, and ``conv_seg`` (1x1, six maps to
    one) fuses them into the prediction.

    In training, :meth:`forward` returns the fused logits and the six side
    logits (finest first), and every one of them gets ``loss_decode``
    (the official training sums the binary cross-entropy of all seven
    with equal weights). Otherwise it returns the fused logits only, the
    official prediction.

    Args:
        in_channels (Sequence[int]): Channels of the encoder outputs,
            finest first. Defaults to (64, 128, 256, 512, 512, 512).
        decoder_channels (Sequence[int]): Output channels of the decoder
            level of each encoder output but the deepest, finest first.
            Defaults to (64, 64, 128, 256, 512).
        decoder_mid_channels (Sequence[int]): Channels inside each decoder
            block's U-Net. Defaults to (16, 32, 64, 128, 256).
        decoder_depths (Sequence[int]): Levels of each decoder block.
            Defaults to (7, 6, 5, 4, 4).
        decoder_dilated (Sequence[bool]): Whether each decoder block is
            dilated (RSU-F). Defaults to (False, False, False, False, True).
        reduction (int): Bottleneck ratio of the fusion attentions.
            Defaults to 4.
        num_classes (int): Must be 2 (background and target).
            Defaults to 2.
        out_channels (int): Must be 1 (one logit channel). Defaults to 1.
        threshold (float): Probability threshold of the prediction.
            Defaults to 0.5.
        dropout_ratio (float): Dropout before ``conv_seg``. Defaults to 0
            (none in the original network).
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): Activation config.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        loss_decode (dict or list[dict]): Loss config(s), applied to each
            of the seven outputs. Defaults to sigmoid cross-entropy, the
            official loss.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization, as the
            official code).
        **kwargs: Other arguments of :class:`BaseDecodeHead`.

    Notice:
        Any input height and width work; the side logits are upsampled to
        the size of the finest encoder output (the input size).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (64, 128, 256, 512, 512, 512),
                 decoder_channels: Sequence[int] = (64, 64, 128, 256, 512),
                 decoder_mid_channels: Sequence[int] = (16, 32, 64, 128,
                                                        256),
                 decoder_depths: Sequence[int] = (7, 6, 5, 4, 4),
                 decoder_dilated: Sequence[bool] = (False, False, False,
                                                    False, True),
                 reduction: int = 4,
                 num_classes: int = 2,
                 out_channels: int = 1,
                 threshold: float = 0.5,
                 dropout_ratio: float = 0.,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 loss_decode: ConfigType = dict(
                     type='CrossEntropyLoss',
                     use_sigmoid=True,
                     avg_non_ignore=True,
                     loss_weight=1.0),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        num_levels = len(in_channels) - 1
        if num_levels < 1 or not num_levels == len(decoder_channels) == len(
                decoder_mid_channels) == len(decoder_depths) == len(
                    decoder_dilated):
            raise ValueError(
                'UIUNetHead needs at least two encoder outputs and one '
                'entry per encoder output but the deepest in '
                'decoder_channels, decoder_mid_channels, decoder_depths and '
                f'decoder_dilated; got in_channels={in_channels}, '
                f'decoder_channels={decoder_channels}, decoder_mid_channels='
                f'{decoder_mid_channels}, decoder_depths={decoder_depths}, '
                f'decoder_dilated={decoder_dilated}')
        kwargs.setdefault('input_transform', 'multiple_select')
        kwargs.setdefault('in_index', tuple(range(len(in_channels))))
        super().__init__(
            in_channels=list(in_channels),
            channels=len(in_channels),
            num_classes=num_classes,
            out_channels=out_channels,
            threshold=threshold,
            dropout_ratio=dropout_ratio,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg,
            loss_decode=loss_decode,
            init_cfg=init_cfg,
            **kwargs)
        check_binary_head(self)
        # width of the coarser feature arriving at each decoder level
        coarse = tuple(decoder_channels[1:]) + (in_channels[-1], )
        self.fusions = nn.ModuleList(
            InteractiveCrossFusion(high, low, reduction, norm_cfg)
            for high, low in zip(coarse[1:], in_channels[1:-1]))
        decoder_in = [coarse[0] + in_channels[0]] + [
            2 * c for c in in_channels[1:-1]
        ]
        self.decoders = nn.ModuleList(
            RSU(c_in,
                c_mid,
                c_out,
                depth,
                dilated=dil,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg)
            for c_in, c_mid, c_out, depth, dil in zip(
                decoder_in, decoder_mid_channels, decoder_channels,
                decoder_depths, decoder_dilated))
        side_in = tuple(decoder_channels) + (in_channels[-1], )
        self.side_convs = nn.ModuleList(
            nn.Conv2d(c, out_channels, 3, padding=1) for c in side_in)

    def forward_outputs(self, inputs: Sequence[Tensor]) -> Tuple[Tensor]:
        """All outputs of the network.

        Args:
            inputs (Sequence[Tensor]): Encoder outputs, finest first.

        Returns:
            tuple[Tensor]: The fused logits (the prediction), then the
            logits of the six side outputs, finest first, all at the size
            of the finest input.
        """
        inputs = self._transform_inputs(inputs)
        decoded: List[Tensor] = [None] * len(self.decoders)
        out = inputs[-1]
        for level in reversed(range(len(self.decoders))):
            skip = inputs[level]
            out = resize_like(out, skip)
            if level > 0:
                joined = self.fusions[level - 1](out, skip)
            else:
                joined = (out, skip)
            out = self.decoders[level](torch.cat(joined, dim=1))
            decoded[level] = out
        decoded.append(inputs[-1])
        sides = [self.side_convs[0](decoded[0])]
        for conv, feature in zip(self.side_convs[1:], decoded[1:]):
            sides.append(resize_like(conv(feature), sides[0]))
        return (self.cls_seg(torch.cat(sides, dim=1)), *sides)

    def forward(self, inputs: Sequence[Tensor]) -> Union[Tensor, tuple]:
        """Forward function: all outputs (see :meth:`forward_outputs`) in
        training, the fused logits otherwise."""
        outputs = self.forward_outputs(inputs)
        return outputs if self.training else outputs[0]

    def loss_by_feat(self, seg_logits: Sequence[Tensor],
                     batch_data_samples: SampleList) -> dict:
        """``loss_decode`` of every output (the accuracy of the fused one);
        the side losses are prefixed ``side1.`` (finest) to ``side6.``."""
        losses = super().loss_by_feat(seg_logits[0], batch_data_samples)
        for index, side in enumerate(seg_logits[1:], start=1):
            side_losses = super().loss_by_feat(side, batch_data_samples)
            side_losses.pop('acc_seg')
            losses.update(add_prefix(side_losses, f'side{index}'))
        return losses

    def predict_by_feat(self, seg_logits: Union[Tensor, Sequence[Tensor]],
                        batch_img_metas: List[dict]) -> Tensor:
        """Resize the fused logits (the official prediction) to the input
        shape; side outputs, if given, are ignored."""
        if not isinstance(seg_logits, Tensor):
            seg_logits = seg_logits[0]
        return super().predict_by_feat(seg_logits, batch_img_metas)
