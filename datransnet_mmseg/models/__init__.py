"""DATransNet model components, registered in ``mmseg.registry.MODELS``."""
from .backbones import *  # noqa: F401,F403
from .data_preprocessor import IRSTDDataPreProcessor  # noqa: F401
from .decode_heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
