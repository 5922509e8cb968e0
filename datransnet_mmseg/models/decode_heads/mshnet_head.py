"""Decoder and multi-scale prediction head of MSHNet."""
from typing import List, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from ..layers.mshnet_res_block import MSHNetResBlock
from ..utils.binary_head import check_binary_head


@MODELS.register_module()
class MSHNetHead(BaseDecodeHead):
    """MSHNet U-Net decoder with one logit map per level and their fusion.

    From the deepest input up, each level concatenates the encoder feature
    of that level with the (bilinearly) upsampled decoder output below it
    and refines the result with
    :class:`~datransnet_mmseg.models.layers.mshnet_res_block.MSHNetResBlock`
    s. A 1x1 convolution (``side_convs``) turns each decoder level into a
    logit map ``mask_k`` at 1/2^k of the input size. ``conv_seg`` (3x3)
    fuses ``mask_0`` with ``mask_1..3`` upsampled to full size into the
    prediction.

    ``warm_flag`` reproduces MSHNet's warm-up: while it is False only the
    finest level's logits (``mask_0``) are computed, and they are the
    prediction; the other side convolutions and ``conv_seg`` are not used.
    It is True by default (prediction = fused logits, as MSHNet tests);
    :class:`~datransnet_mmseg.engine.hooks.DeepSupervisionWarmupHook` sets
    it during training. The loss follows the same flag
    (:meth:`loss_by_feat`).

    Notice:
        Height and width of the input must be multiples of 16 (checked by
        :class:`~datransnet_mmseg.models.backbones.MSHNetBackbone`).

    Args:
        in_channels (Sequence[int]): Channels of the encoder outputs,
            finest first. Defaults to (16, 32, 64, 128, 256).
        num_blocks (Sequence[int]): Residual blocks of each decoder level,
            finest first (one entry fewer than ``in_channels``).
            Defaults to (1, 2, 2, 2).
        warm_flag (bool): Whether the multi-scale outputs and their fusion
            are used (see above). Defaults to True.
        **kwargs: Arguments of :class:`BaseDecodeHead` (``num_classes``,
            ``out_channels`` (must be 1), ``threshold``, ``loss_decode``,
            ``norm_cfg``...). ``channels`` is set to the number of fused
            maps; ``input_transform`` defaults to ``'multiple_select'``,
            ``in_index`` to every input, ``norm_cfg`` to ``dict(type='BN')``,
            ``dropout_ratio`` to 0, ``align_corners`` (of every upsampling)
            to True and ``init_cfg`` to None (PyTorch's default
            initialisation), as in MSHNet.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (16, 32, 64, 128, 256),
                 num_blocks: Sequence[int] = (1, 2, 2, 2),
                 warm_flag: bool = True,
                 **kwargs) -> None:
        kwargs.setdefault('input_transform', 'multiple_select')
        kwargs.setdefault('in_index', tuple(range(len(in_channels))))
        kwargs.setdefault('norm_cfg', dict(type='BN'))
        kwargs.setdefault('dropout_ratio', 0.)
        kwargs.setdefault('align_corners', True)
        kwargs.setdefault('init_cfg', None)
        super().__init__(in_channels, len(in_channels) - 1, **kwargs)
        check_binary_head(self)
        widths = list(self.in_channels)
        if len(num_blocks) != len(widths) - 1:
            raise ValueError(
                f'num_blocks needs {len(widths) - 1} entries (one per '
                f'decoder level), got {len(num_blocks)}')
        self.decode_stages = nn.ModuleList()
        for level, blocks in enumerate(num_blocks):
            fused = widths[level] + widths[level + 1]
            self.decode_stages.append(
                nn.Sequential(*[
                    MSHNetResBlock(fused if i == 0 else widths[level],
                                   widths[level], self.norm_cfg)
                    for i in range(blocks)
                ]))
        self.side_convs = nn.ModuleList(
            nn.Conv2d(width, 1, 1) for width in widths[:-1])
        self.conv_seg = nn.Conv2d(self.channels, 1, 3, padding=1)
        self.warm_flag = warm_flag

    def _up(self, x: Tensor, like: Tensor) -> Tensor:
        return F.interpolate(
            x,
            size=like.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)

    def forward_outputs(self, inputs: Sequence[Tensor]) -> List[Tensor]:
        """Every logit map the current ``warm_flag`` uses.

        Args:
            inputs (Sequence[Tensor]): Encoder features, finest first.

        Returns:
            list[Tensor]: ``[mask_0, mask_1, mask_2, mask_3, prediction]``
            (``mask_k`` at 1/2^k of the input size, the prediction at full
            size) when ``warm_flag`` is True, else ``[mask_0]``.
        """
        inputs = self._transform_inputs(inputs)
        x = inputs[-1]
        masks = [None] * len(self.decode_stages)
        for level in reversed(range(len(self.decode_stages))):
            skip = inputs[level]
            # rebinding x frees the level below before the stage runs
            x = torch.cat([skip, self._up(x, skip)], 1)
            x = self.decode_stages[level](x)
            if self.warm_flag or level == 0:
                masks[level] = self.side_convs[level](x)
        if not self.warm_flag:
            return masks[:1]
        fused = torch.cat([masks[0]] +
                          [self._up(mask, masks[0]) for mask in masks[1:]], 1)
        return masks + [self.cls_seg(fused)]

    def forward(self, inputs: Sequence[Tensor]) -> Union[Tensor, List[Tensor]]:
        """Forward function.

        Args:
            inputs (Sequence[Tensor]): Encoder features, finest first.

        Returns:
            list[Tensor] | Tensor: In training, every output of
            :meth:`forward_outputs` (for the deep supervision); otherwise
            only the prediction, logits of shape (N, 1, H, W).
        """
        outputs = self.forward_outputs(inputs)
        return outputs if self.training else outputs[-1]

    def loss_by_feat(self, seg_logits: List[Tensor],
                     batch_data_samples: SampleList) -> dict:
        """MSHNet's deep supervision: the loss of each output, averaged.

        ``mask_k`` is compared with the ground truth max-pooled by 2x2
        windows ``k`` times (a pooled pixel is a target if any of its
        pixels is; ignored if any is ignored), the prediction with the full
        ground truth. While ``warm_flag`` is False (one output), the losses
        get ``warmup=True`` (:class:`SLSIoULoss` is then a plain soft IoU).

        Args:
            seg_logits (list[Tensor]): Outputs of :meth:`forward_outputs`.
            batch_data_samples (list[:obj:`SegDataSample`]): Samples with
                ``gt_sem_seg``.

        Returns:
            dict[str, Tensor]: One averaged loss per ``loss_decode``.
        """
        label = self._stack_batch_gt(batch_data_samples).float()
        labels = [label]
        for _ in range(len(seg_logits) - 2):
            labels.append(F.max_pool2d(labels[-1], 2))
        if self.warm_flag:
            labels.append(label)
        losses_decode = self.loss_decode if isinstance(
            self.loss_decode, nn.ModuleList) else [self.loss_decode]
        losses = dict()
        for loss_decode in losses_decode:
            total = 0
            for logits, target in zip(seg_logits, labels):
                if logits.shape[2:] != target.shape[2:]:
                    raise ValueError(
                        f'output of size {tuple(logits.shape[2:])} does not '
                        f'match its ground truth {tuple(target.shape[2:])}; '
                        'H and W must be multiples of 16.')
                total = total + loss_decode(
                    logits,
                    target.squeeze(1),
                    ignore_index=self.ignore_index,
                    warmup=not self.warm_flag)
            name = loss_decode.loss_name
            losses[name] = losses.get(name, 0) + total / len(seg_logits)
        return losses
