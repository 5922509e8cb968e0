"""Generic dataset for single-frame infrared small target detection."""
import glob
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

from mmengine.logging import print_log
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .transforms import read_ir_image

SplitTable = Dict[str, Union[str, Sequence[str]]]

_MAX_LISTED = 5


def _read_split_file(path: str) -> List[str]:
    """Read the sample names of a split file (one name per line).

    Blank lines and surrounding white space (including the CR of CRLF files)
    are dropped; duplicate names are an error, since they would be counted
    twice by the metrics.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'Split file {path} does not exist. Put the split lists of the '
            'dataset there (see docs/dataset_preparation.md) or pass '
            '`ann_file=` explicitly.')
    with open(path, encoding='utf-8') as f:
        names = [line.strip() for line in f.read().splitlines()]
    names = [name for name in names if name]
    if not names:
        raise ValueError(f'Split file {path} is empty: it must list one '
                         'sample name (without suffix) per line.')
    seen, duplicates = set(), []
    for name in names:
        if name in seen:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        raise ValueError(
            f'Split file {path} lists {len(duplicates)} name(s) more than '
            f'once (e.g. {duplicates[:_MAX_LISTED]}); remove the duplicates.')
    return names


@DATASETS.register_module()
class SIRSTDataset(BaseSegDataset):
    """Generic single-frame infrared small target dataset.

    One image and one binary mask per sample, listed by split files (the
    BasicIRSTD layout by default)::

        data_root/
        ├── images/<name><img_suffix>
        ├── masks/<name><seg_map_suffix>          0/255 (or 0/1) masks
        └── img_idx/<split>_<dataset_name>.txt    one name per line

    The samples are chosen, in this order of precedence, by ``ann_file`` (an
    explicit split file, as in :class:`BaseSegDataset`), by ``split`` (a name
    resolved through ``splits`` or, without a table, through the files
    ``<split_dir>/<split>_<dataset_name>.txt`` found in ``data_root``), or,
    with neither, by every ``*<img_suffix>`` file of the image folder.

    Checks made when the dataset is built (each raises an error naming the
    path and the fix): ``data_root`` and the image/mask folders exist; the
    split name is known (the error lists the valid ones); the split file
    exists, is not empty and has no duplicate; every listed image and mask
    exists. Decoding errors and image/mask size mismatches are raised when a
    sample is loaded (see :func:`read_ir_image` and
    :class:`LoadBinaryAnnotations`): when the pipeline fails on a sample,
    its image file is checked, so that an empty or undecodable file is
    reported by name instead of by the decoder's bare error. The number of
    samples is logged.

    Args:
        split (str, optional): Name of the split to load, e.g. ``'train'``.
            Defaults to None.
        dataset_name (str, optional): Dataset name in the split file names
            ``<split>_<dataset_name>.txt``. None means ``<split>.txt``.
            Defaults to None.
        split_dir (str): Folder of the split files, relative to
            ``data_root``. Defaults to ``'img_idx'``.
        splits (dict, optional): Explicit table ``{split name: path}``, the
            path relative to ``data_root``; a tuple of paths means "the first
            that exists". Overrides ``split_dir``/``dataset_name``. Defaults
            to None.
        allow_missing_masks (bool): Treat a sample without a mask file as a
            background-only image (empty mask) instead of raising. Their
            number is logged. Defaults to False.
        ann_file (str): Explicit split file; exclusive with ``split``.
            Defaults to ''.
        img_suffix (str): Suffix of the images. Defaults to ``'.png'``.
        seg_map_suffix (str): Suffix of the masks. Defaults to ``'.png'``.
        data_prefix (dict): Image and mask folders, relative to
            ``data_root``. Defaults to
            ``dict(img_path='images', seg_map_path='masks')``.
        **kwargs: Other arguments of :class:`BaseSegDataset` (``data_root``,
            ``pipeline``, ``test_mode``, ...).
    """
    METAINFO = dict(
        classes=('background', 'target'),
        palette=[[0, 0, 0], [255, 255, 255]])
    SPLITS: Optional[SplitTable] = None

    def __init__(self,
                 split: Optional[str] = None,
                 dataset_name: Optional[str] = None,
                 split_dir: str = 'img_idx',
                 splits: Optional[SplitTable] = None,
                 allow_missing_masks: bool = False,
                 ann_file: str = '',
                 img_suffix: str = '.png',
                 seg_map_suffix: str = '.png',
                 data_prefix: dict = dict(
                     img_path='images', seg_map_path='masks'),
                 **kwargs) -> None:
        data_root = kwargs.get('data_root')
        if data_root is not None and not osp.isdir(data_root):
            raise FileNotFoundError(
                f'data_root {data_root!r} of {type(self).__name__} is not a '
                'folder. Set `data_root` to the dataset folder (see '
                'docs/dataset_preparation.md), e.g. '
                "--cfg-options train_dataloader.dataset.data_root=...")
        self.split = split
        self.dataset_name = dataset_name
        self.split_dir = split_dir
        self.splits = splits if splits is not None else self.SPLITS
        self.allow_missing_masks = allow_missing_masks
        if split is not None:
            if ann_file:
                raise ValueError(
                    f'Give either split={split!r} or ann_file={ann_file!r} '
                    f'to {type(self).__name__}, not both.')
            ann_file = self._resolve_split(split, data_root)
        super().__init__(
            ann_file=ann_file,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            data_prefix=data_prefix,
            **kwargs)

    def available_splits(self, data_root: Optional[str]) -> SplitTable:
        """Return the split table ``{name: path or candidate paths}``.

        Args:
            data_root (str, optional): The dataset folder.

        Returns:
            dict: Paths are relative to ``data_root``.
        """
        if self.splits is not None:
            return dict(self.splits)
        root = data_root or ''
        suffix = f'_{self.dataset_name}.txt' if self.dataset_name else '.txt'
        table = {}
        for path in sorted(
                glob.glob(osp.join(root, self.split_dir, f'*{suffix}'))):
            name = osp.basename(path)[:-len(suffix)]
            if name:
                table[name] = osp.relpath(path, root or '.')
        return table

    def _resolve_split(self, split: str, data_root: Optional[str]) -> str:
        """Map a split name to its split file, relative to ``data_root``."""
        table = self.available_splits(data_root)
        if split not in table:
            where = osp.join(data_root or '', self.split_dir)
            valid = ', '.join(repr(name) for name in table) or (
                f'none: no split file *_{self.dataset_name}.txt in {where}'
                if self.dataset_name else f'none: no *.txt in {where}')
            raise ValueError(
                f'Unknown split {split!r} for {type(self).__name__}. '
                f'Valid splits: {valid}.')
        candidates = table[split]
        if isinstance(candidates, str):
            return candidates
        for path in candidates:
            if osp.isfile(osp.join(data_root or '', path)):
                return path
        raise FileNotFoundError(
            f'No split file for split {split!r} of {type(self).__name__} in '
            f'{data_root}: tried {list(candidates)}. Copy the split list to '
            'one of these paths (see docs/dataset_preparation.md).')

    def load_data_list(self) -> List[dict]:
        """Build the sample list and check that every file exists.

        Returns:
            list[dict]: One dict per sample with ``img_path``,
            ``seg_map_path`` (None for a missing mask when
            ``allow_missing_masks``), ``label_map``, ``reduce_zero_label``
            and ``seg_fields``.
        """
        img_dir = self.data_prefix.get('img_path', '')
        ann_dir = self.data_prefix.get('seg_map_path', '')
        for folder, what in ((img_dir, 'image'), (ann_dir, 'mask')):
            if not osp.isdir(folder):
                raise FileNotFoundError(
                    f'{what.capitalize()} folder {folder} of '
                    f'{type(self).__name__} does not exist. Check '
                    '`data_root` and `data_prefix` against the layout in '
                    'docs/dataset_preparation.md.')
        if self.ann_file:
            names = _read_split_file(self.ann_file)
            source = self.ann_file
        else:
            names = sorted(
                osp.basename(path)[:-len(self.img_suffix)]
                for path in glob.glob(osp.join(img_dir, '*' +
                                               self.img_suffix)))
            source = f'all *{self.img_suffix} files of {img_dir}'
            if not names:
                raise FileNotFoundError(
                    f'No *{self.img_suffix} image in {img_dir}; check '
                    '`data_root`, `data_prefix` and `img_suffix`.')

        data_list, missing_imgs, missing_masks = [], [], []
        for name in names:
            img_path = osp.join(img_dir, name + self.img_suffix)
            seg_map_path = osp.join(ann_dir, name + self.seg_map_suffix)
            if not osp.isfile(img_path):
                missing_imgs.append(img_path)
            if not osp.isfile(seg_map_path):
                missing_masks.append(seg_map_path)
                seg_map_path = None
            data_list.append(
                dict(
                    img_path=img_path,
                    seg_map_path=seg_map_path,
                    label_map=self.label_map,
                    reduce_zero_label=self.reduce_zero_label,
                    seg_fields=[]))
        if missing_imgs:
            raise FileNotFoundError(
                f'{len(missing_imgs)} image(s) listed by {source} do not '
                f'exist, e.g. {missing_imgs[:_MAX_LISTED]}. Check '
                '`img_suffix`, `data_prefix` and that the split file belongs '
                'to this dataset.')
        if missing_masks and not self.allow_missing_masks:
            raise FileNotFoundError(
                f'{len(missing_masks)} mask(s) listed by {source} do not '
                f'exist, e.g. {missing_masks[:_MAX_LISTED]}. Check '
                '`seg_map_suffix` and `data_prefix` (SIRST v1 masks are '
                '<name>_pixels0.png).')
        msg = (f'{type(self).__name__}: {len(data_list)} samples from '
               f'{source}')
        if missing_masks:
            msg += (f' ({len(missing_masks)} without a mask file, loaded as '
                    'background-only images)')
        print_log(msg, logger='current')
        return data_list

    def prepare_data(self, idx: int):
        """Run the pipeline on a sample; name an unreadable image file.

        Args:
            idx (int): Index of the sample.

        Returns:
            Any: The pipeline's output.
        """
        try:
            return super().prepare_data(idx)
        except Exception:
            # mmcv's LoadImageFromFile fails on empty or corrupt files with
            # the decoder's error (no file name); re-reading the image here
            # raises the error that names the file and the fix.
            read_ir_image(self.get_data_info(idx)['img_path'])
            raise
