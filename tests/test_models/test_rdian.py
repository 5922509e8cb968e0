"""RDIAN: the fixed direction kernels, input sizes, the segmentor."""
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from peer_helpers import build_model
from datransnet_mmseg.models import RDIANBackbone
from datransnet_mmseg.models.official import convert_official_peer_checkpoint

CONFIG = 'configs/_base_/models/rdian.py'

# The official kernels d11 ... d18, written out: +1 at the centre, -1 two
# pixels away towards top-left, top, top-right, right, bottom-right,
# bottom, bottom-left and left.
_ = 0
EXPECTED_KERNELS = [
    [[-1, _, _, _, _], [_, _, _, _, _], [_, _, 1, _, _], [_, _, _, _, _],
     [_, _, _, _, _]],
    [[_, _, -1, _, _], [_, _, _, _, _], [_, _, 1, _, _], [_, _, _, _, _],
     [_, _, _, _, _]],
    [[_, _, _, _, -1], [_, _, _, _, _], [_, _, 1, _, _], [_, _, _, _, _],
     [_, _, _, _, _]],
    [[_, _, _, _, _], [_, _, _, _, _], [_, _, 1, _, -1], [_, _, _, _, _],
     [_, _, _, _, _]],
    [[_, _, _, _, _], [_, _, _, _, _], [_, _, 1, _, _], [_, _, _, _, _],
     [_, _, _, _, -1]],
    [[_, _, _, _, _], [_, _, _, _, _], [_, _, 1, _, _], [_, _, _, _, _],
     [_, _, -1, _, _]],
    [[_, _, _, _, _], [_, _, _, _, _], [_, _, 1, _, _], [_, _, _, _, _],
     [-1, _, _, _, _]],
    [[_, _, _, _, _], [_, _, _, _, _], [-1, _, 1, _, _], [_, _, _, _, _],
     [_, _, _, _, _]],
]


def expected_kernels():
    return torch.tensor(EXPECTED_KERNELS, dtype=torch.float32).unsqueeze(1)


def tiny_batch(size=(24, 40)):
    inputs, samples = [], []
    for i in range(2):
        inputs.append(torch.randint(0, 256, (1, *size)).float())
        label = torch.zeros(1, *size, dtype=torch.long)
        label[0, 8 + i:12 + i, 16:20] = 1
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(dict(img_shape=size, ori_shape=size))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_direction_kernels_are_the_official_patterns():
    backbone = RDIANBackbone()
    assert 'direction.kernels' in backbone.state_dict()
    assert torch.equal(backbone.direction.kernels, expected_kernels())
    backbone.init_weights()
    assert torch.equal(backbone.direction.kernels, expected_kernels())


def test_direction_responses_by_hand():
    """A single bright pixel: each direction's response is the pixel minus
    its neighbour two pixels away; the gate multiplies opposite ones."""
    x = torch.zeros(1, 1, 7, 7)
    x[0, 0, 3, 3] = 2.0
    x[0, 0, 1, 3] = 0.5  # two pixels above
    responses = RDIANBackbone().direction(x)
    # at the bright pixel: 2 - 0.5 upwards, 2 - 0 elsewhere
    assert responses[0, :, 3, 3].tolist() == [2, 1.5, 2, 2, 2, 2, 2, 2]
    # directly above it (at (1, 3)): 0.5 - 0 upwards, 0.5 - 2 downwards
    assert responses[0, 1, 1, 3].item() == 0.5
    assert responses[0, 5, 1, 3].item() == -1.5


def test_direction_kernels_stay_fixed_in_a_training_step():
    torch.manual_seed(0)
    model = build_model(CONFIG)
    model.init_weights()
    model.train()
    optim_wrapper = build_optim_wrapper(
        model,
        dict(
            type='OptimWrapper',
            optimizer=dict(type='Adagrad', lr=0.005, weight_decay=1e-4)))
    kernels = model.backbone.direction.kernels
    optimised = [
        p for group in optim_wrapper.optimizer.param_groups
        for p in group['params']
    ]
    assert not any(p is kernels for p in optimised)
    before = [p.detach().clone() for p in model.parameters()]
    log_vars = model.train_step(tiny_batch(), optim_wrapper)
    assert torch.isfinite(log_vars['loss'])
    assert torch.equal(model.backbone.direction.kernels, expected_kernels())
    changed = sum(not torch.equal(b, p)
                  for b, p in zip(before, model.parameters()))
    assert changed == len(before)


@pytest.mark.parametrize('size', [(1, 1), (3, 5), (37, 53)])
def test_any_input_size(size):
    model = build_model(CONFIG).eval()
    with torch.no_grad():
        logits = model(torch.rand(2, 1, *size), mode='tensor')
    assert logits.shape == (2, 1, *size)
    stem, half = model.backbone(torch.rand(1, 1, *size))
    assert half.shape[2:] == ((size[0] + 1) // 2, (size[1] + 1) // 2)


def test_one_channel_input_only():
    with pytest.raises(ValueError, match=r'one-channel .* got \(1, 3, 8, 8\)'):
        RDIANBackbone()(torch.rand(1, 3, 8, 8))


def test_official_initialisation():
    """Convolutions N(0, 0.02); batch norms: weight N(1, 0.02), bias
    N(0, 1)."""
    torch.manual_seed(0)
    model = build_model(CONFIG)
    model.init_weights()
    convs = torch.cat([
        m.weight.flatten() for m in model.modules()
        if isinstance(m, torch.nn.Conv2d)
    ])
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    weights = torch.cat([m.weight.flatten() for m in norms])
    biases = torch.cat([m.bias.flatten() for m in norms])
    assert abs(convs.std().item() - 0.02) < 0.002
    assert abs(weights.mean().item() - 1) < 0.01
    assert abs(weights.std().item() - 0.02) < 0.005
    assert abs(biases.std().item() - 1) < 0.15


def test_converter_rejects_other_checkpoints():
    with pytest.raises(KeyError, match='d11.weight is missing'):
        convert_official_peer_checkpoint(
            'rdian', {'state_dict': {'conv1.0.weight': torch.zeros(1)}})
