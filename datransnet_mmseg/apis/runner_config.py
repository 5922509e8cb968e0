"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``."""
import os
import os.path as osp
import tempfile

import torch
from mmengine.config import Config


def check_work_dir_writable(work_dir: str) -> None:
    """Fail at start, not after hours of training, if logs can't be saved.

    Args:
        work_dir (str): The run's work dir; created if missing.

    Raises:
        PermissionError: If the folder can't be created or written.
    """
    try:
        os.makedirs(work_dir, exist_ok=True)
        with tempfile.TemporaryFile(dir=work_dir):
            pass
    except OSError as error:
        raise PermissionError(
            f'Work dir "{work_dir}" is not writable ({error}). Pass a '
            'writable folder with --work-dir.') from error


def prepare_train_config(cfg: Config, amp: bool = False,
                         resume: bool = False) -> Config:
    """Apply the command-line switches of ``tools/train.py``.

    Args:
        cfg (Config): The loaded config; ``cfg.work_dir`` must be set.
        amp (bool): Train with automatic mixed precision (CUDA only).
            Defaults to False.
        resume (bool): Resume from the latest checkpoint in the work dir.
            Defaults to False.

    Returns:
        Config: ``cfg``, modified in place.
    """
    if amp:
        if not torch.cuda.is_available():
            raise RuntimeError(
                '--amp needs a CUDA device; train without --amp on CPU.')
        wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper_type == 'AmpOptimWrapper':
            print('AMP training is already enabled in your config.')
        elif wrapper_type == 'OptimWrapper':
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
        else:
            raise ValueError(
                f'--amp supports only OptimWrapper, got {wrapper_type}.')
    cfg.resume = resume
    check_work_dir_writable(cfg.work_dir)
    return cfg


def prepare_test_config(cfg: Config,
                        checkpoint: str,
                        show: bool = False,
                        show_dir: str = None,
                        wait_time: float = 2,
                        out: str = None) -> Config:
    """Apply the command-line switches of ``tools/test.py``.

    Args:
        cfg (Config): The loaded config; ``cfg.work_dir`` must be set.
        checkpoint (str): Checkpoint to test.
        show (bool): Show predictions in a window. Defaults to False.
        show_dir (str, optional): Folder for the painted predictions.
            Defaults to None.
        wait_time (float): Seconds each shown image stays. Defaults to 2.
        out (str, optional): Folder for per-image results and curves
            written by the metric. Defaults to None.

    Returns:
        Config: ``cfg``, modified in place.
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'Checkpoint "{checkpoint}" does not exist.')
    cfg.load_from = checkpoint
    if show or show_dir:
        hooks = cfg.default_hooks
        if 'visualization' not in hooks:
            raise KeyError('"visualization" is not in default_hooks of the '
                           'config; --show/--show-dir need it.')
        hooks.visualization.draw = True
        hooks.visualization.interval = 1
        if show:
            hooks.visualization.show = True
            hooks.visualization.wait_time = wait_time
        if show_dir:
            cfg.visualizer.save_dir = show_dir
    if out is not None:
        cfg.test_evaluator['output_dir'] = out
        cfg.test_evaluator['keep_results'] = True
    check_work_dir_writable(cfg.work_dir)
    return cfg
