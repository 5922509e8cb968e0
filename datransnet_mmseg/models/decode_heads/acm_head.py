"""U-Net decoder of ACM (asymmetric contextual modulation).

Written from the description in `Asymmetric Contextual Modulation for
Infrared Small Target Detection <https://arxiv.org/abs/2009.14530>`_
(Dai et al., WACV 2021): going up, each deeper feature ``Y`` and the
encoder feature ``X`` of the next finer level are fused by asymmetric
contextual modulation, ``Z = G(Y) * X + L(X) * Y``, where ``G`` is a
top-down global channel attention computed from ``Y`` and ``L`` a
bottom-up point-wise channel attention computed from ``X``: the semantics
of deep layers re-weight the channels of the shallow, high-resolution
features, and the details kept by the shallow layers highlight the small
targets in the deep features.
"""
from typing import Sequence

import torch.nn as nn
from mmcv.cnn import ConvModule
from torch import Tensor

from mmseg.models.backbones.resnet import BasicBlock
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import ResLayer, resize
from mmseg.registry import MODELS
from mmseg.utils import ConfigType


class _ChannelGate(nn.Sequential):
    """1x1 conv, norm, ReLU, 1x1 conv, norm, sigmoid (optionally on the
    globally average-pooled input)."""

    def __init__(self, channels: int, reduction: int, pooled: bool,
                 norm_cfg: ConfigType) -> None:
        hidden = max(channels // reduction, 1)
        layers = [nn.AdaptiveAvgPool2d(1)] if pooled else []
        layers += [
            ConvModule(channels, hidden, 1, norm_cfg=norm_cfg),
            ConvModule(
                hidden,
                channels,
                1,
                norm_cfg=norm_cfg,
                act_cfg=dict(type='Sigmoid'))
        ]
        super().__init__(*layers)


class AsymmetricContextualModulation(nn.Module):
    """Fuse a deep feature ``Y`` into a shallow feature ``X`` (same shape).

    ``Z = G(Y) * X + L(X) * Y`` with ``G`` the top-down global channel
    attention of ``Y`` (one weight per channel, from the global average
    of ``Y``) and ``L`` the bottom-up point-wise channel attention of ``X``
    (one weight per channel and pixel, from that pixel of ``X``).

    Args:
        channels (int): Channels of ``X`` and ``Y``.
        reduction (int): Bottleneck ratio of both attentions.
            Defaults to 4.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='BN')``.
    """

    def __init__(self,
                 channels: int,
                 reduction: int = 4,
                 norm_cfg: ConfigType = dict(type='BN')) -> None:
        super().__init__()
        self.top_down = _ChannelGate(channels, reduction, True, norm_cfg)
        self.bottom_up = _ChannelGate(channels, reduction, False, norm_cfg)

    def forward(self, low: Tensor, high: Tensor) -> Tensor:
        """Fuse ``high`` (deep, upsampled) into ``low`` (shallow)."""
        return self.top_down(high) * low + self.bottom_up(low) * high


@MODELS.register_module()
class ACMHead(BaseDecodeHead):
    """ACM U-Net decoder (binary: one logit channel).

    From the deepest input up, each level: project the current feature to
    the width of the next finer input (1x1 conv), upsample it to that
    input's size (bilinear), fuse the two with
    :class:`AsymmetricContextualModulation` and refine with residual
    blocks. A 3x3 conv to ``channels`` and
    ``conv_seg`` give the logits at the finest input resolution; mmseg
    upsamples them to the input size.

    Args:
        in_channels (Sequence[int]): Channels of the inputs, finest first.
        channels (int): Channels before ``conv_seg``.
        num_blocks (int): Residual blocks after each fusion. Defaults to 3.
        reduction (int): Bottleneck ratio of the attentions. Defaults to 4.
        **kwargs: Arguments of :class:`BaseDecodeHead` (``num_classes``,
            ``out_channels``, ``threshold``, ``loss_decode``...);
            ``input_transform`` defaults to ``'multiple_select'``,
            ``in_index`` to every input and ``norm_cfg`` to
            ``dict(type='BN')`` (the residual blocks need a norm).
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: int,
                 num_blocks: int = 3,
                 reduction: int = 4,
                 **kwargs) -> None:
        kwargs.setdefault('input_transform', 'multiple_select')
        kwargs.setdefault('in_index', tuple(range(len(in_channels))))
        kwargs.setdefault('norm_cfg', dict(type='BN'))
        super().__init__(in_channels, channels, **kwargs)
        widths = list(self.in_channels)
        self.projections = nn.ModuleList()
        self.fusions = nn.ModuleList()
        self.refinements = nn.ModuleList()
        for deep, fine in zip(widths[:0:-1], widths[-2::-1]):
            self.projections.append(
                ConvModule(deep, fine, 1, norm_cfg=self.norm_cfg))
            self.fusions.append(
                AsymmetricContextualModulation(fine, reduction,
                                               self.norm_cfg))
            self.refinements.append(
                ResLayer(
                    BasicBlock, fine, fine, num_blocks,
                    norm_cfg=self.norm_cfg))
        self.bottleneck = ConvModule(
            widths[0],
            channels,
            3,
            padding=1,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Encoder features, finest first.

        Returns:
            Tensor: Logits at the finest input resolution.
        """
        inputs = self._transform_inputs(inputs)
        x = inputs[-1]
        for i, low in enumerate(inputs[-2::-1]):
            high = resize(
                self.projections[i](x),
                size=low.shape[2:],
                mode='bilinear',
                align_corners=self.align_corners)
            x = self.refinements[i](self.fusions[i](low, high))
        return self.cls_seg(self.bottleneck(x))
