"""mmseg visualizer drawing IRSTD comparison panels."""
from typing import Optional

import cv2
import mmcv
import numpy as np
from mmseg.registry import VISUALIZERS
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from .irstd_drawing import draw_comparison


@VISUALIZERS.register_module()
class IRSTDLocalVisualizer(SegLocalVisualizer):
    """Draw image | ground truth | prediction panels of targets.

    A :class:`~mmseg.visualization.SegLocalVisualizer` whose
    :meth:`add_datasample` draws the panel of
    :func:`~datransnet_mmseg.visualization.draw_comparison` instead of
    colour maps: targets are matched as
    :class:`~datransnet_mmseg.evaluation.IRSTDMetric` matches them, hits
    green, missed ground-truth targets magenta, false alarms orange. It is
    driven by mmseg's ``SegVisualizationHook`` (validation and
    ``tools/test.py --show``/``--show-dir``) and by ``MMSegInferencer``
    (image | prediction, every target a false alarm since there is no
    ground truth); panels go to every vis backend of the visualizer
    (local files, TensorBoard, Weights & Biases). A sample without a
    prediction is drawn by :class:`~mmseg.visualization.SegLocalVisualizer`.

    Args:
        name (str): Name of the instance. Defaults to ``'visualizer'``.
        threshold (float, optional): Predicted target pixels are
            ``seg_logits > threshold`` (the metric's threshold); None takes
            the model's ``pred_sem_seg``. Defaults to None.
        dist_thr (float): Centroid distance threshold of a match in pixels
            (strict). Defaults to 3.
        connectivity (int): 8 or 4. Defaults to 8.
        matching (str): ``'greedy'`` or ``'hungarian'``. Defaults to
            ``'greedy'``.
        min_side (int): Images whose long side is shorter are enlarged by a
            whole factor towards this size. Defaults to 512.
        **kwargs: Arguments of
            :class:`~mmseg.visualization.SegLocalVisualizer`
            (``vis_backends``, ``save_dir``, ...).
    """

    def __init__(self,
                 name: str = 'visualizer',
                 threshold: Optional[float] = None,
                 dist_thr: float = 3.,
                 connectivity: int = 8,
                 matching: str = 'greedy',
                 min_side: int = 512,
                 **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.dist_thr = dist_thr
        self.connectivity = connectivity
        self.matching = matching
        self.min_side = min_side

    def _prediction(self, sample: SegDataSample) -> np.ndarray:
        if self.threshold is None or 'seg_logits' not in sample:
            return sample.pred_sem_seg.data[0].cpu().numpy() > 0
        return sample.seg_logits.data[0].cpu().numpy() > self.threshold

    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample: Optional[SegDataSample] = None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       step: int = 0,
                       with_labels: Optional[bool] = True) -> None:
        """Draw a panel and show it, save it or send it to the backends.

        Args:
            name (str): The image identifier (backend key, window name).
            image (np.ndarray): The image, RGB H x W x 3 (as mmseg's hook
                and inferencer read it) or grey H x W.
            data_sample (SegDataSample, optional): Prediction and, if any,
                ground truth. Defaults to None.
            draw_gt (bool): Draw the ground truth. Defaults to True.
            draw_pred (bool): Draw the prediction. Defaults to True.
            show (bool): Show the panel in a window instead of sending it
                to the backends. Defaults to False.
            wait_time (float): Seconds a shown panel stays. Defaults to 0.
            out_file (str, optional): Save the panel to this file instead
                of sending it to the backends. Defaults to None.
            step (int): Global step of the backends. Defaults to 0.
            with_labels (bool, optional): Unused (kept for the signature of
                the parent class). Defaults to True.
        """
        if (not draw_pred or data_sample is None
                or 'pred_sem_seg' not in data_sample):
            super().add_datasample(name, image, data_sample, draw_gt,
                                   draw_pred, show, wait_time, out_file,
                                   step, with_labels)
            return
        grey = image if image.ndim == 2 else cv2.cvtColor(
            image, cv2.COLOR_RGB2GRAY)
        gt = None
        if draw_gt and 'gt_sem_seg' in data_sample:
            gt = data_sample.gt_sem_seg.data[0].cpu().numpy() == 1
        panel, _ = draw_comparison(grey, gt, self._prediction(data_sample),
                                   self.dist_thr, self.connectivity,
                                   self.matching, self.min_side)
        drawn = np.ascontiguousarray(panel[..., ::-1])  # BGR -> RGB
        self.set_image(drawn)
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(panel, out_file)
        elif not show:
            self.add_image(name, drawn, step)
