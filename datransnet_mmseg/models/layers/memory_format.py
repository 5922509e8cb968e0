"""Memory format of a layer's activations on CPU."""
import torch
from torch import Tensor

from .device_paths import takes_cpu_paths

# On CPU, layers at most this wide run in channels-last (see below).
MAX_CHANNELS_LAST_WIDTH = 32


def cpu_memory_format(x: Tensor, width: int) -> Tensor:
    """Put ``x`` in the memory format its layer runs best in on CPU.

    oneDNN's convolutions of default-format (NCHW) tensors reorder input
    and output to a blocked format: for layers with few channels at high
    resolution that costs more than the arithmetic, and its channels-last
    kernels run several times faster. Those add up all products of an
    output (9 x input channels) in one sequence, which loses accuracy in
    wide layers, where the blocked format is as fast anyway. So on CPU, a
    layer whose widest conv has at most ``MAX_CHANNELS_LAST_WIDTH``
    channels runs channels-last and a wider one in the default format;
    on other devices (see :mod:`.device_paths`) the caller's format is
    kept.

    Args:
        x (Tensor): Input of the layer.
        width (int): Largest channel count of the layer's convs.

    Returns:
        Tensor: ``x``, or a copy in the chosen memory format.
    """
    if not takes_cpu_paths(x):
        return x
    if width <= MAX_CHANNELS_LAST_WIDTH:
        return x.contiguous(memory_format=torch.channels_last)
    return x.contiguous()
