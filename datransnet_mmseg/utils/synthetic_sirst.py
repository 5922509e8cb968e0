"""Synthetic single-frame infrared small target (SIRST) scenes.

Real IRSTD datasets are distributed through cloud drives and cannot be
downloaded automatically. This generator writes a small dataset in the
SIRST/BasicIRSTD folder layout so that training, evaluation and the tools
can run on a fresh machine. It is a smoke-test and demo dataset, not a
benchmark.

A scene is a cluttered infrared-like background (one of: clouds, sea
clutter, ground, 1/f texture) plus sensor effects (vignetting, column
fixed-pattern noise, temporal noise, hot pixels), with 0 to several dim
targets. Each target is a Gaussian point-spread blob (point targets: about
1-3 px, extended targets: up to about 10 px, elliptical) whose peak is a few
times the local clutter level (signal-to-clutter ratio 2-8). The mask marks
the pixels where the target's own signal exceeds a third of its peak, so it
always holds at least the peak pixel. Hot pixels are single bright pixels
that are *not* targets: they are the classic false-alarm source.

Every image is generated from ``seed`` and its index alone, so a subset or
another order gives the same images.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import cv2
import numpy as np

BACKGROUNDS = ('clouds', 'sea', 'ground', 'texture')
SPLIT_NAME = 'SynthSIRST'


@dataclass
class SyntheticTarget:
    """Ground truth of one generated target (row, col centre in pixels)."""
    row: float
    col: float
    sigma_row: float
    sigma_col: float
    amplitude: float


def _power_law_noise(rng: np.random.Generator, shape: Tuple[int, int],
                     beta: float) -> np.ndarray:
    """Zero-mean, unit-std noise with a 1/f**beta power spectrum."""
    height, width = shape
    freq_rows = np.fft.fftfreq(height)[:, None]
    freq_cols = np.fft.rfftfreq(width)[None, :]
    radius = np.sqrt(freq_rows**2 + freq_cols**2)
    radius[0, 0] = 1.0
    spectrum = (rng.standard_normal(radius.shape) +
                1j * rng.standard_normal(radius.shape)) / radius**(beta / 2)
    spectrum[0, 0] = 0
    field = np.fft.irfft2(spectrum, s=shape)
    return (field - field.mean()) / (field.std() + 1e-12)


def _clouds(rng, shape):
    field = _power_law_noise(rng, shape, beta=3.2)
    # Bright, soft-edged cloud banks over a darker sky.
    clouds = 1 / (1 + np.exp(-2.5 * (field - rng.uniform(-0.3, 0.8))))
    sky_gradient = np.linspace(rng.uniform(-0.3, 0.3), 0, shape[0])[:, None]
    return 0.35 + 0.45 * clouds + sky_gradient * 0.5


def _sea(rng, shape):
    height, width = shape
    rows = np.arange(height)[:, None]
    horizon = int(height * rng.uniform(0.0, 0.4))
    # Waves: anisotropic noise stretched along the columns, stronger and
    # coarser towards the bottom (nearer to the sensor).
    waves = _power_law_noise(rng, (height, max(width // 6, 8)), beta=2.0)
    waves = cv2.resize(waves, (width, height), interpolation=cv2.INTER_CUBIC)
    depth = np.clip((rows - horizon) / max(height - horizon, 1), 0, 1)
    sea = 0.3 + 0.06 * waves * (0.3 + depth)
    glint = (waves > 2.0) * rng.uniform(0.1, 0.3) * depth
    sky = 0.55 + 0.1 * _power_law_noise(rng, shape, beta=3.0)
    return np.where(rows < horizon, sky, sea + glint)


def _ground(rng, shape):
    height, width = shape
    ground = 0.4 + 0.08 * _power_law_noise(rng, shape, beta=2.4)
    # Fields, roads and buildings: polygons with their own temperature.
    for _ in range(rng.integers(3, 9)):
        centre = rng.uniform([0, 0], [width, height])
        radius = rng.uniform(0.05, 0.3) * min(height, width)
        corners = rng.integers(3, 7)
        angles = np.sort(rng.uniform(0, 2 * np.pi, corners))
        points = centre + radius * np.stack(
            [np.cos(angles), np.sin(angles)], axis=1)
        polygon = np.zeros(shape, np.float32)
        cv2.fillPoly(polygon, [points.astype(np.int32)], 1.0)
        ground += polygon * rng.uniform(-0.2, 0.25)
    return cv2.GaussianBlur(ground.astype(np.float32), (0, 0), 0.8)


def _texture(rng, shape):
    return 0.45 + 0.12 * _power_law_noise(rng, shape, beta=rng.uniform(1, 2))


_BACKGROUND_MAKERS = dict(
    clouds=_clouds, sea=_sea, ground=_ground, texture=_texture)


def _sensor_effects(rng, image):
    height, width = image.shape
    rows, cols = np.mgrid[0:height, 0:width]
    radius = np.hypot((rows - height / 2) / height, (cols - width / 2) /
                      width)
    image = image * (1 - rng.uniform(0.05, 0.25) * radius**2)
    image = image + rng.normal(0, 0.01, (1, width))  # column pattern noise
    image = image + rng.normal(0, rng.uniform(0.006, 0.02), image.shape)
    return image


def _add_hot_pixels(rng, image, count):
    height, width = image.shape
    rows = rng.integers(0, height, count)
    cols = rng.integers(0, width, count)
    image[rows, cols] += rng.uniform(0.15, 0.4, count)
    return image


def _place_targets(rng, shape, count, min_distance=12.0):
    height, width = shape
    targets: List[SyntheticTarget] = []
    for _ in range(count * 20):
        if len(targets) == count:
            break
        row = rng.uniform(4, height - 5)
        col = rng.uniform(4, width - 5)
        if any(np.hypot(row - t.row, col - t.col) < min_distance
               for t in targets):
            continue
        if rng.random() < 0.6:  # point target, 1-3 px across
            sigma_row = sigma_col = rng.uniform(0.4, 0.9)
        else:  # extended target, up to about 10 px across
            sigma_row = rng.uniform(0.8, 2.8)
            sigma_col = sigma_row * rng.uniform(0.5, 1.6)
        targets.append(
            SyntheticTarget(row, col, sigma_row, sigma_col, amplitude=0.0))
    return targets


def render_scene(seed: int,
                 index: int,
                 height: int = 256,
                 width: int = 256,
                 max_targets: int = 4,
                 empty_fraction: float = 0.15,
                 background: Optional[str] = None):
    """Render one synthetic infrared scene.

    Args:
        seed (int): Dataset seed.
        index (int): Image index; with ``seed`` it fixes the image.
        height (int): Image height. Defaults to 256.
        width (int): Image width. Defaults to 256.
        max_targets (int): Most targets in one image. Defaults to 4.
        empty_fraction (float): Probability of an image without target.
            Defaults to 0.15.
        background (str, optional): One of :data:`BACKGROUNDS`; random if
            None. Defaults to None.

    Returns:
        tuple: ``(image, mask, targets)``: float image in [0, 1] (H, W),
        bool mask (H, W) and the list of :class:`SyntheticTarget`.
    """
    rng = np.random.default_rng([seed, index])
    shape = (height, width)
    background = background or BACKGROUNDS[rng.integers(len(BACKGROUNDS))]
    if background not in _BACKGROUND_MAKERS:
        raise ValueError(f'Unknown background "{background}"; choose one '
                         f'of {BACKGROUNDS}.')
    image = _BACKGROUND_MAKERS[background](rng, shape).astype(np.float64)
    local_std = np.sqrt(
        np.maximum(cv2.GaussianBlur(image**2, (0, 0), 6.0) -
                   cv2.GaussianBlur(image, (0, 0), 6.0)**2, 0)) + 0.01

    count = 0 if rng.random() < empty_fraction else int(
        rng.integers(1, max_targets + 1))
    targets = _place_targets(rng, shape, count)
    mask = np.zeros(shape, bool)
    rows, cols = np.mgrid[0:height, 0:width]
    for target in targets:
        centre_row, centre_col = int(target.row), int(target.col)
        contrast = rng.uniform(2.0, 8.0) * local_std[centre_row, centre_col]
        target.amplitude = float(max(contrast, 0.04))
        signal = target.amplitude * np.exp(-0.5 * (
            ((rows - target.row) / target.sigma_row)**2 +
            ((cols - target.col) / target.sigma_col)**2))
        image += signal
        target_mask = signal > signal.max() / 3
        target_mask[np.unravel_index(np.argmax(signal), shape)] = True
        mask |= target_mask

    image = _sensor_effects(rng, image)
    image = _add_hot_pixels(rng, image, int(rng.integers(0, 6)))
    low, high = np.percentile(image, [0.5, 99.95])
    image = np.clip((image - low) / max(high - low, 1e-6) * 0.9 + 0.05, 0, 1)
    return image, mask, targets


def write_dataset(out_dir: str,
                  num_train: int = 200,
                  num_val: int = 50,
                  num_test: int = 50,
                  height: int = 256,
                  width: int = 256,
                  bit_depth: int = 8,
                  seed: int = 0,
                  max_targets: int = 4,
                  empty_fraction: float = 0.15) -> dict:
    """Write a synthetic SIRST dataset in the BasicIRSTD layout.

    Layout::

        out_dir/images/<name>.png          8- or 16-bit grey images
        out_dir/masks/<name>.png           8-bit masks, 0 or 255
        out_dir/img_idx/{train,val,test,trainval}_SynthSIRST.txt

    Args:
        out_dir (str): Output folder (created).
        num_train (int): Training images. Defaults to 200.
        num_val (int): Validation images. Defaults to 50.
        num_test (int): Test images. Defaults to 50.
        height (int): Image height. Defaults to 256.
        width (int): Image width. Defaults to 256.
        bit_depth (int): 8 or 16. Defaults to 8.
        seed (int): Dataset seed. Defaults to 0.
        max_targets (int): Most targets per image. Defaults to 4.
        empty_fraction (float): Share of target-free images.
            Defaults to 0.15.

    Returns:
        dict: Split name to list of sample names.
    """
    if bit_depth not in (8, 16):
        raise ValueError(f'bit_depth must be 8 or 16, got {bit_depth}.')
    root = Path(out_dir)
    for folder in ('images', 'masks', 'img_idx'):
        (root / folder).mkdir(parents=True, exist_ok=True)
    counts = dict(train=num_train, val=num_val, test=num_test)
    splits, index = {}, 0
    for split, count in counts.items():
        splits[split] = []
        for _ in range(count):
            name = f'synth_{index:05d}'
            image, mask, _ = render_scene(
                seed,
                index,
                height,
                width,
                max_targets=max_targets,
                empty_fraction=empty_fraction)
            scale = 255 if bit_depth == 8 else 65535
            dtype = np.uint8 if bit_depth == 8 else np.uint16
            pixels = np.round(image * scale).astype(dtype)
            cv2.imwrite(str(root / 'images' / f'{name}.png'), pixels)
            cv2.imwrite(
                str(root / 'masks' / f'{name}.png'),
                mask.astype(np.uint8) * 255)
            splits[split].append(name)
            index += 1
    splits['trainval'] = splits['train'] + splits['val']
    for split, names in splits.items():
        (root / 'img_idx' / f'{split}_{SPLIT_NAME}.txt').write_text(
            '\n'.join(names) + '\n')
    return splits
