"""Import the official DATransNet class from a local checkout.

Used only to compare against the official implementation (benchmarks,
equivalence checks); nothing of the official code is part of this package.
The checkout is the root of a clone of
https://github.com/greekinRoma/DATransNet, given at run time.
"""
from ..official.checkout import import_from_checkout

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

    The repository's ``model/__init__.py``, which imports every other
    network of the repository, is not run. If timm is missing, inert
    stand-ins for the few timm names the official package imports (but
    DATransNet never calls) are registered while importing.

    Args:
        repo (str): Root of the official repository checkout.

    Returns:
        type: The official ``DATransNet`` ``nn.Module`` class.
    """
    return import_from_checkout(repo, 'model.DATransNet.segmentation',
                                _TIMM_NAMES).DATransNet
