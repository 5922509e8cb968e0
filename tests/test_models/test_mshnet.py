"""MSHNet: outputs under the warm-up switch, deep supervision, size check,
and the hook that switches the warm-up off."""
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from peer_helpers import build_model
from datransnet_mmseg.engine.hooks import DeepSupervisionWarmupHook
from test_sls_loss import sls_reference

CONFIG = 'configs/_base_/models/mshnet.py'


@pytest.fixture
def segmentor():
    torch.manual_seed(0)
    return build_model(CONFIG)


def test_outputs_follow_warm_flag(segmentor):
    head = segmentor.decode_head
    assert head.warm_flag is True
    inputs = torch.rand(2, 3, 32, 48)
    segmentor.eval()
    with torch.no_grad():
        warm = head.forward_outputs(segmentor.extract_feat(inputs))
        assert [tuple(o.shape) for o in warm] == [(2, 1, 32, 48),
                                                  (2, 1, 16, 24),
                                                  (2, 1, 8, 12),
                                                  (2, 1, 4, 6),
                                                  (2, 1, 32, 48)]
        # evaluation (and mode='tensor'): the fused prediction only
        torch.testing.assert_close(
            segmentor(inputs, mode='tensor'), warm[-1], rtol=0, atol=0)
        head.warm_flag = False
        cold = head.forward_outputs(segmentor.extract_feat(inputs))
        # not warm: the finest side output alone, also as prediction
        assert len(cold) == 1
        torch.testing.assert_close(cold[0], warm[0], rtol=0, atol=0)
        torch.testing.assert_close(
            segmentor(inputs, mode='tensor'), warm[0], rtol=0, atol=0)
    # training: forward returns every output in use
    segmentor.train()
    outputs = head(segmentor.extract_feat(inputs))
    assert isinstance(outputs, list) and len(outputs) == 1
    outputs[0].sum().backward()
    unused = {name for name, p in head.named_parameters() if p.grad is None}
    assert unused == {
        'side_convs.1.weight', 'side_convs.1.bias', 'side_convs.2.weight',
        'side_convs.2.bias', 'side_convs.3.weight', 'side_convs.3.bias',
        'conv_seg.weight', 'conv_seg.bias'
    }
    head.warm_flag = True
    assert len(head(segmentor.extract_feat(inputs))) == 5


def test_input_size_must_be_a_multiple_of_16(segmentor):
    with pytest.raises(ValueError, match='multiples of 16, got 40x48'):
        segmentor.eval()(torch.rand(1, 3, 40, 48), mode='tensor')
    with pytest.raises(ValueError, match='repeat_channels=3'):
        segmentor(torch.rand(1, 1, 32, 32), mode='tensor')


def _pool(label, times):
    """Max over 2x2 windows, ``times`` times (NumPy)."""
    for _ in range(times):
        n, h, w = label.shape
        label = label.reshape(n, h // 2, 2, w // 2, 2).max((2, 4))
    return label


def test_deep_supervision_averages_the_outputs(segmentor):
    head = segmentor.decode_head
    label = np.zeros((2, 32, 32), dtype=np.int64)
    label[0, 5, 7] = 1  # one pixel: one pooled pixel at every scale
    label[1, 12:20, 3:9] = 1
    samples = [
        SegDataSample(gt_sem_seg=PixelData(data=torch.as_tensor(lab[None])))
        for lab in label
    ]
    rng = np.random.default_rng(0)
    sizes = (32, 16, 8, 4, 32)
    logits = [rng.normal(0, 1, (2, s, s)).astype(np.float32) for s in sizes]
    tensors = [torch.as_tensor(x[:, None]) for x in logits]
    targets = [_pool(label, k) for k in range(4)] + [label]
    expected = np.mean(
        [sls_reference(x, t) for x, t in zip(logits, targets)])
    losses = head.loss_by_feat(tensors, samples)
    assert set(losses) == {'loss_sls'}
    assert losses['loss_sls'].item() == pytest.approx(expected, abs=1e-5)
    # warm-up: one output, plain soft IoU
    head.warm_flag = False
    losses = head.loss_by_feat(tensors[:1], samples)
    assert losses['loss_sls'].item() == pytest.approx(
        sls_reference(logits[0], label, warmup=True), abs=1e-5)


def _runner(head, iteration):
    logs = []
    model = SimpleNamespace(decode_head=head)
    return SimpleNamespace(
        model=model,
        iter=iteration,
        logger=SimpleNamespace(info=logs.append),
        logs=logs)


def test_warmup_hook_switches_at_the_iteration():
    head = SimpleNamespace(warm_flag=True)
    hook = DeepSupervisionWarmupHook(warmup_iters=3)
    seen = []
    for iteration in range(5):
        runner = _runner(head, iteration)
        hook.before_train_iter(runner, iteration)
        seen.append(head.warm_flag)
    assert seen == [False, False, False, True, True]
    # resumed after the warm-up: on at the first iteration
    head = SimpleNamespace(warm_flag=False)
    runner = _runner(head, 10)
    hook.before_train(runner)
    hook.before_train_iter(runner, 0)
    assert head.warm_flag is True and len(runner.logs) == 1
    with pytest.raises(AttributeError, match="no attribute 'warm_flag'"):
        hook.before_train(_runner(SimpleNamespace(), 0))
    with pytest.raises(ValueError, match='warmup_iters'):
        DeepSupervisionWarmupHook(warmup_iters=-1)
