"""DATrans: the fast form equals a direct transcription of the spec."""
import math

import pytest
import torch
import torch.nn.functional as F

from datransnet_mmseg.models.layers import DATrans, difference_kernel
from datransnet_mmseg.models.utils import convert_official_state_dict

# neighbour order: TL, T, TR, L, R, BL, B, BR as (dy, dx)
OFFSETS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0),
           (1, 1)]


def shifted(x, dy, dx, d):
    """x[:, :, r(i + d dy), r(j + d dx)] with mirror reflection r."""
    height, width = x.shape[-2:]
    padded = F.pad(x, (d, d, d, d), mode='reflect')
    return padded[..., d + d * dy:d + d * dy + height,
                  d + d * dx:d + d * dx + width]


def differences(x, d):
    """The 8C-channel central differences, channel j * C + c."""
    return torch.cat([shifted(x, dy, dx, d) - x for dy, dx in OFFSETS], 1)


def reference_datrans(x, weights, dilations, attn_size, training):
    """Direct form, official weight layout and head grouping."""
    batch, _, height, width = x.shape
    heads = len(dilations)
    queries, keys, values = [], [], []
    for k, d in enumerate(dilations):
        diff = differences(x, d)
        queries.append(F.conv2d(x, weights[f'query_convs.{k}.weight']))
        keys.append(F.conv2d(diff, weights[f'key_convs.{k}.weight']))
        values.append(F.conv2d(diff, weights[f'value_convs.{k}.weight']))

    def group(maps):  # stack over dilations at dim 2, then a view
        return torch.stack(maps, 2).view(batch, heads, -1, height * width)

    query = F.normalize(group(queries), dim=-1)
    key = F.normalize(group(keys), dim=-1)
    score = torch.matmul(query, key.transpose(-2, -1))
    score = score / math.sqrt(attn_size * attn_size)
    attn = F.instance_norm(score, eps=1e-5).softmax(dim=-1)
    out = torch.matmul(attn, group(values)).view(batch, -1, height, width)
    out = F.conv2d(out, weights['out_conv.0.weight'])
    out = F.batch_norm(out, weights['out_conv.1.running_mean'],
                       weights['out_conv.1.running_var'],
                       weights['out_conv.1.weight'],
                       weights['out_conv.1.bias'], training)
    return out.relu()


def random_official_weights(channels, out_channels, embed, dilations):
    hid = embed // len(dilations)
    weights = {}
    for k in range(len(dilations)):
        weights[f'query_convs.{k}.weight'] = torch.randn(hid, channels, 1, 1)
        for kind in ('key', 'value'):
            weights[f'{kind}_convs.{k}.weight'] = torch.randn(
                8 * hid, 8 * channels, 1, 1) / math.sqrt(8 * channels)
    weights['out_conv.0.weight'] = torch.randn(out_channels, embed, 1, 1)
    weights['out_conv.1.weight'] = torch.rand(out_channels) + 0.5
    weights['out_conv.1.bias'] = torch.randn(out_channels)
    weights['out_conv.1.running_mean'] = torch.randn(out_channels)
    weights['out_conv.1.running_var'] = torch.rand(out_channels) + 0.5
    weights['out_conv.1.num_batches_tracked'] = torch.tensor(1)
    return {k: v.double() if v.is_floating_point() else v
            for k, v in weights.items()}


def fast_datrans(weights, channels, out_channels, embed, dilations,
                 attn_size, **kwargs):
    module = DATrans(channels, out_channels, embed, attn_size, dilations,
                     **kwargs).double()
    converted, _ = convert_official_state_dict(
        {f'model.contras1.{k}': v
         for k, v in weights.items()})
    prefix = 'neck.datrans.0.'
    module.load_state_dict(
        {k[len(prefix):]: v
         for k, v in converted.items()}, strict=True)
    return module


def test_difference_kernel():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 7, 9, dtype=torch.float64)
    weight = torch.randn(2, 5, 8 * 3, dtype=torch.float64)
    kernels = difference_kernel(weight)
    assert kernels.shape == (2, 5, 3, 3, 3)
    for d in (1, 2):
        expected = F.conv2d(differences(x, d), weight[1, :, :, None, None])
        out = F.conv2d(
            F.pad(x, (d, d, d, d), mode='reflect'), kernels[1], dilation=d)
        assert torch.allclose(out, expected, atol=1e-12)


@pytest.mark.parametrize(
    'channels,out_channels,embed,dilations,size,chunk_size',
    [
        (6, 6, 4, (1, 3), (12, 10), 2**19),  # two heads, folded out_proj
        (6, 10, 4, (1, 3), (12, 10), 64),  # wider output, row chunks
        (5, 8, 6, (1, ), (9, 11), None),  # one head, no chunks
        (4, 4, 9, (1, 2, 3), (10, 9), None),  # three heads
    ])
def test_matches_direct_form(channels, out_channels, embed, dilations, size,
                             chunk_size):
    torch.manual_seed(0)
    weights = random_official_weights(channels, out_channels, embed,
                                      dilations)
    attn_size = 16
    module = fast_datrans(
        weights,
        channels,
        out_channels,
        embed,
        dilations,
        attn_size,
        chunk_size=chunk_size)
    x = torch.randn(2, channels, *size, dtype=torch.float64)
    for training in (False, True):
        module.train(training)
        x_ref = x.clone().requires_grad_()
        x_fast = x.clone().requires_grad_()
        expected = reference_datrans(x_ref, weights, dilations, attn_size,
                                     training)
        out = module(x_fast)
        assert out.shape == (2, out_channels, *size)
        assert torch.allclose(out, expected, atol=1e-10)
        grad = torch.randn_like(out)
        expected.backward(grad)
        out.backward(grad)
        assert torch.allclose(x_fast.grad, x_ref.grad, atol=1e-9)
    module.eval()
    with torch.no_grad():  # the inference path: row chunks on CPU
        expected = reference_datrans(x, weights, dilations, attn_size, False)
        assert torch.allclose(module(x), expected, atol=1e-10)


def test_temperature_is_a_constant():
    """The scores are scaled by 1 / attn_size, not by the input size."""
    torch.manual_seed(0)
    weights = random_official_weights(4, 4, 4, (1, 3))
    x = torch.randn(1, 4, 8, 8, dtype=torch.float64)
    outs = {}
    for attn_size in (8, 64):
        module = fast_datrans(weights, 4, 4, 4, (1, 3), attn_size).eval()
        outs[attn_size] = module(x)
        expected = reference_datrans(x, weights, (1, 3), attn_size, False)
        assert torch.allclose(outs[attn_size], expected, atol=1e-10)
    assert not torch.allclose(outs[8], outs[64], atol=1e-6)


def test_bad_embed_channels():
    with pytest.raises(ValueError, match='multiple of the number'):
        DATrans(8, 8, 5, 32, dilations=(1, 3))


@pytest.mark.parametrize(
    'kwargs,message',
    [
        (dict(embed_channels=48, dilations=(1, 2, 3)),
         'multiple of 9 with 3 dilations.*got 48; use e.g. 45 or 54'),
        (dict(dilations=()), 'dilations must be a non-empty'),
        (dict(dilations=3), 'dilations must be a non-empty'),
        (dict(dilations=(1, 0)), r'positive ints .*got \(1, 0\)'),
        (dict(dilations=(1, 1.5)), 'positive ints'),
        (dict(in_channels=0), 'in_channels must be a positive int, got 0'),
        (dict(out_channels=2.), 'out_channels must be a positive int'),
        (dict(attn_size=0), 'attn_size must be a positive int, got 0'),
        (dict(chunk_size=0), 'chunk_size must be a positive int or None'),
    ])
def test_bad_arguments_fail_at_build_time(kwargs, message):
    args = dict(
        in_channels=8,
        out_channels=8,
        embed_channels=18,
        attn_size=32,
        dilations=(1, 3))
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        DATrans(**args)


@pytest.mark.parametrize('dilations,embed', [((1, 2, 3), 9), ((1, ) * 6, 18),
                                             ((1, ) * 5, 25)])
def test_every_accepted_head_count_runs(dilations, embed):
    module = DATrans(4, 4, embed, 8, dilations, chunk_size=None).eval()
    assert module(torch.rand(1, 4, 8, 8)).shape == (1, 4, 8, 8)
