"""SLSIoULoss against hand-computed values and a per-pixel NumPy version.

Hand cases: logits 0 (every probability 0.5) on a 2x2 image, so that the
sums, the scale weight, the first moments, the angles and the lengths are
simple fractions.
"""
import math

import numpy as np
import pytest
import torch

from datransnet_mmseg.models.losses import SLSIoULoss
from datransnet_mmseg.models.losses.sls_iou_loss import location_loss

EPS = 1e-8


def sls_reference(logits, target, warmup=False, with_location=True):
    """The SLS loss with loops over images and pixels (float64).

    ``logits``: (N, H, W); ``target``: (N, H, W) in {0, 1}.
    """
    prob = 1 / (1 + np.exp(-np.asarray(logits, np.float64)))
    target = np.asarray(target, np.float64)
    num, height, width = prob.shape
    scale, location = [], []
    for p, t in zip(prob, target):
        inter, p_sum, t_sum = (p * t).sum(), p.sum(), t.sum()
        iou = inter / (p_sum + t_sum - inter)
        dis = ((p_sum - t_sum) / 2)**2
        alpha = 1.0 if warmup else (min(p_sum, t_sum) + dis) / (
            max(p_sum, t_sum) + dis)
        scale.append(alpha * iou)
        moments = np.zeros((2, 2))  # [map][x, y]
        for row in range(height):
            for col in range(width):
                for k, value in enumerate((p[row, col], t[row, col])):
                    moments[k, 0] += col / width * value / (height * width)
                    moments[k, 1] += row / height * value / (height * width)
        angles = [math.atan(cy / (cx + EPS)) for cx, cy in moments]
        lengths = [math.sqrt(cx * cx + cy * cy + EPS) for cx, cy in moments]
        location.append(1 - min(lengths) / (max(lengths) + EPS) + 4 /
                        math.pi**2 * (angles[0] - angles[1])**2)
    loss = 1 - np.mean(scale)
    if with_location and not warmup:
        loss += np.mean(location)
    return loss


def _loss(logits, target, **kwargs):
    options = {k: kwargs.pop(k) for k in ('with_location', ) if k in kwargs}
    return SLSIoULoss(**options)(
        torch.as_tensor(logits, dtype=torch.float32)[:, None],
        torch.as_tensor(target), **kwargs).item()


HALF = np.zeros((1, 2, 2))  # logits 0: probability 0.5 everywhere


def test_scale_term_by_hand():
    # target (0, 0): P = 2, T = 1, I = 0.5, IoU = 0.5 / 2.5 = 0.2,
    # d = (1 / 2)^2 = 0.25, alpha = 1.25 / 2.25 = 5 / 9
    target = np.array([[[1, 0], [0, 0]]])
    assert _loss(HALF, target, with_location=False) == pytest.approx(
        1 - 5 / 9 * 0.2, abs=1e-6)
    # warm-up: plain soft IoU, no scale weight, no location term
    assert _loss(HALF, target, warmup=True) == pytest.approx(0.8, abs=1e-6)


def test_location_term_by_hand():
    # x, y in {0, 1/2}; p = 0.5: P_x = P_y = (2 x 0.5 x 0.5) / 4 = 1/8
    # target (row 0, col 1): T_x = 0.5 / 4 = 1/8, T_y = 0
    # angle: (4 / pi^2) (pi / 4 - 0)^2 = 1 / 4
    # length: |T| / |P| = (1/8) / (sqrt(2) / 8) = 1 / sqrt(2)
    target = np.array([[[0, 1], [0, 0]]])
    expected_location = 1 - 1 / math.sqrt(2) + 0.25
    prob = torch.full((1, 2, 2), 0.5)
    assert location_loss(prob, torch.as_tensor(
        target, dtype=torch.float32)).item() == pytest.approx(
            expected_location, abs=1e-6)
    # same sums as the scale case: scale term 1 - 1 / 9
    assert _loss(HALF, target) == pytest.approx(
        1 - 1 / 9 + expected_location, abs=1e-6)


def test_empty_mask():
    # T = 0: IoU = 0, so the scale term is 1 whatever alpha; the target
    # moments are 0: angle atan(0) = 0, length sqrt(1e-8) = 1e-4
    target = np.zeros((1, 2, 2))
    length_term = 1e-4 / (math.sqrt(2) / 8 + EPS)
    assert _loss(HALF, target) == pytest.approx(
        1 + 1 - length_term + 0.25, abs=1e-6)
    assert _loss(HALF, target, warmup=True) == pytest.approx(1.0, abs=1e-6)
    assert _loss(HALF, target, with_location=False) == pytest.approx(
        1.0, abs=1e-6)


def test_batch_of_mixed_target_sizes():
    """Per-image terms averaged over the batch: a one-pixel target, a 3x4
    blob, no target, a large target, each with its own logits."""
    rng = np.random.default_rng(0)
    logits = rng.normal(-1.0, 2.0, (4, 8, 12))
    target = np.zeros((4, 8, 12), dtype=np.int64)
    target[0, 5, 9] = 1
    target[1, 2:5, 3:7] = 1
    target[3, 1:7, 2:11] = 1
    for kwargs in (dict(), dict(warmup=True), dict(with_location=False)):
        expected = sls_reference(logits, target, **kwargs)
        assert _loss(logits, target, **kwargs) == pytest.approx(
            expected, abs=1e-5), kwargs
    # not the loss of the pooled batch: each image is weighted alone
    pooled = sls_reference(
        logits.transpose(1, 0, 2).reshape(1, 8, 48),
        target.transpose(1, 0, 2).reshape(1, 8, 48))
    assert abs(_loss(logits, target) - pooled) > 1e-2


def test_ignored_pixels_are_left_out():
    rng = np.random.default_rng(1)
    logits = rng.normal(0.0, 1.0, (2, 6, 6))
    target = np.zeros((2, 6, 6), dtype=np.int64)
    target[0, 1:3, 1:3] = 1
    target[1, 4, 2] = 1
    padded = target.copy()
    padded[:, :, 4:] = 255
    # reference: ignored pixels have probability 0 and no target
    # (logits -inf -> probability 0)
    masked_logits = np.where(padded == 255, -np.inf, logits)
    expected = sls_reference(masked_logits, np.where(padded == 255, 0,
                                                     padded))
    assert _loss(logits, padded) == pytest.approx(expected, abs=1e-5)


def test_gradient_and_checks():
    logits = torch.zeros(2, 1, 8, 8, requires_grad=True)
    target = torch.zeros(2, 8, 8, dtype=torch.long)
    target[:, 3, 3] = 1
    loss = SLSIoULoss(loss_weight=2.0)(logits, target)
    assert loss.item() == pytest.approx(
        2 * sls_reference(np.zeros((2, 8, 8)), target.numpy()), abs=1e-5)
    loss.backward()
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0
    assert SLSIoULoss().loss_name == 'loss_sls'
    with pytest.raises(ValueError, match='one-channel logits'):
        SLSIoULoss()(torch.zeros(2, 2, 8, 8), target)
    with pytest.raises(ValueError, match='targets of shape'):
        SLSIoULoss()(torch.zeros(2, 1, 8, 8), target[:, None])
