"""NUDT-SIRST dataset."""
from mmseg.registry import DATASETS

from .sirst import SIRSTDataset


@DATASETS.register_module()
class NUDTSIRSTDataset(SIRSTDataset):
    """NUDT-SIRST (1327 synthetic 256x256 infrared images).

    `Dense Nested Attention Network for Infrared Small Target Detection
    <https://arxiv.org/abs/2106.00487>`_. BasicIRSTD layout::

        data_root/
        ├── images/<000001..001327>.png
        ├── masks/<same name>.png
        └── img_idx/{train,test}_NUDT-SIRST.txt   663 / 664 (= DNANet 50_50)

    Splits: ``'train'`` and ``'test'``, and any other
    ``img_idx/<split>_NUDT-SIRST.txt`` present.

    Args:
        dataset_name (str): Name in the split file names. Defaults to
            ``'NUDT-SIRST'``.
        **kwargs: Arguments of :class:`SIRSTDataset`.
    """

    def __init__(self, dataset_name: str = 'NUDT-SIRST', **kwargs):
        super().__init__(dataset_name=dataset_name, **kwargs)
