"""Metrics of infrared small target detection (IRSTD)."""
import csv
import json
import logging
import os.path as osp
from collections import OrderedDict
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.dist import is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.utils import mkdir_or_exist
from mmseg.registry import METRICS
from prettytable import PrettyTable

from ..functional import CURVE_FIELDS, STAT_FIELDS, curve_stats, image_stats

_EPS = np.spacing(1)
_FIELD = {name: i for i, name in enumerate(STAT_FIELDS)}


def _ratio(num, den, eps: float = 0.):
    """``num / (eps + den)``, and 0 where that denominator is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64) + eps
    return np.divide(num, den, out=np.zeros_like(num), where=den != 0)


def _f1(precision, recall, eps: float = 0.):
    return _ratio(2 * precision * recall, precision + recall, eps)


@METRICS.register_module()
class IRSTDMetric(BaseMetric):
    """Pixel- and target-level metrics of infrared small target detection.

    Keys (flat, no prefix; in % like mmseg, except ``Fa``):

    - ``mIoU``: the IRSTD "mIoU", i.e. the IoU of the target class over the
      whole dataset, sum(intersections) / sum(unions). It is **not** mmseg's
      mean over classes.
    - ``nIoU``: mean over images of the per-image target IoU; an image
      whose union is empty (no target, no prediction) scores 0.
    - ``Pd``: matched ground-truth targets / ground-truth targets. Targets
      are connected components (``connectivity``); a predicted and a true
      target match when their centroids are closer than ``dist_thr``
      pixels (strict), one to one (``matching``).
    - ``Fa``: pixels of unmatched predicted targets / all pixels, x 1e-6
      (``Fa = 12.3`` means 12.3e-6).
    - ``pixel_precision``, ``pixel_recall``, ``pixel_F1``: over all
      pixels of the dataset.
    - ``target_precision``, ``target_recall`` (= ``Pd``), ``target_F1``:
      from matched / predicted / true target counts.
    - ``AUC``: pixel-level ROC AUC, only with ``curve_thresholds``.

    A ratio whose denominator is 0 is reported as 0.

    Protocols:

    - ``'basicirstd'`` (default): the corrected BasicIRSTD definition.
      Prediction = ``prob > threshold`` everywhere; ground truth {0, 1};
      Fa counts every pixel of every unmatched predicted component.
      Ground-truth pixels equal to ``ignore_index`` are left out of every
      count (prediction and ground truth alike); a warning gives how many.
    - ``'official'``: the official DATransNet evaluation scripts.
      mIoU/nIoU use ``prob > threshold``; Pd, Fa and the pixel F1 use the
      relative threshold ``prob / prob.max() > threshold`` per image; an
      unmatched component is a false alarm only if its area differs from
      the area of every matched component; ratios carry their epsilon
      (2.2e-16). With raw 8-bit masks (mmseg's ``LoadAnnotations``), the
      IoU label is ``mask >= 128``, the intersection and Pd/Fa targets are
      ``mask == 255`` and the F1 target ``mask == mask.max()``;
      ``ignore_index`` does not apply. Target-level P/R/F1 use the relative
      threshold too.

    Inputs: ``data_sample['seg_logits']``: 1 x H x W sigmoid probabilities
    (a one-channel head; mmseg applies the sigmoid) or 2 x H x W logits (a
    two-class softmax head; the target probability is softmax[1]). Without
    ``seg_logits``, ``pred_sem_seg`` is taken as a {0, 1} probability map.
    ``gt_sem_seg`` must have the same size (native resolution).

    Args:
        threshold (float): Probability threshold. Defaults to 0.5.
        dist_thr (float): Centroid distance threshold in pixels (strict).
            Defaults to 3.
        connectivity (int): 8 or 4. Defaults to 8.
        matching (str): ``'greedy'`` (each true target, in raster order,
            takes the first free predicted target in raster order within
            reach) or ``'hungarian'`` (most pairs, then least total
            distance). Defaults to ``'greedy'``.
        protocol (str): ``'basicirstd'`` or ``'official'``. Defaults to
            ``'basicirstd'``.
        ignore_index (int): Ignored ground-truth value. Defaults to 255.
        curve_thresholds (int | Sequence[float], optional): Thresholds of
            the Pd-Fa and ROC curves: a number K means ``k / K`` for
            k = 0..K-1. Curves use the ``'basicirstd'`` rules; their cost
            grows linearly with K. None disables them. Defaults to None.
        output_dir (str, optional): Where ``per_image.csv`` and, with
            curves, ``curves.json`` and ``curves.png`` (if matplotlib is
            installed) are written. Defaults to None.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Key prefix. Defaults to None.
        keep_results (bool): Accepted because ``tools/test.py --out`` sets
            it (as for mmseg's metrics); the per-image counts are written to
            ``output_dir`` either way. Defaults to False.
    """
    default_prefix: Optional[str] = None

    def __init__(self,
                 threshold: float = 0.5,
                 dist_thr: float = 3.,
                 connectivity: int = 8,
                 matching: str = 'greedy',
                 protocol: str = 'basicirstd',
                 ignore_index: int = 255,
                 curve_thresholds: Union[int, Sequence[float], None] = None,
                 output_dir: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 keep_results: bool = False) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if connectivity not in (4, 8):
            raise ValueError(f'connectivity must be 4 or 8, not '
                             f'{connectivity!r}.')
        if matching not in ('greedy', 'hungarian'):
            raise ValueError(f"matching must be 'greedy' or 'hungarian', "
                             f'not {matching!r}.')
        if protocol not in ('basicirstd', 'official'):
            raise ValueError(f"protocol must be 'basicirstd' or 'official', "
                             f'not {protocol!r}.')
        if dist_thr <= 0:
            raise ValueError(f'dist_thr must be positive, not {dist_thr!r}.')
        self.threshold = threshold
        self.dist_thr = dist_thr
        self.connectivity = connectivity
        self.matching = matching
        self.protocol = protocol
        self.ignore_index = ignore_index
        if isinstance(curve_thresholds, int):
            curve_thresholds = np.arange(curve_thresholds) / curve_thresholds
        self.curve_thresholds = (None if curve_thresholds is None else
                                 np.asarray(curve_thresholds, np.float64))
        if self.curve_thresholds is not None and (
                self.curve_thresholds.size == 0
                or np.any(np.diff(self.curve_thresholds) <= 0)):
            raise ValueError('curve_thresholds must be a positive number or '
                             'an increasing sequence of thresholds.')
        self.output_dir = output_dir
        if output_dir and is_main_process():
            mkdir_or_exist(output_dir)

    @staticmethod
    def _probability(data_sample: dict, name: str) -> np.ndarray:
        """Target probability map (H x W) of one data sample."""
        if 'seg_logits' not in data_sample:
            return data_sample['pred_sem_seg']['data'].detach().cpu().numpy(
            )[0]
        logits = data_sample['seg_logits']['data'].detach()
        if logits.shape[0] == 1:
            return logits.cpu().numpy()[0]
        if logits.shape[0] == 2:
            return torch.softmax(logits.float(), dim=0)[1].cpu().numpy()
        raise ValueError(
            f'seg_logits of {name} has {logits.shape[0]} channels; '
            'IRSTDMetric needs a one-channel (sigmoid) or two-class '
            '(softmax) head.')

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Store the per-image counts of one batch in ``self.results``.

        Each result is ``(name, counts)`` or, with curves,
        ``(name, counts, curve counts)``: small tuples and arrays that
        mmengine gathers across processes.

        Args:
            data_batch (dict): A batch from the dataloader (unused).
            data_samples (Sequence[dict]): The model outputs.
        """
        for data_sample in data_samples:
            name = osp.basename(data_sample.get('img_path', '')) or str(
                len(self.results))
            prob = self._probability(data_sample, name)
            gt = data_sample['gt_sem_seg']['data'].cpu().numpy()[0]
            counts = image_stats(prob, gt, self.threshold, self.dist_thr,
                                 self.connectivity, self.matching,
                                 self.protocol, self.ignore_index, name)
            if self.curve_thresholds is None:
                self.results.append((name, counts))
            else:
                self.results.append(
                    (name, counts,
                     curve_stats(prob, gt, self.curve_thresholds,
                                 self.dist_thr, self.connectivity,
                                 self.matching, self.ignore_index, name)))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Sum the per-image counts and compute the metrics.

        Args:
            results (list): The per-image results of every process.

        Returns:
            dict[str, float]: The metrics, keys as in the class docstring.
        """
        counts = np.array([r[1] for r in results], dtype=np.int64).reshape(
            -1, len(STAT_FIELDS))
        col = {name: counts[:, i] for name, i in _FIELD.items()}
        tot = {name: int(c.sum()) for name, c in col.items()}
        eps = _EPS if self.protocol == 'official' else 0.
        if tot['n_ignored']:
            print_log(
                f'IRSTDMetric: {tot["n_ignored"]} ground-truth pixels in '
                f'{int(np.count_nonzero(col["n_ignored"]))} images equal '
                f'ignore_index={self.ignore_index} and were left out. If '
                'they are targets of 0/255 masks, load the masks with '
                'LoadBinaryAnnotations.',
                logger='current',
                level=logging.WARNING)
        if tot['n_gt'] == 0:
            print_log(
                'IRSTDMetric: the evaluated images contain no target; Pd '
                'and the target recall are reported as 0.',
                logger='current')

        pix_p = _ratio(tot['pix_tp'], tot['pix_tp'] + tot['pix_fp'], eps)
        pix_r = _ratio(tot['pix_tp'], tot['pix_tp'] + tot['pix_fn'], eps)
        tgt_p = _ratio(tot['n_match'], tot['n_pred'])
        tgt_r = _ratio(tot['n_match'], tot['n_gt'])
        metrics = OrderedDict(
            mIoU=_ratio(tot['inter'], tot['union'], eps) * 100,
            nIoU=_ratio(col['inter'], col['union_niou'], eps).mean() * 100
            if len(counts) else 0.,
            Pd=tgt_r * 100,
            Fa=_ratio(tot['fa_px'], tot['n_px']) * 1e6,
            pixel_precision=pix_p * 100,
            pixel_recall=pix_r * 100,
            pixel_F1=_f1(pix_p, pix_r, eps) * 100,
            target_precision=tgt_p * 100,
            target_recall=tgt_r * 100,
            target_F1=_f1(tgt_p, tgt_r) * 100)
        if self.curve_thresholds is not None:
            curves = self._curves(results)
            metrics['AUC'] = curves['AUC'] * 100
        metrics = OrderedDict((k, float(v)) for k, v in metrics.items())

        table = PrettyTable(field_names=list(metrics))
        table.add_row([f'{v:.4f}' if k == 'Fa' else f'{v:.2f}'
                       for k, v in metrics.items()])
        print_log(
            f'IRSTD metrics ({self.protocol} protocol, {len(counts)} '
            f'images; Fa in 1e-6, others in %):\n{table.get_string()}',
            logger='current')
        if self.output_dir:
            self._write_per_image(results)
            if self.curve_thresholds is not None:
                self._write_curves(curves)
        return dict(metrics)

    def _curves(self, results: list) -> dict:
        """Pd-Fa and ROC curves and the pixel AUC from the curve counts."""
        curve = np.sum([r[2][0] for r in results], axis=0, dtype=np.int64)
        n_pos, n_gt, n_px = np.sum([r[2][1] for r in results],
                                   axis=0,
                                   dtype=np.int64)
        field = {name: curve[:, i] for i, name in enumerate(CURVE_FIELDS)}
        tpr = _ratio(field['pix_tp'], n_pos)
        fpr = _ratio(field['pix_fp'], n_px - n_pos)
        # Trapezoids over the ROC points closed by (0, 0) and (1, 1); the
        # AUC is as fine as the threshold grid.
        order = np.lexsort((tpr, fpr))
        x = np.concatenate([[0.], fpr[order], [1.]])
        y = np.concatenate([[0.], tpr[order], [1.]])
        auc = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
        return dict(
            thresholds=self.curve_thresholds.tolist(),
            Pd=(_ratio(field['n_match'], n_gt) * 100).tolist(),
            Fa=(_ratio(field['fa_px'], n_px) * 1e6).tolist(),
            TPR=tpr.tolist(),
            FPR=fpr.tolist(),
            precision=_ratio(field['pix_tp'],
                             field['pix_tp'] + field['pix_fp']).tolist(),
            AUC=auc)

    def _write_per_image(self, results: list) -> None:
        """Write one CSV row of counts (and IoU) per image."""
        path = osp.join(self.output_dir, 'per_image.csv')
        with open(path, 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['image', 'IoU', *STAT_FIELDS])
            for name, counts, *_ in results:
                iou = _ratio(counts[_FIELD['inter']],
                             counts[_FIELD['union_niou']])
                writer.writerow([name, f'{float(iou):.6f}', *counts])
        print_log(f'IRSTDMetric: per-image counts written to {path}',
                  logger='current')

    def _write_curves(self, curves: dict) -> None:
        """Write the curves as JSON and, if matplotlib exists, as a PNG."""
        path = osp.join(self.output_dir, 'curves.json')
        with open(path, 'w') as f:
            json.dump(curves, f, indent=1)
        try:
            import matplotlib
            matplotlib.use('Agg')
            import matplotlib.pyplot as plt
        except ImportError:
            print_log(
                f'IRSTDMetric: curves written to {path} (install matplotlib '
                'for curves.png)',
                logger='current')
            return
        fig, (ax_pdfa, ax_roc) = plt.subplots(1, 2, figsize=(10, 4))
        ax_pdfa.plot(curves['Fa'], curves['Pd'], marker='.')
        ax_pdfa.set(xlabel='Fa (1e-6)', ylabel='Pd (%)', title='Pd-Fa')
        ax_roc.plot(curves['FPR'], curves['TPR'], marker='.')
        ax_roc.set(
            xlabel='FPR',
            ylabel='TPR',
            title=f'pixel ROC, AUC = {curves["AUC"]:.4f}')
        fig.tight_layout()
        png = osp.join(self.output_dir, 'curves.png')
        fig.savefig(png, dpi=100)
        plt.close(fig)
        print_log(f'IRSTDMetric: curves written to {path} and {png}',
                  logger='current')
