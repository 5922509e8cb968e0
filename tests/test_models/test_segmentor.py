"""DATransNet as an mmseg EncoderDecoder built from the config."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmengine.structures import PixelData

from mmseg.structures import SegDataSample


def seg_samples(masks):
    samples = []
    for mask in masks:
        shape = tuple(mask.shape[-2:])
        sample = SegDataSample(
            metainfo=dict(img_shape=shape, ori_shape=shape))
        sample.gt_sem_seg = PixelData(data=mask[None].long())
        samples.append(sample)
    return samples


def test_train_step_and_gradients(build_segmentor):
    torch.manual_seed(0)
    model = build_segmentor()
    # the non-local norm starts at zero, which blocks the gradient of its
    # branch; give it a value so that every parameter must get a gradient
    torch.nn.init.ones_(model.neck.gfem.non_local.out_norm.weight)
    images = torch.rand(2, 1, 64, 64) * 255
    masks = (torch.rand(2, 64, 64) > 0.95).long()
    data = dict(inputs=list(images), data_samples=seg_samples(masks))
    model.train()
    losses = model(**model.data_preprocessor(data, True), mode='loss')
    assert set(losses) == {'decode.loss_softiou', 'decode.acc_seg'}
    losses['decode.loss_softiou'].backward()
    for name, param in model.named_parameters():
        assert param.grad is not None, name
        assert param.grad.abs().sum() > 0, name
    before = [p.detach().clone() for p in model.parameters()]
    optim_wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), 5e-4))
    log_vars = model.train_step(data, optim_wrapper)
    assert 0 < log_vars['loss'].item() < 1
    for (name, param), old in zip(model.named_parameters(), before):
        assert not torch.equal(param, old), name


def test_predict_batch(build_segmentor):
    torch.manual_seed(0)
    model = build_segmentor().eval()
    images = torch.rand(2, 1, 64, 96) * 255
    samples = seg_samples(torch.zeros(2, 64, 96))
    results = model.test_step(dict(inputs=list(images), data_samples=samples))
    expected = model(images / 255, mode='tensor').sigmoid()
    for result, prob in zip(results, expected):
        assert result.seg_logits.data.shape == (1, 64, 96)
        assert torch.allclose(result.seg_logits.data, prob, atol=1e-6)
        assert torch.equal(result.pred_sem_seg.data, (prob > 0.5).float())


def test_predict_odd_size_pads_and_crops(build_segmentor):
    """Whole-image inference pads to 32 (bottom/right) and crops back."""
    torch.manual_seed(0)
    model = build_segmentor().eval()
    image = torch.rand(1, 37, 53) * 255
    samples = seg_samples(torch.zeros(1, 37, 53))
    result = model.test_step(dict(inputs=[image], data_samples=samples))[0]
    assert result.seg_logits.data.shape == (1, 37, 53)
    assert result.pred_sem_seg.data.shape == (1, 37, 53)
    assert tuple(result.img_padding_size) == (0, 64 - 53, 0, 64 - 37)
    padded = F.pad(image / 255, (0, 64 - 53, 0, 64 - 37))
    expected = model(padded[None], mode='tensor').sigmoid()[0, :, :37, :53]
    assert torch.allclose(result.seg_logits.data, expected, atol=1e-6)


def test_direct_call_needs_multiple_of_32(build_segmentor):
    model = build_segmentor().eval()
    with pytest.raises(ValueError, match='divisible by 32'):
        model(torch.rand(1, 1, 37, 53), mode='tensor')


def test_channels_last_same_output(build_segmentor):
    torch.manual_seed(0)
    model = build_segmentor().eval()
    x = torch.rand(2, 1, 64, 64)
    with torch.no_grad():
        expected = model(x, mode='tensor').sigmoid()
        model = model.to(memory_format=torch.channels_last)
        out = model(
            x.contiguous(memory_format=torch.channels_last),
            mode='tensor').sigmoid()
    assert (out - expected).abs().max() <= 1e-5


def test_bf16_autocast_runs(build_segmentor):
    torch.manual_seed(0)
    model = build_segmentor().eval()
    x = torch.rand(1, 1, 64, 64)
    with torch.no_grad():
        expected = model(x, mode='tensor').sigmoid()
        with torch.autocast('cpu', dtype=torch.bfloat16):
            out = model(x, mode='tensor').float().sigmoid()
    assert torch.isfinite(out).all()
    assert (out - expected).abs().max() < 0.05


@pytest.mark.parametrize('options,match', [
    ({'neck.img_size': 100}, 'multiple of 32'),
    ({'backbone.in_channels': 0}, 'in_channels'),
    ({'decode_head.out_channels': 2}, 'out_channels=1'),
    ({'decode_head.in_channels': (16, 32, 64, 128)}, 'in_channels'),
])
def test_build_errors(build_segmentor, options, match):
    with pytest.raises(ValueError, match=match):
        build_segmentor(options=options)
