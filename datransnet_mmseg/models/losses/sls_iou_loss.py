"""Scale and Location Sensitive (SLS) loss of MSHNet."""
import math
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor

from mmseg.registry import MODELS

# Smoothing of the location term (MSHNet's value); the IoU has none.
LOCATION_EPS = 1e-8


def location_loss(prob: Tensor, gt: Tensor) -> Tensor:
    """Location term of the SLS loss, averaged over the batch.

    For each image, ``(cx, cy)`` is the mean over all pixels of
    ``x * map`` and ``y * map`` (``x = column / W``, ``y = row / H``): the
    first moment of the map scaled by its mass / (H W), not its centroid.
    With ``P`` from the probabilities and ``T`` from the target, the term is
    ``1 - min(|P|, |T|) / max(|P|, |T|) + 4 / pi^2 * (atan(P_y / P_x) -
    atan(T_y / T_x))^2``: a length ratio and an angle difference, both
    seen from the top-left corner.

    Args:
        prob (Tensor): Probabilities of shape (N, H, W).
        gt (Tensor): Binary targets of shape (N, H, W).

    Returns:
        Tensor: The scalar location term.
    """
    height, width = prob.shape[1:]
    x = torch.arange(width, dtype=prob.dtype, device=prob.device) / width
    y = torch.arange(height, dtype=prob.dtype, device=prob.device) / height
    maps = torch.stack([prob, gt], 1)
    cx = maps.sum(2) @ x / (height * width)
    cy = maps.sum(3) @ y / (height * width)
    angle = torch.atan(cy / (cx + LOCATION_EPS))
    length = torch.sqrt(cx * cx + cy * cy + LOCATION_EPS)
    angle_term = 4 / math.pi**2 * (angle[:, 0] - angle[:, 1])**2
    length_term = length.amin(1) / (length.amax(1) + LOCATION_EPS)
    return (1 - length_term + angle_term).mean()


@MODELS.register_module()
class SLSIoULoss(nn.Module):
    """Scale and Location Sensitive loss (MSHNet, CVPR 2024), on logits.

    With ``p = sigmoid(logits)`` and ``g`` the binary target, per image
    ``I = sum(p g)``, ``P = sum(p)``, ``T = sum(g)``, ``IoU = I / (P + T -
    I)`` (no smoothing) and the scale weight ``alpha = (min(P, T) + d) /
    (max(P, T) + d)`` with ``d = ((P - T) / 2)^2``::

        loss = 1 - mean_batch(alpha * IoU) + location_loss(p, g)

    (:func:`location_loss`). During MSHNet's warm-up (``warmup=True``) the
    loss is the plain per-image soft IoU, ``1 - mean_batch(IoU)``. An image
    without target has ``IoU = 0``. Pixels labelled ``ignore_index`` (e.g.
    padding) count as background with probability 0.

    Args:
        with_location (bool): Add the location term after the warm-up
            (MSHNet's ``with_shape``). Defaults to True.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        loss_name (str): Name of the loss item; it must start with
            ``loss_`` to be included in the total loss.
            Defaults to 'loss_sls'.
    """

    def __init__(self,
                 with_location: bool = True,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_sls') -> None:
        super().__init__()
        self.with_location = with_location
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: Optional[Tensor] = None,
                ignore_index: int = 255,
                warmup: bool = False,
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
            warmup (bool): Plain soft IoU (MSHNet's warm-up epochs).
                Defaults to False.

        Returns:
            Tensor: The scalar loss.
        """
        if pred.dim() != 4 or pred.shape[1] != 1:
            raise ValueError('SLSIoULoss expects one-channel logits of shape '
                             f'(N, 1, H, W), got {tuple(pred.shape)}')
        if target.shape != pred.shape[:1] + pred.shape[2:]:
            raise ValueError(
                f'SLSIoULoss expects targets of shape (N, H, W) = '
                f'{tuple(pred.shape[:1] + pred.shape[2:])}, got '
                f'{tuple(target.shape)}')
        prob = pred.float().sigmoid().squeeze(1)
        valid = (target != ignore_index).to(prob.dtype)
        if weight is not None:
            valid = valid * weight
        gt = (target == 1).to(prob.dtype) * valid
        prob = prob * valid
        inter = (prob * gt).sum((1, 2))
        pred_sum = prob.sum((1, 2))
        gt_sum = gt.sum((1, 2))
        iou = inter / (pred_sum + gt_sum - inter)
        if warmup:
            return self.loss_weight * (1 - iou.mean())
        dis = ((pred_sum - gt_sum) / 2)**2
        alpha = (torch.minimum(pred_sum, gt_sum) + dis) / (
            torch.maximum(pred_sum, gt_sum) + dis)
        loss = 1 - (alpha * iou).mean()
        if self.with_location:
            loss = loss + location_loss(prob, gt)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        """Name of the loss item."""
        return self._loss_name
