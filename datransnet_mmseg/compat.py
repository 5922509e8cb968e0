"""Compatibility patches for the pinned OpenMMLab stack.

Applied once, on ``import datransnet_mmseg`` (every tool imports the package
before any mmseg model or dataset module). Each patch states the condition
it needs and applies only where that condition holds:

1. ``mmcv._ext`` stand-in, where mmcv has no compiled ops (``mmcv-lite``):
   ``mmseg.models`` and ``mmseg.datasets`` import ``mmcv.ops`` at import
   time. A stand-in module lets them import; calling a compiled op raises a
   ``NotImplementedError`` naming it.
2. Safe checkpoint loading, always on. torch >= 2.6 refuses mmengine's own
   checkpoints (``weights_only=True``), and ``weights_only=False`` would run
   any code a downloaded checkpoint carries. mmengine's loaders of local
   files, of ``http(s)://`` URLs (and the ``open-mmlab://`` style names
   that resolve to URLs) and of the file backends (``s3://``, ``petrel://``)
   read through :func:`safe_torch_load`, a restricted unpickler: tensors,
   numpy arrays, containers and mmengine's ``HistoryBuffer`` are rebuilt;
   every other global is replaced by an inert placeholder and reported in a
   warning. Kept on with any torch: it is what makes untrusted checkpoints
   safe to load.
3. CPU-only ``torch.distributed``, where CUDA is not available: mmengine's
   PyTorch launcher calls ``torch.cuda.set_device``; here the process group
   uses ``gloo`` instead. (DDP's ``device_ids`` are set by configuration,
   see :func:`datransnet_mmseg.apis.runner_config.cpu_ddp_wrapper`.)
4. One writer for the test log, for mmengine <= 0.10.7, whose
   ``LoggerHook.after_test_epoch`` writes the test metrics' JSON log from
   every process of a distributed test (concurrent writes can corrupt it):
   the original method runs on every process, without the JSON dump on the
   others than the main one.
"""
import builtins
import copyreg
import importlib.machinery
import importlib.util
import io
import os
import pickle
import sys
import types
import warnings
from urllib.parse import urlparse

import torch

__all__ = ['safe_torch_load', 'UnsafeCheckpointWarning', 'apply_patches']


# ---------------------------------------------------------------------------
# 1. mmcv._ext stand-in for mmcv-lite
# ---------------------------------------------------------------------------
class _MissingCompiledOps(types.ModuleType):
    """Stand-in for ``mmcv._ext``: every attribute is an op that raises."""

    def __getattr__(self, op_name):
        if op_name.startswith('__'):
            raise AttributeError(op_name)

        def missing_op(*args, **kwargs):
            raise NotImplementedError(
                f'mmcv op "{op_name}" needs the compiled mmcv package, but '
                'mmcv-lite is installed. Every DATransNet op is plain '
                'PyTorch; to use this op, install full mmcv (see README, '
                '"Full mmcv").')

        missing_op.__name__ = op_name
        return missing_op


def _install_mmcv_ext_stand_in() -> bool:
    """Register ``mmcv._ext`` if no compiled mmcv is installed.

    Returns:
        bool: Whether the stand-in was installed.
    """
    if 'mmcv._ext' in sys.modules:
        return isinstance(sys.modules['mmcv._ext'], _MissingCompiledOps)
    if importlib.util.find_spec('mmcv') is None:
        return False
    if importlib.util.find_spec('mmcv._ext') is not None:
        return False  # full mmcv: its compiled ops are used
    stand_in = _MissingCompiledOps('mmcv._ext')
    # A spec without a loader: mmengine's "is mmcv-full" check says no.
    stand_in.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', None)
    sys.modules['mmcv._ext'] = stand_in
    return True


# ---------------------------------------------------------------------------
# 2. Restricted checkpoint unpickling
# ---------------------------------------------------------------------------
class UnsafeCheckpointWarning(UserWarning):
    """A checkpoint referenced code that was not run."""


class NeutralisedObject:
    """Inert stand-in for a global a checkpoint asked for but was refused.

    Calling, constructing or restoring it only records the arguments.
    """

    qualname = '?'

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        self.args = args

    def __setstate__(self, state):
        self.state = state

    def __call__(self, *args, **kwargs):
        return _placeholder_class(self.qualname + '()')(*args)

    def __repr__(self):
        return f'<neutralised {self.qualname}>'


_PLACEHOLDERS = {}


def _placeholder_class(qualname):
    if qualname not in _PLACEHOLDERS:
        _PLACEHOLDERS[qualname] = type('Neutralised', (NeutralisedObject, ),
                                       {'qualname': qualname})
    return _PLACEHOLDERS[qualname]


def _allowed_globals():
    """Globals a checkpoint may reference: data types, no behaviour."""
    import numpy as np
    from torch import _weights_only_unpickler

    allowed = dict(_weights_only_unpickler._get_allowed_globals())
    for obj in torch.serialization.get_safe_globals():
        if isinstance(obj, tuple):
            obj, name = obj
        else:
            name = f'{obj.__module__}.{obj.__name__}'
        allowed[name] = obj
    multiarray = np._core.multiarray if hasattr(np, '_core') else \
        np.core.multiarray
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        allowed[f'{module}._reconstruct'] = multiarray._reconstruct
        allowed[f'{module}.scalar'] = multiarray.scalar
    allowed['numpy.ndarray'] = np.ndarray
    allowed['numpy.dtype'] = np.dtype
    for name in dir(np.dtypes):
        if name.endswith('DType'):
            allowed[f'numpy.dtypes.{name}'] = getattr(np.dtypes, name)
    for name in ('bool', 'int', 'float', 'str', 'bytes', 'tuple', 'list',
                 'dict', 'frozenset', 'slice', 'object'):
        allowed[f'builtins.{name}'] = getattr(builtins, name)
    allowed['copyreg._reconstructor'] = copyreg._reconstructor
    allowed['mmengine.logging.history_buffer.HistoryBuffer'] = \
        _history_buffer_class()
    return allowed


def _history_buffer_class():
    """mmengine's ``HistoryBuffer`` restored from data only.

    mmengine pickles the class-level statistics functions with each buffer
    and merges them back into the class on load; here only the buffer's
    data is restored and the class keeps its own functions.
    """
    from mmengine.logging import HistoryBuffer

    class RestoredHistoryBuffer(HistoryBuffer):

        def __setstate__(self, state):
            self.__class__ = HistoryBuffer
            self.max_length = int(state['max_length'])
            self._log_history = state['_log_history']
            self._count_history = state['_count_history']
            self._set_default_statistics()  # as HistoryBuffer.__init__ does

    return RestoredHistoryBuffer


def _restricted_getattr(refused):
    """``getattr`` limited to mmengine's ``HistoryBuffer`` statistics."""
    from mmengine.logging import HistoryBuffer

    def getattr_statistics_only(obj, name, *default):
        if (isinstance(obj, type) and issubclass(obj, HistoryBuffer)
                and name in ('min', 'max', 'current', 'mean')):
            return getattr(HistoryBuffer, name)
        qualname = f'getattr({getattr(obj, "__name__", type(obj).__name__)}'\
                   f', {name!r})'
        refused.add(qualname)
        return _placeholder_class(qualname)()

    return getattr_statistics_only


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickler that resolves only allowlisted globals."""

    allowed = None
    refused = None

    def find_class(self, module, name):
        qualname = f'{module}.{name}'
        if qualname in self.allowed:
            return self.allowed[qualname]
        self.refused.add(qualname)
        return _placeholder_class(qualname)


def _restricted_pickle_module(refused):
    """A ``pickle``-like module for ``torch.load(pickle_module=...)``."""
    module = types.ModuleType('datransnet_mmseg_restricted_pickle')
    allowed = _allowed_globals()
    for builtins_module in ('builtins', '__builtin__'):
        allowed[f'{builtins_module}.getattr'] = _restricted_getattr(refused)
    module.Unpickler = type('Unpickler', (_RestrictedUnpickler, ),
                            dict(allowed=allowed, refused=refused))
    module.load = lambda file, **kw: module.Unpickler(file, **kw).load()
    module.loads = lambda data, **kw: module.load(io.BytesIO(data), **kw)
    module.__name__ = 'pickle'  # torch only accepts modules named like this
    return module


def safe_torch_load(file, map_location=None):
    """Load a checkpoint without running code it carries.

    Tensors, numpy data, containers and mmengine ``HistoryBuffer`` s are
    restored. Any other global (a function or class the pickle names) is
    replaced by an inert :class:`NeutralisedObject` and reported through an
    :class:`UnsafeCheckpointWarning`.

    Args:
        file (str | os.PathLike | file-like): The checkpoint.
        map_location: Same as :func:`torch.load`.

    Returns:
        The unpickled object.
    """
    refused = set()
    checkpoint = torch.load(
        file,
        map_location=map_location,
        pickle_module=_restricted_pickle_module(refused),
        weights_only=False)
    if refused:
        warnings.warn(
            f'Checkpoint {file} references code that was not run: '
            f'{", ".join(sorted(refused))}. These entries were replaced by '
            'inert placeholders. Load only checkpoints from sources you '
            'trust.', UnsafeCheckpointWarning)
    return checkpoint


def _load_from_local(filename, map_location):
    """mmengine's local-file checkpoint loader, through the safe unpickler."""
    filename = os.path.expanduser(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'Checkpoint {filename} can not be found.')
    return safe_torch_load(filename, map_location=map_location)


def _load_from_http(filename, map_location=None, model_dir=None,
                    progress=False):
    """mmengine's URL loader, through the safe unpickler.

    The file is downloaded once into torch hub's checkpoint folder (or
    ``model_dir``) and read from there; in a distributed run rank 0
    downloads it first, as mmengine does.
    """
    from mmengine.dist import get_dist_info
    from torch.hub import download_url_to_file, get_dir

    model_dir = model_dir or os.path.join(get_dir(), 'checkpoints')
    cached = os.path.join(model_dir,
                          os.path.basename(urlparse(filename).path))

    def download():
        if not os.path.isfile(cached):
            os.makedirs(model_dir, exist_ok=True)
            download_url_to_file(filename, cached, progress=progress)

    rank, world_size = get_dist_info()
    if rank == 0:
        download()
    if world_size > 1:
        torch.distributed.barrier()
        download()
    return safe_torch_load(cached, map_location=map_location)


def _load_from_backend(filename, map_location=None, backend='petrel'):
    """mmengine's file-backend loader (``s3://``, ``petrel://``), through
    the safe unpickler."""
    from mmengine.fileio import get_file_backend
    file_backend = get_file_backend(
        filename, backend_args=dict(backend=backend))
    return safe_torch_load(
        io.BytesIO(file_backend.get(filename)), map_location=map_location)


def _install_safe_checkpoint_loader() -> None:
    import mmengine.runner.checkpoint as checkpoint
    # the open-mmlab://, mmcls:// ... loaders call load_from_http by name
    checkpoint.load_from_http = _load_from_http
    for prefixes, loader in (('', _load_from_local),
                             (('http://', 'https://'), _load_from_http),
                             (('s3://', 'petrel://'), _load_from_backend)):
        checkpoint.CheckpointLoader.register_scheme(
            prefixes=prefixes, loader=loader, force=True)


# ---------------------------------------------------------------------------
# 3. torch.distributed without CUDA
# ---------------------------------------------------------------------------
def _init_dist_pytorch_cpu(backend, init_backend='torch', **kwargs):
    """mmengine's PyTorch launcher on a machine without CUDA: gloo."""
    if backend != 'gloo':
        warnings.warn(f'CUDA is not available: using the "gloo" backend '
                      f'instead of "{backend}".')
    if init_backend != 'torch':
        raise ValueError('Without CUDA only init_backend="torch" is '
                         f'supported, got "{init_backend}".')
    torch.distributed.init_process_group(backend='gloo', **kwargs)


def _install_cpu_distributed() -> bool:
    if torch.cuda.is_available():
        return False
    import mmengine.dist.utils as dist_utils
    dist_utils._init_dist_pytorch = _init_dist_pytorch_cpu
    return True


# ---------------------------------------------------------------------------
# 4. The test JSON log written by the main process only
# ---------------------------------------------------------------------------
def _install_single_writer_test_log() -> bool:
    import mmengine
    import mmengine.hooks.logger_hook as logger_hook
    from mmengine.utils import digit_version

    if digit_version(mmengine.__version__) > digit_version('0.10.7'):
        return False
    original = logger_hook.LoggerHook.after_test_epoch
    if getattr(original, 'single_writer', False):
        return True

    def after_test_epoch(self, runner, metrics=None):
        from mmengine.dist import is_main_process
        if is_main_process():
            return original(self, runner, metrics)
        dump = logger_hook.dump
        logger_hook.dump = lambda *args, **kwargs: None
        try:
            return original(self, runner, metrics)
        finally:
            logger_hook.dump = dump

    after_test_epoch.single_writer = True
    logger_hook.LoggerHook.after_test_epoch = after_test_epoch
    return True


def apply_patches() -> dict:
    """Apply every patch that the installed stack needs.

    Returns:
        dict: Which patches were applied.
    """
    applied = dict(mmcv_ext_stand_in=_install_mmcv_ext_stand_in())
    _install_safe_checkpoint_loader()
    applied['safe_checkpoint_loader'] = True
    applied['cpu_distributed'] = _install_cpu_distributed()
    applied['single_writer_test_log'] = _install_single_writer_test_log()
    return applied


APPLIED = apply_patches()
