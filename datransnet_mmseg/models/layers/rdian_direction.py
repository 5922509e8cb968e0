"""Fixed direction kernels of RDIAN's direction-induced attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

# (row, column) offsets from the kernel centre of the eight directions, in
# the official order: top-left, top, top-right, right, bottom-right,
# bottom, bottom-left, left. Direction ``k`` and ``k + 4`` are opposite.
DIRECTION_OFFSETS = ((-2, -2), (-2, 0), (-2, 2), (0, 2), (2, 2), (2, 0),
                     (2, -2), (0, -2))


def direction_kernels() -> Tensor:
    """The eight 5x5 direction kernels, shape (8, 1, 5, 5): +1 at the
    centre and -1 two pixels away in one direction (see
    :data:`DIRECTION_OFFSETS`)."""
    kernels = torch.zeros(len(DIRECTION_OFFSETS), 1, 5, 5)
    kernels[:, 0, 2, 2] = 1
    for k, (dy, dx) in enumerate(DIRECTION_OFFSETS):
        kernels[k, 0, 2 + dy, 2 + dx] = -1
    return kernels


class DirectionKernels(nn.Module):
    """Difference of each pixel with its neighbour two pixels away, in
    eight directions.

    A 5x5 cross-correlation (zero padding 2, no bias) of a one-channel map
    with :func:`direction_kernels`, all eight in one convolution. The
    kernels are fixed: they are a persistent buffer, saved in and loaded
    from checkpoints (official checkpoints store them too) but never
    trained.

    Notice:
        The input must have exactly one channel.
    """

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer('kernels', direction_kernels())

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor): One-channel input of shape (N, 1, H, W).

        Returns:
            Tensor: The eight responses, shape (N, 8, H, W), channel ``k``
            for direction ``k``.
        """
        if x.dim() != 4 or x.shape[1] != 1:
            raise ValueError('the direction kernels take one-channel inputs '
                             f'of shape (N, 1, H, W), got {tuple(x.shape)}; '
                             'load grey images (LoadIRImageFromFile) and '
                             'keep repeat_channels=1')
        return F.conv2d(x, self.kernels, padding=2)
