"""Every IRSTD decode head of the plugin refuses a non-binary setting."""
import pytest

from peer_helpers import build_model

CONFIGS = [
    f'configs/_base_/models/{name}.py'
    for name in ('datransnet', 'acm', 'alcnet', 'dnanet', 'rdian', 'uiunet',
                 'mshnet', 'sctransnet')
]


@pytest.mark.parametrize('config', CONFIGS)
@pytest.mark.parametrize('options', [
    {'decode_head.out_channels': 2},
    {'decode_head.num_classes': 3},
])
def test_head_needs_one_logit_channel(config, options):
    with pytest.raises(ValueError,
                       match='out_channels=1 and num_classes=2'):
        build_model(config, options)
