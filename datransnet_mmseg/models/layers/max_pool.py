"""Max pooling with fast inference paths on CPU."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


def max_pool2x2(x: Tensor) -> Tensor:
    """2x2 max pooling, stride 2, of an input with even height and width.

    Without autograd, the maximum of the four strided sub-grids is taken:
    the same values as ``F.max_pool2d(x, 2)`` and several times faster for
    NCHW tensors on CPU. With autograd, ``F.max_pool2d`` is used, whose
    gradient goes to a single maximum per window (``torch.maximum`` would
    split it between ties).

    Args:
        x (Tensor): Input of shape (N, C, H, W), H and W even.

    Returns:
        Tensor: Output of shape (N, C, H / 2, W / 2).
    """
    if x.requires_grad and torch.is_grad_enabled():
        return F.max_pool2d(x, 2)
    return torch.maximum(
        torch.maximum(x[..., 0::2, 0::2], x[..., 0::2, 1::2]),
        torch.maximum(x[..., 1::2, 0::2], x[..., 1::2, 1::2]))


def max_pool3x3s2(x: Tensor) -> Tensor:
    """3x3 max pooling, stride 2, padding 1, of an input with even height
    and width.

    Without autograd, the windows are reduced separably (rows, then
    columns) with ``torch.maximum`` of strided views: the same values as
    ``F.max_pool2d(x, 3, 2, 1)`` and several times faster on CPU. With
    autograd, ``F.max_pool2d`` is used (see :func:`max_pool2x2`).

    Args:
        x (Tensor): Input of shape (N, C, H, W), H and W even.

    Returns:
        Tensor: Output of shape (N, C, H / 2, W / 2).
    """
    if x.requires_grad and torch.is_grad_enabled():
        return F.max_pool2d(x, 3, 2, 1)
    # output row i covers input rows 2i - 1, 2i and 2i + 1
    rows = torch.maximum(x[..., 0::2, :], x[..., 1::2, :])
    torch.maximum(rows[..., 1:, :], x[..., 1:-1:2, :], out=rows[..., 1:, :])
    out = torch.maximum(rows[..., 0::2], rows[..., 1::2])
    torch.maximum(out[..., 1:], rows[..., 1:-1:2], out=out[..., 1:])
    return out


class MaxPool3x3S2(nn.Module):
    """Module form of :func:`max_pool3x3s2`."""

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        return max_pool3x3s2(x)
