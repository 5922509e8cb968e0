"""Import the official DATransNet class from a local checkout.

Used only to compare against the official implementation (benchmarks,
equivalence checks); nothing of the official code is part of this package.
The checkout is the root of a clone of
https://github.com/greekinRoma/DATransNet, given at run time.
"""
import importlib
import sys
import types
from pathlib import Path

# The official ``model/DATransNet/CSPBlocks/InceptionNext.py`` imports these
# timm names at module level; DATransNet uses none of them.
_TIMM_NAMES = {
    'timm': (),
    'timm.data': ('IMAGENET_DEFAULT_MEAN', 'IMAGENET_DEFAULT_STD'),
    'timm.models': (),
    'timm.models.helpers': ('checkpoint_seq', ),
    'timm.models.layers': ('trunc_normal_', 'DropPath'),
    'timm.models.registry': ('register_model', ),
}


def import_official_datransnet(repo: str) -> type:
    """Return the official ``DATransNet`` class of the checkout at ``repo``.

    If timm is missing (or lacks one of those names), inert stand-ins for
    the few timm names the official package imports (but DATransNet never
    calls) are registered while importing and removed afterwards.

    Args:
        repo (str): Root of the official repository checkout.

    Returns:
        type: The official ``DATransNet`` ``nn.Module`` class.
    """
    root = Path(repo).resolve()
    if not (root / 'model' / 'DATransNet' / 'segmentation.py').is_file():
        raise FileNotFoundError(
            f'{root} is not a checkout of greekinRoma/DATransNet '
            '(model/DATransNet/segmentation.py is missing)')
    sys.path.insert(0, str(root))
    try:
        try:
            module = importlib.import_module('model.DATransNet.segmentation')
        except ImportError as error:
            if 'timm' not in str(error):
                raise
            for name in list(sys.modules):
                if name == 'model' or name.startswith('model.'):
                    del sys.modules[name]
            module = _import_with_timm_stand_ins()
    finally:
        sys.path.remove(str(root))
    return module.DATransNet


def _import_with_timm_stand_ins():
    saved = {name: sys.modules.get(name) for name in _TIMM_NAMES}
    for name, attrs in _TIMM_NAMES.items():
        module = types.ModuleType(name)
        for attr in attrs:
            setattr(module, attr, lambda *args, **kwargs: None)
        sys.modules[name] = module
    try:
        return importlib.import_module('model.DATransNet.segmentation')
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
