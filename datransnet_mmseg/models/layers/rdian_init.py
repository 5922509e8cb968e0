"""The weight initialisation of RDIAN's official training."""
import torch.nn as nn


def rdian_init_weights(module: nn.Module) -> None:
    """Initialise ``module`` and its children as the official RDIAN
    training does.

    Convolution weights are drawn from N(0, 0.02) (their biases keep
    PyTorch's default), batch-norm weights from N(1, 0.02) and batch-norm
    biases from N(0, 1) (the official call gives only the mean, so the
    standard deviation is 1). Linear layers keep PyTorch's default; buffers
    (such as the fixed direction kernels) are left alone.

    Args:
        module (nn.Module): The module to initialise, in place.
    """
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.normal_(m.weight, 0, 0.02)
        elif isinstance(m, (nn.BatchNorm2d, nn.SyncBatchNorm)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.normal_(m.bias, 0.0, 1.0)
