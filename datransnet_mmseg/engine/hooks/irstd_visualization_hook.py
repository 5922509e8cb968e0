"""Test-time panels: image | ground truth | prediction, targets matched."""
import os
import os.path as osp
from typing import Optional, Sequence

import cv2
from mmengine.hooks import Hook
from mmseg.registry import HOOKS
from mmseg.structures import SegDataSample

from ...datasets import LoadIRImageFromFile
from ...visualization import draw_comparison


@HOOKS.register_module()
class IRSTDVisualizationHook(Hook):
    """Draw one comparison panel per test image.

    Each panel shows the image, the ground truth and the prediction side by
    side. Targets are matched as :class:`~datransnet_mmseg.evaluation.
    IRSTDMetric` matches them: hits are green, missed ground-truth targets
    magenta, false alarms (unmatched predicted components) orange; see
    :func:`~datransnet_mmseg.visualization.draw_comparison`. The panel of
    ``<dir>/<name>.<ext>`` is saved as ``out_dir/<name>.png``.

    ``tools/test.py --show-dir DIR`` (and ``--show``) installs this hook in
    place of ``default_hooks.visualization`` with the matching settings of
    the test metric.

    Args:
        draw (bool): Draw anything at all. Defaults to False.
        out_dir (str, optional): Folder of the panels (created). Defaults
            to None (not saved).
        show (bool): Show each panel in a window. Defaults to False.
        wait_time (float): Seconds each shown panel stays; 0 waits for a
            key. Defaults to 0.
        threshold (float, optional): Predicted target pixels are
            ``seg_logits > threshold``, as the metric thresholds them; None
            takes the model's ``pred_sem_seg``. Defaults to None.
        dist_thr (float): Centroid distance threshold of a match in pixels
            (strict). Defaults to 3.
        connectivity (int): 8 or 4. Defaults to 8.
        matching (str): ``'greedy'`` or ``'hungarian'``. Defaults to
            ``'greedy'``.
    """

    priority = 'NORMAL'

    def __init__(self,
                 draw: bool = False,
                 out_dir: Optional[str] = None,
                 show: bool = False,
                 wait_time: float = 0.,
                 threshold: Optional[float] = None,
                 dist_thr: float = 3.,
                 connectivity: int = 8,
                 matching: str = 'greedy') -> None:
        self.draw = draw
        self.out_dir = out_dir
        self.show = show
        self.wait_time = wait_time
        self.threshold = threshold
        self.dist_thr = dist_thr
        self.connectivity = connectivity
        self.matching = matching
        self._loader = LoadIRImageFromFile()
        if draw and out_dir:
            os.makedirs(out_dir, exist_ok=True)

    def _prediction(self, sample: SegDataSample):
        if self.threshold is None:
            return sample.pred_sem_seg.data[0].cpu().numpy() > 0
        return sample.seg_logits.data[0].cpu().numpy() > self.threshold

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence[SegDataSample]] = None
                        ) -> None:
        """Draw the panels of one test batch.

        Args:
            runner (Runner): The runner of the test.
            batch_idx (int): Index of the batch.
            data_batch (dict, optional): The batch (unused).
            outputs (Sequence[SegDataSample], optional): The predictions.
        """
        if not self.draw or not outputs:
            return
        for sample in outputs:
            img = self._loader(dict(img_path=sample.img_path))['img']
            gt = (sample.gt_sem_seg.data[0].cpu().numpy() == 1
                  if 'gt_sem_seg' in sample else None)
            panel, _ = draw_comparison(img, gt, self._prediction(sample),
                                       self.dist_thr, self.connectivity,
                                       self.matching)
            name = osp.splitext(osp.basename(sample.img_path))[0]
            if self.out_dir:
                cv2.imwrite(osp.join(self.out_dir, f'{name}.png'), panel)
            if self.show:
                runner.visualizer.show(
                    panel[..., ::-1], win_name=name, wait_time=self.wait_time)
