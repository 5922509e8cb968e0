"""Write detection results: masks, probability maps, overlays, tables."""
import csv
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np

from ..visualization import draw_detections
from .inference import IRSTDResult

TARGET_FIELDS = ('id', 'centroid_x', 'centroid_y', 'bbox_x', 'bbox_y',
                 'bbox_width', 'bbox_height', 'area', 'peak_score',
                 'mean_score')
PROB_FORMATS = ('png', 'npy')


def output_names(paths: Sequence[str]) -> List[str]:
    """Unique output names of input images.

    A name is the image's path relative to the deepest folder holding all
    inputs, without its extension: ``a/x.png`` and ``b/x.png`` become
    ``a/x`` and ``b/x``.

    Args:
        paths (Sequence[str]): The image files.

    Returns:
        list[str]: One name per path.

    Raises:
        ValueError: Two paths differ only by their extension.
    """
    folders = [osp.dirname(osp.abspath(path)) for path in paths]
    root = osp.commonpath(folders) if folders else ''
    names, first = [], {}
    for path in paths:
        name = osp.splitext(osp.relpath(osp.abspath(path), root))[0]
        if name in first:
            raise ValueError(
                f'{first[name]} and {path} would write the same outputs '
                f'("{name}"); rename one or run them separately.')
        first[name] = path
        names.append(name)
    return names


class IRSTDResultWriter:
    """Save the results of an inference run in a folder.

    Layout (``NAME`` from :func:`output_names`)::

        out_dir/masks/NAME.png       0/255 8-bit mask, original size
        out_dir/probs/NAME.png|.npy  probabilities (if save_prob)
        out_dir/overlays/NAME.png    boxes and centroids (if save_overlay)
        out_dir/targets.json         every image, its targets and failures
        out_dir/targets.csv          one row per target

    A 16-bit probability PNG stores ``round(prob * 65535)``; a ``.npy``
    file stores the float32 map. The tables are written by :meth:`close`,
    in the input order.

    Args:
        out_dir (str): Output folder (created).
        paths (Sequence[str]): All input images of the run, in order.
        save_prob (str, optional): ``'png'``, ``'npy'`` or None (no
            probability maps). Defaults to None.
        save_overlay (bool): Write overlays. Defaults to True.
        meta (dict, optional): Run settings stored in ``targets.json``
            (config, checkpoint, threshold, ...). Defaults to None.
    """

    def __init__(self,
                 out_dir: str,
                 paths: Sequence[str],
                 save_prob: Optional[str] = None,
                 save_overlay: bool = True,
                 meta: Optional[dict] = None) -> None:
        if save_prob not in (None, ) + PROB_FORMATS:
            raise ValueError(f'save_prob must be one of {PROB_FORMATS} or '
                             f'None, not {save_prob!r}.')
        self.out_dir = out_dir
        self.names = output_names(paths)
        self.save_prob = save_prob
        self.save_overlay = save_overlay
        self.meta = dict(meta or {})
        self.images: Dict[int, dict] = {}
        self.failed: Dict[int, dict] = {}
        os.makedirs(out_dir, exist_ok=True)

    def _path(self, folder: str, index: int, suffix: str) -> str:
        path = osp.join(self.out_dir, folder, self.names[index] + suffix)
        os.makedirs(osp.dirname(path), exist_ok=True)
        return path

    def write(self, result: IRSTDResult) -> None:
        """Save the files of one result and keep its table entry.

        Args:
            result (IRSTDResult): A result of
                :class:`~datransnet_mmseg.apis.IRSTDInferencer`.
        """
        if result.error is not None:
            self.failed[result.index] = dict(
                image=result.path, error=result.error)
            return
        cv2.imwrite(
            self._path('masks', result.index, '.png'),
            result.mask.astype(np.uint8) * 255)
        if self.save_prob == 'png':
            cv2.imwrite(
                self._path('probs', result.index, '.png'),
                np.round(result.prob * 65535).astype(np.uint16))
        elif self.save_prob == 'npy':
            np.save(
                self._path('probs', result.index, '.npy'),
                result.prob.astype(np.float32))
        if self.save_overlay:
            scores = [target['peak_score'] for target in result.targets]
            cv2.imwrite(
                self._path('overlays', result.index, '.png'),
                draw_detections(result.img, result.target_map, scores))
        height, width = result.mask.shape
        self.images[result.index] = dict(
            image=result.path,
            name=self.names[result.index],
            height=height,
            width=width,
            num_targets=len(result.targets),
            targets=result.targets)

    def close(self) -> dict:
        """Write ``targets.json`` and ``targets.csv``.

        Returns:
            dict: The content of ``targets.json``.
        """
        summary = dict(
            **self.meta,
            num_images=len(self.images),
            num_failed=len(self.failed),
            images=[self.images[i] for i in sorted(self.images)],
            failed=[self.failed[i] for i in sorted(self.failed)])
        with open(osp.join(self.out_dir, 'targets.json'), 'w') as f:
            json.dump(summary, f, indent=1)
        with open(osp.join(self.out_dir, 'targets.csv'), 'w',
                  newline='') as f:
            writer = csv.writer(f)
            writer.writerow(('image', ) + TARGET_FIELDS)
            for image in summary['images']:
                for target in image['targets']:
                    writer.writerow([image['image']] +
                                    [target[key] for key in TARGET_FIELDS])
        return summary
