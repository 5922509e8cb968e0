"""Decode head of DNANet: feature pyramid fusion and deep supervision."""
from typing import List, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig, SampleList
from ..layers.dnanet_res_cbam import ResCBAMBlock
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class DNANetHead(BaseDecodeHead):
    """Feature pyramid fusion head of DNANet, with deep supervision.

    From `Dense Nested Attention Network for Infrared Small Target Detection
    <https://arxiv.org/abs/2106.00487>`_. Consumes the outputs of
    :class:`~datransnet_mmseg.models.backbones.DNANetBackbone`: the top-row
    nodes ``x[0][1], ..., x[0][L - 1]`` and the last node of each deeper
    level ``x[1][L - 2], ..., x[L - 1][0]``. Each deeper node is projected
    by a 1x1 conv (``lateral_convs``) to ``channels`` and upsampled
    bilinearly (corners aligned) to full resolution; these maps, coarsest
    first, and ``x[0][L - 1]`` are concatenated and fused by a
    :class:`ResCBAMBlock`, and ``conv_seg`` (1x1) gives the prediction.

    Deep supervision: a 1x1 conv (``side_segs``) on each of the other
    top-row nodes ``x[0][1], ..., x[0][L - 2]`` gives a side output. In
    training, :meth:`forward` returns
    ``[side_1, ..., side_{L - 2}, prediction]`` (the official order) and
    each loss of ``loss_decode`` is the mean of that loss over all outputs
    (the official training averages the SoftIoU loss of the four
    outputs); otherwise it returns the prediction only, as the official
    test code uses. All outputs are logits.

    Args:
        in_channels (Sequence[int]): Channels of the backbone outputs.
            Defaults to (16, 16, 16, 16, 32, 64, 128, 256).
        channels (int): Width of the lateral projections and of the fused
            map. Defaults to 16.
        num_classes (int): Must be 2 (background and target).
            Defaults to 2.
        out_channels (int): Must be 1 (one logit channel). Defaults to 1.
        threshold (float): Probability threshold of the prediction.
            Defaults to 0.5.
        dropout_ratio (float): Dropout before ``conv_seg``. Defaults to 0
            (none in the original network).
        in_index (Sequence[int]): Backbone outputs to use.
            Defaults to (0, 1, ..., 7).
        input_transform (str): Defaults to 'multiple_select'.
        reduction (int): Width ratio of the fusion block's channel
            attention. Defaults to 16.
        norm_cfg (dict): Config of the fusion block's norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the fusion block's activations.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        loss_decode (dict or list[dict]): Loss config(s), applied to every
            output and averaged. Defaults to
            ``dict(type='SoftIoULoss', loss_weight=1.0)`` (the official
            training loss).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None: Xavier-normal conv weights, PyTorch's default
            biases and norms, as the official training initialises.
        **kwargs: Other arguments of :class:`BaseDecodeHead`.

    Notice:
        The input height and width must be multiples of 16 (see
        :class:`DNANetBackbone`).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (16, 16, 16, 16, 32, 64, 128,
                                               256),
                 channels: int = 16,
                 num_classes: int = 2,
                 out_channels: int = 1,
                 threshold: float = 0.5,
                 dropout_ratio: float = 0.,
                 in_index: Sequence[int] = tuple(range(8)),
                 input_transform: str = 'multiple_select',
                 reduction: int = 16,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 loss_decode: ConfigType = dict(
                     type='SoftIoULoss', loss_weight=1.0),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        if input_transform != 'multiple_select' or \
                len(in_channels) % 2 or len(in_channels) < 4 or \
                len(in_index) != len(in_channels):
            raise ValueError(
                'DNANetHead takes the DNANetBackbone outputs (L - 1 top-row '
                'nodes, then L - 1 deeper nodes): in_channels needs an even '
                'number (at least 4) of entries, one per selected input '
                "(in_index of the same length), and input_transform="
                f"'multiple_select'; got in_channels={tuple(in_channels)}, "
                f'in_index={tuple(in_index)}, '
                f'input_transform={input_transform!r}')
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
        self.num_sides = len(in_channels) // 2 - 1
        top_channels = in_channels[self.num_sides]
        deeper_channels = in_channels[self.num_sides + 1:]
        self.side_segs = nn.ModuleList(
            nn.Conv2d(width, out_channels, 1)
            for width in in_channels[:self.num_sides])
        self.lateral_convs = nn.ModuleList(
            nn.Conv2d(width, channels, 1) for width in deeper_channels)
        self.fusion = ResCBAMBlock(
            len(deeper_channels) * channels + top_channels,
            channels,
            reduction=reduction,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)

    def init_weights(self) -> None:
        """Xavier-normal conv weights (the official initialisation), unless
        ``init_cfg`` is given."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.xavier_normal_(module.weight)

    def forward(self, inputs: Sequence[Tensor]) -> Union[Tensor, List[Tensor]]:
        """Forward function.

        Returns:
            Tensor | list[Tensor]: In training, the side outputs and the
            prediction, (N, 1, H, W) logits each; otherwise the prediction.
        """
        inputs = self._transform_inputs(inputs)
        top = inputs[self.num_sides]
        pyramid = [
            F.interpolate(
                conv(x),
                size=top.shape[2:],
                mode='bilinear',
                align_corners=True)
            for conv, x in zip(self.lateral_convs, inputs[self.num_sides +
                                                          1:])
        ]
        fused = torch.cat(pyramid[::-1] + [top], dim=1)
        del pyramid  # free the upsampled maps before the fusion runs
        fused = self.fusion(fused)
        prediction = self.cls_seg(fused)
        if not self.training:
            return prediction
        return [conv(x) for conv, x in zip(self.side_segs, inputs)
                ] + [prediction]

    def loss_by_feat(self, seg_logits: Union[Tensor, Sequence[Tensor]],
                     batch_data_samples: SampleList) -> dict:
        """Average each loss over the outputs.

        Args:
            seg_logits (Tensor | Sequence[Tensor]): The outputs of
                :meth:`forward` in training (or the prediction alone).
            batch_data_samples (list[:obj:`SegDataSample`]): The data
                samples, with ``gt_sem_seg``.

        Returns:
            dict[str, Tensor]: Each loss averaged over the outputs, and
            ``acc_seg`` of the prediction.
        """
        if isinstance(seg_logits, Tensor):
            seg_logits = [seg_logits]
        losses = dict()
        for logits in seg_logits:
            for name, value in super().loss_by_feat(
                    logits, batch_data_samples).items():
                if 'loss' in name:
                    value = value / len(seg_logits) + losses.get(name, 0)
                losses[name] = value
        return losses
