"""SIRST v1 ("NUAA-SIRST") dataset."""
from mmseg.registry import DATASETS

from .sirst import SIRSTDataset


@DATASETS.register_module()
class NUAASIRSTDataset(SIRSTDataset):
    """SIRST v1, also called NUAA-SIRST (427 real infrared images).

    `Asymmetric Contextual Modulation for Infrared Small Target Detection
    <https://arxiv.org/abs/2009.14530>`_. Original layout of the dataset::

        data_root/
        ├── images/Misc_<n>.png
        ├── masks/Misc_<n>_pixels0.png
        ├── idx_427/{train,val,trainval,test,trainvaltest}.txt
        └── img_idx/{train,test}_NUAA-SIRST.txt   BasicIRSTD/DNANet 50_50

    Splits: ``'train'`` (256), ``'val'`` (85), ``'trainval'`` (341),
    ``'test'`` (86), ``'trainvaltest'`` (427) from the official ``idx_427``
    lists, and ``'50_50_train'`` (213) / ``'50_50_test'`` (214), the split of
    DNANet and BasicIRSTD. The 50_50 lists are looked up as
    ``img_idx/{train,test}_NUAA-SIRST.txt`` (BasicIRSTD name), then
    ``50_50/{train,test}.txt`` (DNANet name), then
    ``img_idx_BasicIRSTD/{train,test}_NUAA-SIRST.txt``.

    Args:
        seg_map_suffix (str): Suffix of the masks. Use ``'.png'`` for the
            BasicIRSTD copy, whose masks were renamed. Defaults to
            ``'_pixels0.png'``.
        **kwargs: Arguments of :class:`SIRSTDataset`.
    """
    SPLITS = {
        **{
            name: f'idx_427/{name}.txt'
            for name in ('train', 'val', 'trainval', 'test', 'trainvaltest')
        },
        **{
            f'50_50_{name}': (f'img_idx/{name}_NUAA-SIRST.txt',
                              f'50_50/{name}.txt',
                              f'img_idx_BasicIRSTD/{name}_NUAA-SIRST.txt')
            for name in ('train', 'test')
        },
    }

    def __init__(self, seg_map_suffix: str = '_pixels0.png', **kwargs):
        super().__init__(seg_map_suffix=seg_map_suffix, **kwargs)
