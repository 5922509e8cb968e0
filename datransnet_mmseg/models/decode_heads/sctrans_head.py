"""Decode head of SCTransNet, with deep supervision."""
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig, SampleList
from ..layers.sctransnet_up_block import CCAUpBlock
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class SCTransHead(BaseDecodeHead):
    """Decode head of SCTransNet (binary: one logit channel).

    From `SCTransNet: Spatial-Channel Cross Transformer Network for
    Infrared Small Target Detection
    <https://doi.org/10.1109/TGRS.2024.3383649>`_. Consumes the output of
    :class:`SCTransNeck`, ``(s_1, ..., s_L, x)``: starting from the deepest
    encoder output ``x``, each :class:`CCAUpBlock` (coarsest first)
    upsamples by nearest neighbour, gates the skip ``s_i`` and fuses; the
    finest stage has ``channels`` channels and ``conv_seg`` (1x1) gives the
    prediction logits at full resolution.

    Deep supervision (the original training): a 1x1 conv to one logit on
    ``x`` and on the outputs of all but the finest decoder stage, each
    upsampled bilinearly (``align_corners=True``) to full resolution, and a
    1x1 conv fusing those side logits (finest first) with the prediction
    logits. In training, :meth:`forward` returns the side logits (coarsest
    first), the fused logits and the prediction, and every one of the six
    gets ``loss_decode`` with weight 1, summed (the original loss is the
    sum of the six binary cross-entropies). In evaluation only the
    prediction (``conv_seg``) is computed and returned; the fused map is
    trained but never the prediction.

    The head outputs logits; mmseg applies the sigmoid and ``threshold`` in
    prediction and the sigmoid cross-entropy applies it in training.

    Args:
        in_channels (Sequence[int]): Channels of the neck outputs, finest
            first. Defaults to (32, 64, 128, 256, 256).
        channels (int): Channels of the finest decoder stage.
            Defaults to 32.
        num_classes (int): Must be 2 (background and target).
            Defaults to 2.
        out_channels (int): Must be 1 (one logit channel). Defaults to 1.
        threshold (float): Probability threshold of the prediction.
            Defaults to 0.5.
        dropout_ratio (float): Dropout before ``conv_seg``. Defaults to 0
            (none in the original network).
        in_index (Sequence[int]): Neck outputs to use.
            Defaults to (0, 1, 2, 3, 4).
        input_transform (str): Defaults to 'multiple_select'.
        norm_cfg (dict): Config of the decoder norm layers.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the decoder activations.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        loss_decode (dict or list[dict]): Loss config(s), applied to every
            output. Defaults to
            ``dict(type='CrossEntropyLoss', use_sigmoid=True,
            loss_weight=1.0)`` (the original binary cross-entropy).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization;
            ``BaseDecodeHead`` would use ``Normal``).
        **kwargs: Other arguments of :class:`BaseDecodeHead`.

    Notice:
        The input height and width must be multiples of 16 (see
        :class:`SCTransNetBackbone`).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (32, 64, 128, 256, 256),
                 channels: int = 32,
                 num_classes: int = 2,
                 out_channels: int = 1,
                 threshold: float = 0.5,
                 dropout_ratio: float = 0.,
                 in_index: Sequence[int] = (0, 1, 2, 3, 4),
                 input_transform: str = 'multiple_select',
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 loss_decode: ConfigType = dict(
                     type='CrossEntropyLoss',
                     use_sigmoid=True,
                     loss_weight=1.0),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        if input_transform != 'multiple_select' or len(in_channels) < 2 or \
                len(in_index) != len(in_channels):
            raise ValueError(
                'SCTransHead takes the SCTransNeck outputs (skips, then the '
                'deepest feature): in_channels needs at least two entries, '
                "in_index the same number, input_transform='multiple_"
                f"select'; got in_channels={in_channels}, in_index="
                f'{in_index}, input_transform={input_transform!r}')
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
        skip_channels = tuple(in_channels[:-1])
        # Stage i fuses the output of stage i + 1 (the deepest feature for
        # the last stage) with skip i and has the width of skip i - 1.
        stage_out = (channels, ) + skip_channels[:-1]
        stage_low = stage_out[1:] + (in_channels[-1], )
        self.up_blocks = nn.ModuleList(
            CCAUpBlock(low, skip, out, norm_cfg, act_cfg)
            for low, skip, out in zip(stage_low, skip_channels, stage_out))
        # Side outputs on the deepest feature and the coarser stages,
        # coarsest first.
        self.side_convs = nn.ModuleList(
            nn.Conv2d(c, 1, 1) for c in reversed(stage_low))
        self.fuse_conv = nn.Conv2d(len(stage_low) + 1, 1, 1)
        # Loss-dict names of the side outputs: side<stride>, then fused.
        self.side_names = tuple(
            f'side{2**k}' for k in range(len(stage_low), 0, -1)) + ('fused', )

    def forward(self,
                inputs: Sequence[Tensor],
                side_outputs: Optional[bool] = None
                ) -> Union[Tensor, Tuple[Tensor, ...]]:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Outputs of :class:`SCTransNeck`.
            side_outputs (bool, optional): Also compute the deep-supervision
                outputs. Defaults to None: in training mode only.

        Returns:
            Tensor | tuple[Tensor]: The prediction logits (N, 1, H, W); with
            side outputs, the tuple ``(side_16, side_8, side_4, side_2,
            fused, prediction)`` of logits at full resolution (for the
            default four levels).
        """
        if side_outputs is None:
            side_outputs = self.training
        inputs = self._transform_inputs(inputs)
        out = inputs[-1]
        coarse = [out]
        for level in reversed(range(len(self.up_blocks))):
            out = self.up_blocks[level](out, inputs[level])
            if level:
                coarse.append(out)
        pred = self.cls_seg(out)
        if not side_outputs:
            return pred
        sides = [
            F.interpolate(
                conv(x),
                size=pred.shape[2:],
                mode='bilinear',
                align_corners=True)
            for conv, x in zip(self.side_convs, coarse)
        ]
        fused = self.fuse_conv(torch.cat(sides[::-1] + [pred], dim=1))
        return (*sides, fused, pred)

    def loss_by_feat(self, seg_logits: Sequence[Tensor],
                     batch_data_samples: SampleList) -> dict:
        """Loss of every output: the prediction's losses under their own
        names (and ``acc_seg``), each side output's as ``<name>.<loss>``.

        Args:
            seg_logits (Sequence[Tensor]): The outputs of :meth:`forward`
                with side outputs.
            batch_data_samples (list[:obj:`SegDataSample`]): The seg data
                samples, with ``gt_sem_seg``.

        Returns:
            dict[str, Tensor]: The loss components.
        """
        *sides, pred = seg_logits
        losses = super().loss_by_feat(pred, batch_data_samples)
        for name, logits in zip(self.side_names, sides):
            side = super().loss_by_feat(logits, batch_data_samples)
            side.pop('acc_seg')
            losses.update({f'{name}.{key}': v for key, v in side.items()})
        return losses

    def predict_by_feat(self, seg_logits: Union[Tensor, Sequence[Tensor]],
                        batch_img_metas: List[dict]) -> Tensor:
        """Resize the prediction logits (the last output when given all)
        to the input shape; see :meth:`BaseDecodeHead.predict_by_feat`."""
        if not isinstance(seg_logits, Tensor):
            seg_logits = seg_logits[-1]
        return super().predict_by_feat(seg_logits, batch_img_metas)
