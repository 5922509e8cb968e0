"""Import a module of an official repository from a local checkout.

Used only to compare against the official implementations (benchmarks,
equivalence checks); nothing of the official code is part of this package.
"""
import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Dict, Optional, Sequence


def import_from_checkout(
        repo: str,
        module: str,
        stand_ins: Optional[Dict[str, Sequence[str]]] = None
) -> types.ModuleType:
    """Import ``module`` (dotted, relative to the checkout root) of a
    checkout without running the ``__init__.py`` of its parent packages.

    Official repositories often import every network they hold (and all of
    their dependencies) in ``model/__init__.py``; the parent packages are
    therefore registered as empty namespaces while importing. The checkout
    root is on ``sys.path`` and its modules are in ``sys.modules`` only while
    importing, so that checkouts with the same package names (``model``)
    do not see each other's modules.

    Args:
        repo (str): Root of the checkout.
        module (str): Dotted module name, e.g. ``'model.MSHNet'``.
        stand_ins (dict[str, Sequence[str]], optional): Modules missing
            here that the official file imports but the network never
            calls (e.g. ``{'timm.models.layers': ('DropPath', )}``): inert
            modules with those names are registered while importing, then
            removed.

    Returns:
        module: The imported module.
    """
    root = Path(repo).resolve()
    path = root.joinpath(*module.split('.')).with_suffix('.py')
    if not path.is_file():
        raise FileNotFoundError(
            f'{path} is missing: {root} is not a checkout of the official '
            'repository (give its root)')
    parents = module.split('.')[:-1]
    top = module.split('.')[0]
    hidden = {
        name: sys.modules.pop(name)
        for name in list(sys.modules)
        if name == top or name.startswith(top + '.')
    }
    temporary = {}
    for depth in range(1, len(parents) + 1):
        name = '.'.join(parents[:depth])
        package = types.ModuleType(name)
        package.__path__ = [str(root.joinpath(*parents[:depth]))]
        temporary[name] = package
    for name, attrs in (stand_ins or {}).items():
        if importlib.util.find_spec(name.split('.')[0]) is None:
            stand_in = types.ModuleType(name)
            stand_in.__path__ = []
            for attr in attrs:
                setattr(stand_in, attr, lambda *args, **kwargs: None)
            temporary[name] = stand_in
    saved = {name: sys.modules.get(name) for name in temporary}
    sys.modules.update(temporary)
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(root))
        for name in list(sys.modules):
            if name == top or name.startswith(top + '.'):
                del sys.modules[name]
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
        sys.modules.update(hidden)
