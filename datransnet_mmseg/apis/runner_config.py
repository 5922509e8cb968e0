"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``."""
import gc
import os
import os.path as osp
import tempfile

import torch
import torch.distributed as torch_dist
from mmengine.config import Config


def load_config(config: str,
                launcher: str = 'none',
                work_dir: str = None,
                cfg_options: dict = None) -> Config:
    """Load a config the way the command-line tools do.

    Args:
        config (str): Config file.
        launcher (str): Job launcher. Defaults to ``'none'``.
        work_dir (str, optional): Overrides the config's work dir; without
            either, ``./work_dirs/<config name>``. Defaults to None.
        cfg_options (dict, optional): Overrides of config entries.
            Defaults to None.

    Returns:
        Config: The config.
    """
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options is not None:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config))[0])
    return cfg


def release_distributed() -> None:
    """Destroy the process group, if any, before the process exits.

    Left alive, gloo's threads can abort the interpreter at exit. A DDP
    module must not outlive its group either: drop the last reference to the
    runner first (the runner and its loops refer to each other, so it is
    freed by the garbage collection made here).
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        gc.collect()
        torch_dist.destroy_process_group()


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


def use_cpu_ddp_wrapper(cfg: Config) -> Config:
    """Give DDP no CUDA ``device_ids`` in a distributed run without CUDA.

    mmengine wraps the model in ``MMDistributedDataParallel`` with
    ``device_ids=[LOCAL_RANK]``, which DDP refuses for a CPU module. Where
    CUDA is not available and the config sets no ``model_wrapper_cfg``,
    one without device ids is set. Nothing changes with CUDA or without a
    launcher.

    Args:
        cfg (Config): The loaded config (``cfg.launcher`` set).

    Returns:
        Config: ``cfg``, modified in place.
    """
    if cfg.get('launcher', 'none') != 'none' and \
            not torch.cuda.is_available() and \
            cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    return cfg


def use_amp(cfg: Config) -> Config:
    """Train with automatic mixed precision (``--amp``; CUDA only).

    Args:
        cfg (Config): The loaded config.

    Returns:
        Config: ``cfg``, its optimizer wrapper an ``AmpOptimWrapper`` with a
        dynamic loss scale.
    """
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
    return cfg


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
        use_amp(cfg)
    cfg.resume = resume
    use_cpu_ddp_wrapper(cfg)
    check_work_dir_writable(cfg.work_dir)
    return cfg


def _metric_matching(cfg: Config) -> dict:
    """Threshold and matching settings of the config's IRSTD test metric."""
    evaluators = cfg.get('test_evaluator', [])
    if isinstance(evaluators, dict):
        evaluators = [evaluators]
    for evaluator in evaluators:
        if evaluator.get('type') == 'IRSTDMetric':
            settings = dict(threshold=evaluator.get('threshold', 0.5))
            for key in ('dist_thr', 'connectivity', 'matching'):
                if key in evaluator:
                    settings[key] = evaluator[key]
            return settings
    return {}


def prepare_test_config(cfg: Config,
                        checkpoint: str,
                        show: bool = False,
                        show_dir: str = None,
                        wait_time: float = 2,
                        out: str = None) -> Config:
    """Apply the command-line switches of ``tools/test.py``.

    Args:
        cfg (Config): The loaded config; ``cfg.work_dir`` must be set.
        checkpoint (str): Checkpoint to test: a file, a URL or any path
            mmengine's ``CheckpointLoader`` reads.
        show (bool): Show image | ground truth | prediction panels in a
            window (mmseg's ``SegVisualizationHook`` with the config's
            visualizer, :class:`~datransnet_mmseg.visualization.
            IRSTDLocalVisualizer` in this project's configs, set to match
            targets as the test metric does). Defaults to False.
        show_dir (str, optional): Save those panels through the
            visualizer's backends, with the folder as the visualizer's
            ``save_dir``, as mmseg's ``--show-dir`` does; a relative folder
            is taken inside the work dir. The local backend writes
            ``<show_dir>/vis_data/vis_image/test_<image file>_0.png``.
            Defaults to None.
        wait_time (float): Seconds each shown panel stays. Defaults to 2.
        out (str, optional): Folder for per-image results and curves
            written by the metric. Defaults to None.

    Returns:
        Config: ``cfg``, modified in place.
    """
    if '://' not in checkpoint and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'Checkpoint "{checkpoint}" does not exist.')
    cfg.load_from = checkpoint
    # checks the checkpoint as mmengine reads it (any file backend, once)
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
        dict(type='CheckpointMatchHook', source=checkpoint)
    ]
    use_cpu_ddp_wrapper(cfg)
    if show or show_dir:
        # mmseg's tools/test.py switches the visualization hook on the same
        # way; every test image gets a panel (interval 1). The hook reads
        # runner.iter, which builds the training loop, and its dataset, if
        # the config has one: a test must not need the training data.
        for key in ('train_dataloader', 'train_cfg', 'optim_wrapper',
                    'param_scheduler'):
            cfg[key] = None
        cfg.setdefault('default_hooks', {})
        cfg.default_hooks['visualization'] = dict(
            type='SegVisualizationHook',
            draw=True,
            interval=1,
            show=show,
            wait_time=wait_time)
        if cfg.visualizer.get('type') == 'IRSTDLocalVisualizer':
            cfg.visualizer.update(_metric_matching(cfg))
    if show_dir:
        cfg.visualizer['save_dir'] = osp.join(cfg.work_dir, show_dir)
    if out is not None:
        cfg.test_evaluator['output_dir'] = out
        cfg.test_evaluator['keep_results'] = True
    check_work_dir_writable(cfg.work_dir)
    return cfg
