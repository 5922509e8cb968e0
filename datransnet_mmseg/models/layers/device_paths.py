"""Which device's code paths the layers take.

A few layers compute the same function differently on CPU (channels-last
activations for narrow layers, chunked key maps without autograd, one
conv per sample instead of a grouped conv), because oneDNN and cuDNN are
fast at different things. Each such layer asks :func:`takes_cpu_paths`;
:func:`force_device_paths` makes every layer take one device's paths
whatever the tensors' device, so that the CPU test suite checks the GPU
paths against the official outputs too.
"""
from contextlib import contextmanager
from typing import Iterator, Optional

from torch import Tensor

_forced: Optional[str] = None


def takes_cpu_paths(x: Tensor) -> bool:
    """Whether a layer given ``x`` takes its CPU code paths."""
    if _forced is not None:
        return _forced == 'cpu'
    return x.device.type == 'cpu'


@contextmanager
def force_device_paths(device: str) -> Iterator[None]:
    """Take the ``'cpu'`` or the ``'gpu'`` code paths inside the block.

    Args:
        device (str): ``'cpu'`` or ``'gpu'`` (the paths of any other
            device).
    """
    global _forced
    if device not in ('cpu', 'gpu'):
        raise ValueError(f"device must be 'cpu' or 'gpu', got {device!r}")
    previous, _forced = _forced, device
    try:
        yield
    finally:
        _forced = previous
