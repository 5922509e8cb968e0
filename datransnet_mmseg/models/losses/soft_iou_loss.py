"""Soft IoU loss for one-channel (binary) logits."""
from typing import Optional

import torch.nn as nn
from torch import Tensor

from mmseg.registry import MODELS


@MODELS.register_module()
class SoftIoULoss(nn.Module):
    """Soft IoU loss over the whole batch, on binary logits.

    ``p = sigmoid(logits)``, ``g`` the binary target, sums over every pixel
    of the batch (not averaged per image, as in the DATransNet training
    code)::

        loss = 1 - (sum(p * g) + smooth) /
                   (sum(p) + sum(g) - sum(p * g) + smooth)

    Pixels labelled ``ignore_index`` (e.g. padding) are left out.

    Args:
        smooth (float): Smoothing term of numerator and denominator.
            Defaults to 1.0.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        loss_name (str): Name of the loss item; it must start with
            ``loss_`` to be included in the total loss.
            Defaults to 'loss_softiou'.
    """

    def __init__(self,
                 smooth: float = 1.0,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_softiou') -> None:
        super().__init__()
        self.smooth = smooth
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: Optional[Tensor] = None,
                ignore_index: int = 255,
                **kwargs) -> Tensor:
        """Forward function.

        Args:
            pred (Tensor): Logits of shape (N, 1, H, W).
            target (Tensor): Labels in {0, 1} (or ``ignore_index``) of shape
                (N, H, W).
            weight (Tensor, optional): Pixel weights of shape (N, H, W).
                Defaults to None.
            ignore_index (int): Label of pixels to leave out.
                Defaults to 255.

        Returns:
            Tensor: The scalar loss.
        """
        if pred.dim() != 4 or pred.shape[1] != 1:
            raise ValueError('SoftIoULoss expects one-channel logits of '
                             f'shape (N, 1, H, W), got {tuple(pred.shape)}')
        prob = pred.float().sigmoid().squeeze(1)
        valid = (target != ignore_index).to(prob.dtype)
        if weight is not None:
            valid = valid * weight
        gt = (target == 1).to(prob.dtype) * valid
        prob = prob * valid
        inter = (prob * gt).sum()
        union = prob.sum() + gt.sum() - inter
        loss = 1 - (inter + self.smooth) / (union + self.smooth)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        """Name of the loss item."""
        return self._loss_name
