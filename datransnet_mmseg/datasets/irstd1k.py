"""IRSTD-1K dataset."""
from mmseg.registry import DATASETS

from .sirst import SIRSTDataset

_LAYOUTS = {
    'basicirstd':
    dict(
        data_prefix=dict(img_path='images', seg_map_path='masks'),
        dataset_name='IRSTD-1K'),
    'isnet':
    dict(
        data_prefix=dict(img_path='IRSTD1k_Img', seg_map_path='IRSTD1k_Label'),
        splits={
            name: f'{name}.txt'
            for name in ('trainval', 'test', 'trainvaltest')
        }),
}


@DATASETS.register_module()
class IRSTD1kDataset(SIRSTDataset):
    """IRSTD-1K (1001 real 512x512 infrared images).

    From "ISNet: Shape Matters for Infrared Small Target Detection"
    (CVPR 2022). Two layouts are read:

    ``layout='basicirstd'`` (splits ``'train'`` 800 and ``'test'`` 201)::

        data_root/
        ├── images/XDU<n>.png
        ├── masks/XDU<n>.png
        └── img_idx/{train,test}_IRSTD-1K.txt

    ``layout='isnet'``, the original archive (splits ``'trainval'`` 800,
    ``'test'`` 201, ``'trainvaltest'`` 1001; same sets)::

        data_root/
        ├── IRSTD1k_Img/XDU<n>.png
        ├── IRSTD1k_Label/XDU<n>.png
        └── {trainval,test,trainvaltest}.txt

    85 masks of IRSTD-1K are not strictly 0/255; they are binarised by
    :class:`LoadBinaryAnnotations`.

    Args:
        layout (str): ``'basicirstd'`` or ``'isnet'``. Defaults to
            ``'basicirstd'``.
        **kwargs: Arguments of :class:`SIRSTDataset`; they override the
            layout's defaults.
    """

    def __init__(self, layout: str = 'basicirstd', **kwargs):
        if layout not in _LAYOUTS:
            raise ValueError(f'Unknown IRSTD-1K layout {layout!r}; valid '
                             f'layouts: {sorted(_LAYOUTS)}.')
        self.layout = layout
        super().__init__(**{**_LAYOUTS[layout], **kwargs})
