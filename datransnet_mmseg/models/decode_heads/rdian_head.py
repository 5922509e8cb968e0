"""Decoder of RDIAN (receptive-field and direction induced attention)."""
from typing import Sequence

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import Tensor

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig
from ..layers.rdian_init import rdian_init_weights
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class RDIANHead(BaseDecodeHead):
    """Decoder of RDIAN.

    The attended half-resolution feature of :class:`RDIANBackbone` is
    resized bilinearly to the full resolution (``align_corners=False``)
    and added to a 1x1 projection (``shortcut``) of the full-resolution
    feature; a ReLU, a 3x3 conv-norm-ReLU (``conv``), dropout and the 1x1
    classifier ``conv_seg`` follow (the official FCN head).

    Args:
        in_channels (Sequence[int]): Channels of the full- and
            half-resolution features. Defaults to (16, 32).
        channels (int): Width of the 3x3 convolution. Defaults to 8.
        in_index (Sequence[int]): Indices of the two features in the
            backbone outputs. Defaults to (0, 1).
        shortcut_act_cfg (dict): Activation of the shortcut projection.
            Defaults to LeakyReLU with slope 0.01.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None: the official training initialisation
            (:func:`rdian_init_weights`).
        **kwargs: Arguments of :class:`BaseDecodeHead` (``num_classes``,
            ``out_channels``, ``dropout_ratio``, ``norm_cfg``, ...).

    Notice:
        Any input size is accepted: the half-resolution feature is resized
        to the exact size of the full-resolution one.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (16, 32),
                 channels: int = 8,
                 in_index: Sequence[int] = (0, 1),
                 shortcut_act_cfg: ConfigType = dict(
                     type='LeakyReLU', negative_slope=0.01),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        super().__init__(
            in_channels,
            channels,
            in_index=in_index,
            input_transform='multiple_select',
            init_cfg=init_cfg,
            **kwargs)
        check_binary_head(self)
        if len(self.in_channels) != 2:
            raise ValueError('RDIANHead takes two features (full and half '
                             'resolution), got in_channels='
                             f'{self.in_channels}')
        full, half = self.in_channels
        self.shortcut = ConvModule(
            full,
            half,
            1,
            norm_cfg=self.norm_cfg,
            act_cfg=shortcut_act_cfg)
        self.conv = ConvModule(
            half,
            channels,
            3,
            padding=1,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)

    def init_weights(self) -> None:
        """The official initialisation, or ``init_cfg`` when given."""
        if self.init_cfg is None:
            rdian_init_weights(self)
        else:
            super().init_weights()

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Backbone outputs.

        Returns:
            Tensor: Logits of shape (N, out_channels, H, W) at the size of
            the full-resolution feature.
        """
        full, half = self._transform_inputs(inputs)
        # the resized map is a fresh tensor that no backward pass needs:
        # the sum and the ReLU run in it
        x = F.interpolate(
            half, size=full.shape[2:], mode='bilinear',
            align_corners=self.align_corners)
        x = x.add_(self.shortcut(full)).relu_()
        return self.cls_seg(self.conv(x))
