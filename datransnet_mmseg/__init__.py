"""DATransNet and infrared small target detection for MMSegmentation 1.x.

Importing the package applies the stack's compatibility patches and
registers every plugin class into mmseg's registries.
"""
from . import compat  # noqa: F401,I001  (first: patches the stack)
from . import apis, datasets, engine, evaluation, models  # noqa: F401
from .version import __version__

__all__ = ['__version__']
