"""U-Net decoder of ACM as BasicIRSTD's PyTorch port builds it."""
from typing import Sequence

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from torch import Tensor

from mmseg.models.backbones.resnet import BasicBlock
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.acm_modulation import AsymmetricContextualModulation
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class ACMHead(BaseDecodeHead):
    """U-Net decoder of ACM (ASKCResUNet; binary: one logit channel).

    From `Asymmetric Contextual Modulation for Infrared Small Target
    Detection <https://arxiv.org/abs/2009.14530>`_, as computed by the
    PyTorch port in BasicIRSTD, on the stages of :class:`ASKCResNet`.
    From the deepest input up, each level: a 4x4 transposed conv with
    stride 2 (with bias) to the width of the next finer input,
    :class:`AsymmetricContextualModulation` of the upsampled map (deep)
    with that input (shallow), then ``num_blocks`` basic residual blocks.
    On the finest level, a 3x3 conv (no bias) to ``channels``, norm, ReLU,
    element-wise dropout and ``conv_seg`` give the logits, which are
    upsampled bilinearly by ``upsample_factor`` (``align_corners=False``)
    to the input resolution.

    The port returns ``sigmoid`` of these logits; the head returns the
    logits (mmseg applies the sigmoid and ``threshold`` in prediction,
    :class:`SoftIoULoss` in training).

    Args:
        in_channels (Sequence[int]): Channels of the encoder stages, finest
            first. Defaults to (16, 32, 64).
        channels (int): Channels before ``conv_seg``. Defaults to 4 (a
            quarter of the finest input, as in the port).
        num_blocks (int): Basic blocks after each fusion. Defaults to 3.
        reduction (int): Bottleneck ratio of the modulation's gates.
            Defaults to 4.
        upsample_factor (int): Stride of the finest input; the logits are
            upsampled by it. Defaults to 4.
        dropout_ratio (float): Element-wise dropout before ``conv_seg``
            (``nn.Dropout``, as the port, not ``BaseDecodeHead``'s
            channel-wise ``nn.Dropout2d``). Defaults to 0.1.
        norm_cfg (dict): Norm of the fusions and of the last 3x3 conv.
            Defaults to ``dict(type='BN', momentum=0.9)`` (the port's
            value, see :class:`ASKCResNet`).
        block_norm_cfg (dict): Norm inside the basic blocks.
            Defaults to ``dict(type='BN')``.
        num_classes (int): Must be 2 (background and target).
            Defaults to 2.
        out_channels (int): Must be 1 (one logit channel). Defaults to 1.
        threshold (float): Probability threshold of the prediction.
            Defaults to 0.5.
        in_index (Sequence[int]): Encoder outputs to use.
            Defaults to (0, 1, 2).
        input_transform (str): Defaults to 'multiple_select'.
        loss_decode (dict or list[dict]): Loss config(s). Defaults to
            ``dict(type='SoftIoULoss', loss_weight=1.0)`` (the port's
            training loss).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization, as the
            port; ``BaseDecodeHead`` would use ``Normal``).
        **kwargs: Other arguments of :class:`BaseDecodeHead`.

    Notice:
        Every input must have exactly twice the height and width of the
        next deeper one (input height and width multiples of 16 with
        :class:`ASKCResNet`'s defaults).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (16, 32, 64),
                 channels: int = 4,
                 num_blocks: int = 3,
                 reduction: int = 4,
                 upsample_factor: int = 4,
                 dropout_ratio: float = 0.1,
                 norm_cfg: ConfigType = dict(type='BN', momentum=0.9),
                 block_norm_cfg: ConfigType = dict(type='BN'),
                 num_classes: int = 2,
                 out_channels: int = 1,
                 threshold: float = 0.5,
                 in_index: Sequence[int] = (0, 1, 2),
                 input_transform: str = 'multiple_select',
                 loss_decode: ConfigType = dict(
                     type='SoftIoULoss', loss_weight=1.0),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        super().__init__(
            in_channels,
            channels,
            num_classes=num_classes,
            out_channels=out_channels,
            threshold=threshold,
            dropout_ratio=dropout_ratio,
            norm_cfg=norm_cfg,
            in_index=in_index,
            input_transform=input_transform,
            loss_decode=loss_decode,
            init_cfg=init_cfg,
            **kwargs)
        check_binary_head(self)
        self.upsample_factor = upsample_factor
        self.up_convs = nn.ModuleList()
        self.fusions = nn.ModuleList()
        self.refines = nn.ModuleList()
        widths = list(self.in_channels)
        for deep, fine in zip(widths[:0:-1], widths[-2::-1]):
            self.up_convs.append(
                nn.ConvTranspose2d(deep, fine, 4, stride=2, padding=1))
            self.fusions.append(
                AsymmetricContextualModulation(fine, reduction, norm_cfg))
            self.refines.append(
                nn.Sequential(*[
                    BasicBlock(fine, fine, norm_cfg=block_norm_cfg)
                    for _ in range(num_blocks)
                ]))
        self.bottleneck = nn.Sequential(
            nn.Conv2d(widths[0], channels, 3, padding=1, bias=False),
            build_norm_layer(norm_cfg, channels)[1], nn.ReLU(inplace=True))
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 \
            else None

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Encoder stages, finest first.

        Returns:
            Tensor: Logits of shape (B, 1, H, W), ``upsample_factor``
            times the finest input's size.
        """
        inputs = self._transform_inputs(inputs)
        x = inputs[-1]
        for i, skip in enumerate(inputs[-2::-1]):
            x = self.up_convs[i](x)
            x = self.refines[i](self.fusions[i](x, skip))
        x = self.cls_seg(self.bottleneck(x))
        return F.interpolate(
            x,
            scale_factor=self.upsample_factor,
            mode='bilinear',
            align_corners=False)
