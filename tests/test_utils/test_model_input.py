"""The channel count of a segmentor's tensor forward, read from its config."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from datransnet_mmseg.utils.model_input import input_channels

REPO_ROOT = Path(__file__).resolve().parents[2]

# the networks' own input conventions (their READMEs): one grey channel, or
# the grey image repeated three times as the official code reads it
EXPECTED = {
    'rdian/rdian_1xb8-adagrad-9.6k_nuaa-sirst-480x480.py': 1,
    'mshnet/mshnet_1xb4-adagrad-25.6k_nuaa-sirst-256x256.py': 3,
    'uiunet/uiunet_1xb3-adam-42.5k_nuaa-sirst-288x288.py': 3,
    'acm/acm_askcresunet_1xb16-adam-6.4k_nuaa-sirst-256x256.py': 1,
    'baselines/segformer_mit-b0_1xb4-adam-25.6k_nuaa-sirst-256x256.py': 1,
}


@pytest.mark.parametrize('config', sorted(EXPECTED))
def test_channels_of_the_zoo(config):
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / config))
    assert input_channels(cfg.model) == EXPECTED[config]


def test_rdian_runs_on_its_channels():
    """RDIAN's backbone has no ``in_channels``: its one channel comes from
    its preprocessor (a 3-channel input is refused by the network)."""
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/rdian/rdian_1xb8-adagrad-9.6k_nuaa-sirst-'
            '480x480.py'))
    assert 'in_channels' not in cfg.model.backbone
    init_default_scope('mmseg')
    model = MODELS.build(cfg.model).eval()
    with torch.no_grad():
        logits = model(torch.rand(1, input_channels(cfg.model), 32, 32),
                       mode='tensor')
        assert logits.shape[-2:] == (32, 32)
        with pytest.raises(ValueError, match='one-channel inputs'):
            model(torch.rand(1, 3, 32, 32), mode='tensor')


def test_without_mean_the_backbone_decides():
    model_cfg = Config(dict(model=dict(
        data_preprocessor=dict(type='SegDataPreProcessor'),
        backbone=dict(type='ResNetV1c', in_channels=2)))).model
    assert input_channels(model_cfg) == 2
    del model_cfg.backbone['in_channels']
    assert input_channels(model_cfg) == 3
