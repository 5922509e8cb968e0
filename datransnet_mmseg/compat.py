"""Compatibility patches for the pinned OpenMMLab stack.

Applied once, on ``import datransnet_mmseg`` (every tool imports the package
before any mmseg model or dataset module). Each patch is a no-op where it is
not needed:

1. ``mmcv._ext`` stand-in. ``mmcv-lite`` ships no compiled ops, yet
   ``mmseg.models`` and ``mmseg.datasets`` import ``mmcv.ops`` at import time.
   A stand-in module lets them import; calling a compiled op raises a
   ``NotImplementedError`` naming it. Nothing is patched when a compiled mmcv
   is installed.
2. Safe checkpoint loading. torch >= 2.6 refuses mmengine's checkpoints
   (``weights_only=True``), and ``weights_only=False`` would run any code a
   downloaded checkpoint carries. Local checkpoints are read by
   :func:`safe_torch_load`, a restricted unpickler: tensors, numpy arrays,
   containers and mmengine's ``HistoryBuffer`` are rebuilt; every other
   global is replaced by an inert placeholder and reported in a warning.
3. CPU-only ``torch.distributed``. Without CUDA, mmengine's launcher calls
   ``torch.cuda.set_device`` and DDP is given CUDA ``device_ids``; both fail.
   Without CUDA the process group uses ``gloo`` and DDP gets no
   ``device_ids``. With CUDA, mmengine's NCCL path is untouched.
4. One writer for the test log. mmengine's ``LoggerHook`` writes the test
   metrics' JSON log from every process of a distributed test, and the
   concurrent writes can corrupt it; only the main process writes it here.
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


def _install_safe_checkpoint_loader() -> None:
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=_load_from_local, force=True)


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
    from mmengine.model import MMDistributedDataParallel
    dist_utils._init_dist_pytorch = _init_dist_pytorch_cpu

    original_init = MMDistributedDataParallel.__init__
    if getattr(original_init, 'is_cpu_patch', False):
        return True

    def init_without_device_ids(self, module, *args, **kwargs):
        kwargs['device_ids'] = None
        original_init(self, module, *args, **kwargs)

    init_without_device_ids.is_cpu_patch = True
    MMDistributedDataParallel.__init__ = init_without_device_ids
    return True


# ---------------------------------------------------------------------------
# 4. The test JSON log written by the main process only
# ---------------------------------------------------------------------------
def _after_test_epoch_main_process_writes(self, runner, metrics=None):
    """``LoggerHook.after_test_epoch`` with the JSON dump on rank 0 only."""
    from mmengine.dist import is_main_process
    from mmengine.fileio import dump
    tag, log_str = runner.log_processor.get_log_after_epoch(
        runner, len(runner.test_dataloader), 'test', with_non_scalar=True)
    runner.logger.info(log_str)
    if is_main_process():
        dump(
            self._process_tags(tag),
            os.path.join(runner.log_dir, self.json_log_path))


def _install_single_writer_test_log() -> None:
    from mmengine.hooks import LoggerHook
    LoggerHook.after_test_epoch = _after_test_epoch_main_process_writes


def apply_patches() -> dict:
    """Apply every patch that the installed stack needs.

    Returns:
        dict: Which patches were applied.
    """
    applied = dict(mmcv_ext_stand_in=_install_mmcv_ext_stand_in())
    _install_safe_checkpoint_loader()
    applied['safe_checkpoint_loader'] = True
    applied['cpu_distributed'] = _install_cpu_distributed()
    _install_single_writer_test_log()
    applied['single_writer_test_log'] = True
    return applied


APPLIED = apply_patches()
