"""2x2 max pooling with a fast inference path on CPU."""
import torch
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
