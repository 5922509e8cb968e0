"""Detect infrared small targets in image files with a trained segmentor."""
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config, ConfigDict
from mmengine.runner.checkpoint import _load_checkpoint_to_model
from mmseg.apis import MMSegInferencer

from ..datasets import SIRSTDataset, read_ir_image
from ..visualization import TargetMap, label_targets
from .checkpoint_check import check_checkpoint_matches


@dataclass
class IRSTDResult:
    """The detection result of one image.

    Attributes:
        index (int): Position of the image in the input list.
        path (str): The image file.
        img (np.ndarray): H x W grey image in the 0..255 scale.
        prob (np.ndarray): H x W float32 target probabilities.
        mask (np.ndarray): H x W bool map, ``prob > threshold``.
        target_map (TargetMap): The targets (connected components of
            ``mask``) and their pixels.
        targets (list[dict]): One record per target, see
            :func:`target_records`.
        error (str, optional): Why the image could not be read; the other
            attributes are then None (``targets`` empty).
    """
    index: int
    path: str
    img: Optional[np.ndarray] = None
    prob: Optional[np.ndarray] = None
    mask: Optional[np.ndarray] = None
    target_map: Optional[TargetMap] = None
    targets: List[dict] = field(default_factory=list)
    error: Optional[str] = None


def target_records(target_map: TargetMap, prob: np.ndarray) -> List[dict]:
    """Describe each target of a map.

    Pixel ``(x, y)`` is column ``x``, row ``y``; a pixel's centre has
    integer coordinates.

    Args:
        target_map (TargetMap): The targets.
        prob (np.ndarray): H x W target probabilities.

    Returns:
        list[dict]: Per target, in the metric's (raster) order: ``id``
        (1-based, the label in ``target_map.labels``), ``centroid_x`` and
        ``centroid_y`` (mean pixel position), ``bbox_x``, ``bbox_y``,
        ``bbox_width`` and ``bbox_height`` (the smallest box holding the
        target's pixels), ``area`` (pixels), ``peak_score`` and
        ``mean_score`` (maximum and mean probability over its pixels).
    """
    count = len(target_map)
    labels = target_map.labels.ravel()
    pixels = np.flatnonzero(labels)
    scores = prob.ravel()[pixels].astype(np.float64)
    index = labels[pixels] - 1
    peak = np.zeros(count)
    np.maximum.at(peak, index, scores)
    mean = np.bincount(index, weights=scores, minlength=count) / np.maximum(
        target_map.targets.areas, 1)
    records = []
    for k in range(count):
        row, col = target_map.targets.centroids[k]
        x, y, w, h = (int(v) for v in target_map.boxes[k])
        records.append(
            dict(
                id=k + 1,
                centroid_x=round(float(col), 3),
                centroid_y=round(float(row), 3),
                bbox_x=x,
                bbox_y=y,
                bbox_width=w,
                bbox_height=h,
                area=int(target_map.targets.areas[k]),
                peak_score=round(float(peak[k]), 6),
                mean_score=round(float(mean[k]), 6)))
    return records


class IRSTDInferencer(MMSegInferencer):
    """Detect infrared small targets with a segmentor from a config.

    An :class:`~mmseg.apis.MMSegInferencer`: the image goes through the
    config's test pipeline (mmseg's ``InferencerLoader`` in place of
    ``LoadImageFromFile``, annotation loading skipped), is padded by the
    model's data preprocessor and predicted whole or with sliding windows;
    the prediction comes back at the original size. Calling it works as
    for mmseg (``inferencer(images, out_dir=...)`` returns the masks and
    saves them, and the visualizer's image | prediction panels). In
    addition:

    - :meth:`detect` yields one :class:`IRSTDResult` per image as soon as
      it is predicted: probabilities, mask and the list of targets
      (centroid, box, area, scores). Images of the same size are batched
      together, so the result of an image does not depend on the batch it
      ran in; an image that cannot be read is reported in its result's
      ``error`` and the run goes on.
    - ``mode``, ``crop_size`` and ``stride`` choose whole-image or
      sliding-window inference; ``threshold`` sets the decode head's
      threshold, used by both.
    - The checkpoint must fit the model exactly (missing, unexpected and
      mis-shaped keys are listed), and checkpoints without dataset meta
      get the background/target classes.

    Examples:
        >>> inferencer = IRSTDInferencer(config, checkpoint)
        >>> for result in inferencer.detect(['a.png', 'b.png'],
        ...                                 batch_size=2):
        ...     print(result.path, result.targets)
        >>> masks = inferencer('a.png')['predictions']  # as MMSegInferencer

    Args:
        config (str | Path | Config): The model config.
        checkpoint (str, optional): The checkpoint. None keeps randomly
            initialised weights, with a warning: useful only for tests.
            Defaults to None.
        device (str): ``'cpu'``, ``'cuda'`` or ``'cuda:N'``.
            Defaults to ``'cpu'``.
        mode (str, optional): ``'whole'`` or ``'slide'``; None keeps the
            config's ``model.test_cfg``. Defaults to None.
        crop_size (int, optional): Window side of the ``'slide'`` mode, a
            multiple of 32. None takes the neck's ``img_size``, the side the
            model was trained at (its attention temperature is tied to it).
            Defaults to None.
        stride (int, optional): Window step of the ``'slide'`` mode. None
            takes three quarters of ``crop_size``; overlapping windows
            average their logits. Defaults to None.
        threshold (float, optional): A pixel is a target if its
            probability is above this. None keeps the decode head's
            ``threshold``. Defaults to None.
        cfg_options (dict, optional): Config overrides, as
            ``--cfg-options`` gives them. Defaults to None.
    """

    def __init__(self,
                 config: Union[str, Path, Config],
                 checkpoint: Optional[str] = None,
                 device: str = 'cpu',
                 mode: Optional[str] = None,
                 crop_size: Optional[int] = None,
                 stride: Optional[int] = None,
                 threshold: Optional[float] = None,
                 cfg_options: Optional[dict] = None) -> None:
        if device.startswith('cuda') and not torch.cuda.is_available():
            raise RuntimeError(f'Device "{device}" was asked for, but CUDA '
                               'is not available; use device "cpu".')
        if checkpoint is None:
            warnings.warn(
                'No checkpoint given: the model keeps its random initial '
                'weights and its detections are meaningless (use this for '
                'tests only).')
        elif '://' not in str(checkpoint) and not Path(checkpoint).is_file():
            raise FileNotFoundError(
                f'Checkpoint "{checkpoint}" does not exist.')
        config = (Config.fromfile(config) if isinstance(config, (str, Path))
                  else config.copy())
        if cfg_options is not None:
            config.merge_from_dict(cfg_options)
        self._checkpoint_path = checkpoint
        super().__init__(model=config, weights=checkpoint, device=device)
        self.show_progress = False
        head = self.model.decode_head
        if head.out_channels != 1:
            raise ValueError(
                'IRSTDInferencer needs a one-channel (sigmoid) decode head, '
                f'got out_channels={head.out_channels}.')
        if threshold is not None:
            head.threshold = threshold
        self.threshold = head.threshold
        if mode is not None:
            self._set_mode(mode, crop_size, stride)

    def _load_weights_to_model(self, model: nn.Module,
                               checkpoint: Optional[dict],
                               cfg: Optional[ConfigDict]) -> None:
        """Load a checkpoint that fits the model exactly, and its meta.

        Args:
            model (nn.Module): The segmentor.
            checkpoint (dict, optional): The loaded checkpoint.
            cfg (ConfigDict, optional): The config (unused).
        """
        meta = {}
        if checkpoint is not None:
            check_checkpoint_matches(model, checkpoint,
                                     self._checkpoint_path)
            _load_checkpoint_to_model(model, checkpoint)
            meta = checkpoint.get('meta', {}).get('dataset_meta') or {}
        default = SIRSTDataset.METAINFO
        model.dataset_meta = dict(
            classes=meta.get('classes', default['classes']),
            palette=meta.get('palette', default['palette']))

    def _init_pipeline(self, cfg: ConfigDict):
        """The test pipeline, also for a concatenated test set.

        Args:
            cfg (ConfigDict): The config.

        Returns:
            Compose: mmseg's inference pipeline of the config.
        """
        if 'pipeline' not in cfg.test_dataloader.dataset:
            # e.g. SIRST3: a ConcatDataset, whose parts have the pipeline
            cfg = cfg.copy()
            cfg.test_dataloader = dict(
                dataset=dict(pipeline=cfg.test_pipeline))
        return super()._init_pipeline(cfg)

    def _set_mode(self, mode: str, crop_size: Optional[int],
                  stride: Optional[int]) -> None:
        if mode == 'whole':
            self.model.test_cfg = ConfigDict(mode='whole')
            return
        if mode != 'slide':
            raise ValueError(
                f"mode must be 'whole' or 'slide', not {mode!r}.")
        if crop_size is None:
            crop_size = self.model.cfg.model.neck.img_size
        if crop_size <= 0 or crop_size % 32:
            raise ValueError(f'crop_size must be a positive multiple of 32 '
                             f'(the model downsamples 32 times), got '
                             f'{crop_size}.')
        if stride is None:
            stride = crop_size - crop_size // 4
        if not 0 < stride <= crop_size:
            raise ValueError(f'stride must be in [1, crop_size={crop_size}]'
                             f' so that windows cover the image, got '
                             f'{stride}.')
        self.model.test_cfg = ConfigDict(
            mode='slide',
            crop_size=(crop_size, crop_size),
            stride=(stride, stride))

    def detect(self,
               images: Union[str, Sequence[str]],
               batch_size: int = 1) -> Iterator[IRSTDResult]:
        """Detect the targets of image files.

        Results come as soon as their batch has run: an image waits until
        ``batch_size`` images of its size have been read, or until the end.
        Use ``result.index`` for the input order.

        Args:
            images (str | Sequence[str]): Image files (see
                :func:`~datransnet_mmseg.apis.list_images` for folders,
                patterns and lists).
            batch_size (int): Most images per forward pass. Defaults to 1.

        Yields:
            IRSTDResult: One per image.
        """
        if batch_size < 1:
            raise ValueError(f'batch_size must be at least 1, got '
                             f'{batch_size}.')
        if isinstance(images, (str, Path)):
            images = [images]
        pending = {}
        for index, path in enumerate(map(str, images)):
            try:
                data = self.pipeline(path)
            except Exception as error:
                # mmcv's loader fails on empty or corrupt files with the
                # decoder's bare error: re-read the file for a clear one
                try:
                    read_ir_image(path)
                except (OSError, ValueError) as unreadable:
                    yield IRSTDResult(index, path, error=str(unreadable))
                    continue
                raise error
            key = tuple(data['inputs'].shape)
            bucket = pending.setdefault(key, [])
            bucket.append((index, path, data))
            if len(bucket) == batch_size:
                yield from self._run(pending.pop(key))
        for bucket in pending.values():
            yield from self._run(bucket)

    def _run(self, bucket: list) -> Iterator[IRSTDResult]:
        samples = self.forward(
            self.collate_fn([data for _, _, data in bucket]))
        for (index, path, data), sample in zip(bucket, samples):
            prob = sample.seg_logits.data[0].float().cpu().numpy()
            mask = prob > self.threshold
            target_map = label_targets(mask)
            yield IRSTDResult(
                index=index,
                path=path,
                img=self._display_source(data, path),
                prob=prob,
                mask=mask,
                target_map=target_map,
                targets=target_records(target_map, prob))

    @staticmethod
    def _display_source(data: dict, path: str) -> np.ndarray:
        """The grey image: the model input, unless the pipeline resized."""
        inputs = data['inputs']
        if inputs.shape[0] == 1 and tuple(inputs.shape[1:]) == tuple(
                data['data_samples'].ori_shape):
            return inputs[0].float().numpy()
        return read_ir_image(path)
