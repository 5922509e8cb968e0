"""SIRST-v2 dataset."""
from mmseg.registry import DATASETS

from .sirst import SIRSTDataset


@DATASETS.register_module()
class SIRSTv2Dataset(SIRSTDataset):
    """SIRST-v2 (1024 real infrared images, 510 of them background-only).

    From "One-Stage Cascade Refinement Networks for Infrared Small Target
    Detection" (IEEE TGRS 2023). Layout of the open-sirst-v2 repository::

        data_root/
        ├── mixed/<name>.png
        ├── annotations/masks/<name>_pixels0.png
        └── splits/<split>.txt   e.g. trainval_full, test_full, v2background

    Every ``splits/<split>.txt`` present is a valid split name. Background
    images have empty masks; a background image whose mask file is absent is
    loaded with an empty mask too (``allow_missing_masks=True``), and the
    number of such images is logged when the dataset is built.

    Args:
        **kwargs: Arguments of :class:`SIRSTDataset`.
    """

    def __init__(self,
                 split_dir: str = 'splits',
                 seg_map_suffix: str = '_pixels0.png',
                 data_prefix: dict = dict(
                     img_path='mixed', seg_map_path='annotations/masks'),
                 allow_missing_masks: bool = True,
                 **kwargs):
        super().__init__(
            split_dir=split_dir,
            seg_map_suffix=seg_map_suffix,
            data_prefix=data_prefix,
            allow_missing_masks=allow_missing_masks,
            **kwargs)
