"""Complementary feed-forward network of SCTransNet."""
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import OptMultiConfig


class ComplementaryFFN(BaseModule):
    """Feed-forward network with two depth-wise branches and an ECA gate.

    A 1x1 conv widens the input to ``2 * hidden`` channels; the first half
    goes through a depth-wise 3x3 conv, the second through a depth-wise 5x5
    conv, both followed by ReLU; a 1x1 conv projects the concatenation back
    to ``channels``, and an efficient channel attention (ECA) gate rescales
    the channels: ``sigmoid(conv1d(global average))``, the 1D conv running
    across channels. No conv has a bias.

    Args:
        channels (int): Input and output channels.
        expansion (float): ``hidden = int(channels * expansion)``.
            Defaults to 2.66.
        eca_kernel_size (int): Kernel size of the ECA conv (odd).
            Defaults to 3.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 channels: int,
                 expansion: float = 2.66,
                 eca_kernel_size: int = 3,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        hidden = int(channels * expansion)
        self.project_in = nn.Conv2d(channels, 2 * hidden, 1, bias=False)
        self.dwconv3 = nn.Conv2d(
            hidden, hidden, 3, padding=1, groups=hidden, bias=False)
        self.dwconv5 = nn.Conv2d(
            hidden, hidden, 5, padding=2, groups=hidden, bias=False)
        self.project_out = nn.Conv2d(2 * hidden, channels, 1, bias=False)
        self.eca = nn.Conv1d(
            1, 1, eca_kernel_size, padding=eca_kernel_size // 2, bias=False)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        x3, x5 = self.project_in(x).chunk(2, dim=1)
        x = torch.cat([self.act(self.dwconv3(x3)),
                       self.act(self.dwconv5(x5))],
                      dim=1)
        x = self.project_out(x)
        gate = self.eca(x.mean(dim=(2, 3)).unsqueeze(1)).sigmoid()
        return x * gate.view(x.shape[0], -1, 1, 1)
