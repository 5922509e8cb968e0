"""The plugin's binary decode heads predict one logit channel."""
from mmseg.models.decode_heads.decode_head import BaseDecodeHead


def check_binary_head(head: BaseDecodeHead) -> None:
    """Raise unless ``head`` (built) predicts one logit channel.

    IRSTD is binary: the heads give one logit map, ``num_classes=2`` and
    ``out_channels=1`` (mmseg then thresholds the sigmoid at
    ``threshold``). Call after ``BaseDecodeHead.__init__``.

    Args:
        head (BaseDecodeHead): The head.

    Raises:
        ValueError: If ``out_channels`` is not 1 or ``num_classes`` not 2.
    """
    if head.out_channels != 1 or head.num_classes != 2:
        raise ValueError(
            f'{type(head).__name__} is a binary head with one logit channel:'
            ' it needs out_channels=1 and num_classes=2 (and a threshold, '
            f'e.g. 0.5), got out_channels={head.out_channels}, '
            f'num_classes={head.num_classes}')
