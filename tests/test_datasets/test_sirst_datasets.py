"""Dataset classes on generated miniatures of each layout, and on SIRST v1."""
import logging
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image
from scipy import ndimage

REPO = Path(__file__).resolve().parents[2]
PIPELINE = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='PackSegInputs')
]


@pytest.fixture(autouse=True)
def _scope():
    init_default_scope('mmseg')


@pytest.fixture
def log_lines():
    """Messages logged through mmengine's current logger during a test."""
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def _write_pair(img_path: Path, mask_path: Path, seed: int, size=(12, 16)):
    """A grey image and a 0/255 mask with a 2x2 target."""
    rng = np.random.default_rng(seed)
    img_path.parent.mkdir(parents=True, exist_ok=True)
    mask_path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 256, size, dtype=np.uint8)).save(img_path)
    mask = np.zeros(size, np.uint8)
    mask[2 + seed % 5:4 + seed % 5, 3:5] = 255
    Image.fromarray(mask).save(mask_path)


def _write_list(path: Path, names, newline='\n'):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(newline.join(names).encode())


def _basicirstd(root: Path, name: str, splits: dict):
    for split, stems in splits.items():
        for i, stem in enumerate(stems):
            _write_pair(root / 'images' / f'{stem}.png',
                        root / 'masks' / f'{stem}.png', i)
        _write_list(root / 'img_idx' / f'{split}_{name}.txt', stems, '\r\n')


def _build(**cfg):
    return DATASETS.build(dict(pipeline=PIPELINE, **cfg))


def _check_sample(sample):
    assert sample['inputs'].shape[0] == 1
    values = set(sample['data_samples'].gt_sem_seg.data.unique().tolist())
    assert values <= {0, 1}


def test_generic_dataset_synthetic_layout(tmp_path, log_lines):
    splits = dict(
        train=['s0', 's1', 's2'], val=['s3'], test=['s4', 's5'],
        trainval=['s0', 's1', 's2', 's3'])
    _basicirstd(tmp_path, 'SynthSIRST', splits)
    for split, stems in splits.items():
        ds = _build(
            type='SIRSTDataset',
            data_root=str(tmp_path),
            dataset_name='SynthSIRST',
            split=split)
        assert len(ds) == len(stems)
        assert ds[0]['data_samples'].img_path.endswith(f'{stems[0]}.png')
        _check_sample(ds[0])
    assert any('SIRSTDataset: 4 samples from' in line for line in log_lines)
    with pytest.raises(ValueError) as err:
        _build(
            type='SIRSTDataset',
            data_root=str(tmp_path),
            dataset_name='SynthSIRST',
            split='training')
    assert ("Valid splits: 'test', 'train', 'trainval', 'val'"
            in str(err.value))


def test_generic_dataset_folder_mode_and_ann_file(tmp_path):
    _basicirstd(tmp_path, 'X', dict(train=['a', 'b', 'c']))
    assert len(_build(type='SIRSTDataset', data_root=str(tmp_path))) == 3
    ds = _build(
        type='SIRSTDataset',
        data_root=str(tmp_path),
        ann_file='img_idx/train_X.txt')
    assert len(ds) == 3


def test_nuaa_sirst_layout(tmp_path):
    stems = [f'Misc_{i}' for i in range(1, 7)]
    for i, stem in enumerate(stems):
        _write_pair(tmp_path / 'images' / f'{stem}.png',
                    tmp_path / 'masks' / f'{stem}_pixels0.png', i)
    idx = dict(
        train=stems[:3], val=stems[3:4], trainval=stems[:4], test=stems[4:],
        trainvaltest=stems)
    for split, names in idx.items():
        _write_list(tmp_path / 'idx_427' / f'{split}.txt', names)
    # 50_50 lists under the DNANet name only: found as a fallback
    _write_list(tmp_path / '50_50' / 'train.txt', stems[::2])
    _write_list(tmp_path / '50_50' / 'test.txt', stems[1::2])
    for split, names in idx.items():
        ds = _build(
            type='NUAASIRSTDataset', data_root=str(tmp_path), split=split)
        assert len(ds) == len(names)
    ds = _build(
        type='NUAASIRSTDataset', data_root=str(tmp_path), split='50_50_test')
    assert len(ds) == 3
    _check_sample(ds[0])


def test_nudt_and_irstd1k_basicirstd_layout(tmp_path):
    for cls, name in (('NUDTSIRSTDataset', 'NUDT-SIRST'),
                      ('IRSTD1kDataset', 'IRSTD-1K')):
        root = tmp_path / name
        _basicirstd(root, name, dict(train=['0001', '0002'], test=['0003']))
        ds = _build(type=cls, data_root=str(root), split='train')
        assert len(ds) == 2
        _check_sample(ds[1])
        assert len(_build(type=cls, data_root=str(root), split='test')) == 1


def test_irstd1k_isnet_layout(tmp_path):
    stems = ['XDU0', 'XDU1', 'XDU2']
    for i, stem in enumerate(stems):
        _write_pair(tmp_path / 'IRSTD1k_Img' / f'{stem}.png',
                    tmp_path / 'IRSTD1k_Label' / f'{stem}.png', i)
    _write_list(tmp_path / 'trainval.txt', stems[:2])
    _write_list(tmp_path / 'test.txt', stems[2:])
    ds = _build(
        type='IRSTD1kDataset',
        data_root=str(tmp_path),
        layout='isnet',
        split='trainval')
    assert len(ds) == 2
    _check_sample(ds[0])
    with pytest.raises(ValueError, match="layout 'voc'"):
        _build(type='IRSTD1kDataset', data_root=str(tmp_path), layout='voc')


def test_sirst_v2_layout_with_background_images(tmp_path, log_lines):
    targets, backgrounds = ['Misc_1', 'Misc_2'], ['S1_1', 'S1_2']
    for i, stem in enumerate(targets + backgrounds):
        _write_pair(tmp_path / 'mixed' / f'{stem}.png',
                    tmp_path / 'annotations' / 'masks' / f'{stem}_pixels0.png',
                    i)
    empty = np.zeros((12, 16), np.uint8)
    Image.fromarray(empty).save(tmp_path / 'annotations' / 'masks' /
                                'S1_1_pixels0.png')
    (tmp_path / 'annotations' / 'masks' / 'S1_2_pixels0.png').unlink()
    _write_list(tmp_path / 'splits' / 'trainval_full.txt', targets)
    _write_list(tmp_path / 'splits' / 'v2background.txt', backgrounds)
    ds = _build(
        type='SIRSTv2Dataset', data_root=str(tmp_path), split='v2background')
    assert len(ds) == 2
    assert any('1 without a mask file' in line for line in log_lines)
    for i in range(2):  # empty mask file, then absent mask file
        assert ds[i]['data_samples'].gt_sem_seg.data.sum() == 0
    with pytest.raises(ValueError, match="'trainval_full', 'v2background'"):
        _build(type='SIRSTv2Dataset', data_root=str(tmp_path), split='x')


def _broken_layout(tmp_path):
    _basicirstd(tmp_path, 'X', dict(train=['a', 'b']))
    return dict(type='SIRSTDataset', data_root=str(tmp_path),
                dataset_name='X')


def test_wrong_data_root(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere.*data_root'):
        _build(type='NUDTSIRSTDataset', data_root=str(tmp_path / 'nowhere'),
               split='train')


def test_missing_split_file(tmp_path):
    cfg = _broken_layout(tmp_path)
    with pytest.raises(FileNotFoundError, match='missing.txt does not'):
        _build(**{**cfg, 'dataset_name': None}, ann_file='missing.txt')
    # a known split whose file is absent (NUAA 50_50 candidates)
    with pytest.raises(FileNotFoundError, match='50_50/train.txt'):
        _build(
            type='NUAASIRSTDataset',
            data_root=str(tmp_path),
            split='50_50_train')


def test_empty_split_file(tmp_path):
    cfg = _broken_layout(tmp_path)
    _write_list(tmp_path / 'img_idx' / 'val_X.txt', ['', ' '])
    with pytest.raises(ValueError, match='val_X.txt is empty'):
        _build(**cfg, split='val')


def test_split_names_an_absent_sample(tmp_path):
    cfg = _broken_layout(tmp_path)
    _write_list(tmp_path / 'img_idx' / 'test_X.txt', ['a', 'zz'])
    with pytest.raises(FileNotFoundError, match=r'1 image.*images/zz\.png'):
        _build(**cfg, split='test')
    (tmp_path / 'masks' / 'b.png').unlink()
    with pytest.raises(FileNotFoundError, match=r'1 mask.*masks/b\.png'):
        _build(**cfg, split='train')


def test_duplicate_names_and_conflicting_arguments(tmp_path):
    cfg = _broken_layout(tmp_path)
    _write_list(tmp_path / 'img_idx' / 'dup_X.txt', ['a', 'b', 'a'])
    with pytest.raises(ValueError, match=r"more than once.*\['a'\]"):
        _build(**cfg, split='dup')
    with pytest.raises(ValueError, match='not both'):
        _build(**cfg, split='train', ann_file='img_idx/train_X.txt')


def test_missing_mask_folder(tmp_path):
    cfg = _broken_layout(tmp_path)
    for path in (tmp_path / 'masks').iterdir():
        path.unlink()
    (tmp_path / 'masks').rmdir()
    with pytest.raises(FileNotFoundError, match='Mask folder .*masks'):
        _build(**cfg, split='train')


def test_corrupt_and_mismatched_files_fail_at_load(tmp_path):
    cfg = _broken_layout(tmp_path)
    (tmp_path / 'images' / 'a.png').write_bytes(b'not a png')
    Image.fromarray(np.zeros((5, 5), np.uint8)).save(tmp_path / 'masks' /
                                                     'b.png')
    ds = _build(**cfg, split='train', test_mode=True)  # built: files exist
    with pytest.raises(ValueError, match='a.png cannot be decoded'):
        ds[0]
    with pytest.raises(ValueError, match=r'b\.png is 5x5.*12x16'):
        ds[1]


def test_dataset_configs_parse_and_point_to_existing_lists():
    names = sorted(p.name for p in (REPO / 'configs/_base_/datasets').glob(
        '*.py'))
    assert names == [
        'irstd-1k.py', 'nuaa-sirst-50_50.py', 'nuaa-sirst.py',
        'nudt-sirst.py', 'sirst-v2.py', 'sirst3.py', 'synthetic-sirst.py'
    ]
    for name in names:
        cfg = Config.fromfile(REPO / 'configs/_base_/datasets' / name)
        assert cfg.val_evaluator.type == 'IRSTDMetric'
        for loader in ('train', 'val', 'test'):
            dataset = cfg[f'{loader}_dataloader'].dataset
            parts = dataset.get('datasets', [dataset])
            for part in parts:
                steps = [step.type for step in part.pipeline]
                assert steps == [
                    'LoadImageFromFile', 'IRImageToGrey',
                    'LoadBinaryAnnotations', 'PackSegInputs'
                ]
                assert part.pipeline[0].color_type == 'unchanged'
                assert part.pipeline[0].imdecode_backend == 'cv2'
                if 'ann_file' in part:
                    assert Path(part.ann_file).is_file(), part.ann_file
    # carved lists: disjoint from each other, 10% of the train lists
    splits = REPO / 'configs/_base_/datasets/splits'
    for prefix, total in (('nudt-sirst', 663), ('irstd-1k', 800),
                          ('nuaa-sirst-50_50', 213)):
        sub = (splits / f'{prefix}_train-sub.txt').read_text().split()
        val = (splits / f'{prefix}_val.txt').read_text().split()
        assert not set(sub) & set(val)
        assert len(sub) + len(val) == total
        assert len(val) == round(0.1 * total)


def test_carved_lists_come_from_the_official_train_lists(shared):
    splits = REPO / 'configs/_base_/datasets/splits'
    sources = dict(
        nudt_sirst=shared('data', 'splits', 'NUDT-SIRST', 'img_idx',
                          'train_NUDT-SIRST.txt'),
        irstd_1k=shared('data', 'splits', 'IRSTD-1K', 'img_idx',
                        'train_IRSTD-1K.txt'),
        nuaa_sirst_50_50=shared('data', 'sirst-v1', 'img_idx_BasicIRSTD',
                                'train_NUAA-SIRST.txt'))
    for key, source in sources.items():
        prefix = key.replace('_', '-').replace('50-50', '50_50')
        carved = set((splits / f'{prefix}_train-sub.txt').read_text().split())
        carved |= set((splits / f'{prefix}_val.txt').read_text().split())
        assert carved == set(source.read_text().split())


def test_sirst3_concatenation_of_miniatures(tmp_path):
    cfg = Config.fromfile(REPO / 'configs/_base_/datasets/sirst3.py')
    nuaa, nudt, irstd = (tmp_path / 'nuaa', tmp_path / 'nudt',
                         tmp_path / 'irstd')
    for i, stem in enumerate(['Misc_1', 'Misc_2']):
        _write_pair(nuaa / 'images' / f'{stem}.png',
                    nuaa / 'masks' / f'{stem}_pixels0.png', i)
    _write_list(nuaa / 'img_idx' / 'test_NUAA-SIRST.txt', ['Misc_1'])
    _basicirstd(nudt, 'NUDT-SIRST', dict(test=['000001', '000002']))
    _basicirstd(irstd, 'IRSTD-1K', dict(test=['XDU1', 'XDU2', 'XDU3']))
    test_set = cfg.test_dataloader.dataset
    for part, root in zip(test_set.datasets, (nuaa, nudt, irstd)):
        part.data_root = str(root)
    ds = DATASETS.build(test_set)
    assert len(ds) == 1 + 2 + 3
    _check_sample(ds[5])


def test_nuaa_sirst_real_data(shared):
    root = str(shared('data', 'sirst-v1'))
    ds = _build(
        type='NUAASIRSTDataset',
        data_root=root,
        split='trainvaltest',
        test_mode=True)
    assert len(ds) == 427
    halves = [
        _build(type='NUAASIRSTDataset', data_root=root, split=split)
        for split in ('50_50_train', '50_50_test')
    ]
    assert [len(h) for h in halves] == [213, 214]
    union = {d['img_path'] for h in halves for d in h.data_list}
    assert union == {d['img_path'] for d in ds.data_list}
    num_targets = 0
    for i in range(len(ds)):
        sample = ds[i]
        gt = sample['data_samples'].gt_sem_seg.data[0].numpy()
        assert set(np.unique(gt).tolist()) <= {0, 1}
        assert gt.shape == sample['inputs'].shape[1:]
        assert sample['data_samples'].ori_shape == gt.shape
        num_targets += ndimage.label(gt, structure=np.ones((3, 3)))[1]
    assert num_targets == 533


def test_nuaa_configs_build_on_real_data(shared):
    root = str(shared('data', 'sirst-v1'))
    expected = {
        'nuaa-sirst.py': (256, 85, 86),
        'nuaa-sirst-50_50.py': (192, 21, 214)
    }
    for name, sizes in expected.items():
        cfg = Config.fromfile(REPO / 'configs/_base_/datasets' / name)
        for loader, size in zip(('train', 'val', 'test'), sizes):
            dataset = cfg[f'{loader}_dataloader'].dataset
            dataset.data_root = root
            assert len(DATASETS.build(dataset)) == size, (name, loader)
