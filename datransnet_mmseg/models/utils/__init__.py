from .official_checkpoint import (convert_official_checkpoint,
                                  convert_official_state_dict)
from .official_model import import_official_datransnet

__all__ = [
    'convert_official_checkpoint', 'convert_official_state_dict',
    'import_official_datransnet'
]
