"""Data preprocessor for one-channel infrared images."""
from typing import Any, Dict

from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS


@MODELS.register_module()
class IRSTDDataPreProcessor(SegDataPreProcessor):
    """:class:`SegDataPreProcessor` that can feed a grey image to a network
    built for several input channels.

    Several IRSTD networks read their grey images as RGB (three equal
    channels) and normalise them with per-channel statistics (e.g.
    ImageNet's). The plugin loads one channel; with ``repeat_channels=3``
    that channel is repeated before normalisation, so ``mean`` and ``std``
    take one value per repeated channel and the network sees exactly what
    its official pipeline gives it.

    Args:
        repeat_channels (int): Channels the network takes; each
            one-channel input is repeated to this many. 1 (default) leaves
            the input unchanged.
        **kwargs: Arguments of :class:`SegDataPreProcessor`.
    """

    def __init__(self, repeat_channels: int = 1, **kwargs) -> None:
        if not isinstance(repeat_channels, int) or repeat_channels < 1:
            raise ValueError('repeat_channels must be a positive int, got '
                             f'{repeat_channels!r}')
        super().__init__(**kwargs)
        self.repeat_channels = repeat_channels

    def forward(self, data: Dict[str, Any], training: bool = False) -> dict:
        """Repeat the one-channel inputs, then run
        :meth:`SegDataPreProcessor.forward`."""
        if self.repeat_channels > 1:
            data = dict(data, inputs=[self._repeat(x) for x in data['inputs']])
        return super().forward(data, training)

    def _repeat(self, inputs):
        if inputs.shape[0] != 1:
            raise ValueError(
                f'repeat_channels={self.repeat_channels} needs one-channel '
                f'inputs, got {inputs.shape[0]} channels; load the images '
                'with IRImageToGrey (one channel) or set '
                'repeat_channels=1.')
        return inputs.expand(self.repeat_channels, *inputs.shape[1:])
