"""Every config under configs/ builds and trains one step on CPU.

Besides the step, each config is checked against the project's rules for
configs: a one-channel binary head with a binary loss on logits (SoftIoU,
sigmoid cross-entropy or MSHNet's SLS loss), BN (not SyncBN), no
pretrained weights, IRSTDMetric, a batch size matching the file name, at
most three levels of inheritance, no cuDNN benchmark mode unless
evaluation runs at one size, and, for the official recipe, the
learning-rate drops at 50% and 75% of training. The datasets need not
exist: only the model and optimizer are built.
"""
import ast
import copy
import re
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

CONFIG_ROOT = Path(__file__).resolve().parents[1] / 'configs'
CONFIGS = sorted(
    path for path in CONFIG_ROOT.rglob('*.py') if '_base_' not in path.parts)
IDS = [str(path.relative_to(CONFIG_ROOT)) for path in CONFIGS]
BINARY_LOSSES = ('SoftIoULoss', 'CrossEntropyLoss', 'SLSIoULoss')


def inheritance_depth(path: Path) -> int:
    """Levels of config files from ``path`` (1) down to its deepest base."""
    if str(path).startswith('mmseg::'):
        import mmseg
        path = Path(mmseg.__file__).parent / '.mim' / 'configs' / str(
            path)[len('mmseg::'):]
    tree = ast.parse(path.read_text())
    bases = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            value = ast.literal_eval(node.value)
            bases = [value] if isinstance(value, str) else list(value)
    depths = [
        inheritance_depth(
            Path(base) if base.startswith('mmseg::') else (path.parent /
                                                           base).resolve())
        for base in bases
    ]
    return 1 + max(depths, default=0)


def tiny_batch(num_samples=2, size=64):
    """Two 64x64 one-channel images with a small square target each."""
    inputs, samples = [], []
    for i in range(num_samples):
        inputs.append(torch.randint(0, 256, (1, size, size)).float())
        label = torch.zeros(1, size, size, dtype=torch.long)
        label[0, 10 + i:14 + i, 20:24] = 1
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(
            dict(img_shape=(size, size), ori_shape=(size, size)))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def pipelines(config) -> list:
    """Every ``pipeline`` list inside a (dataloader) config."""
    if isinstance(config, dict):
        found = [config['pipeline']] if 'pipeline' in config else []
        return found + [
            p for key, value in config.items() if key != 'pipeline'
            for p in pipelines(value)
        ]
    if isinstance(config, (list, tuple)):
        return [p for value in config for p in pipelines(value)]
    return []


def resizes_to_one_size(pipeline: list) -> bool:
    return any(t.type == 'Resize' and t.get('keep_ratio') is False
               for t in pipeline)


@pytest.mark.parametrize('path', CONFIGS, ids=IDS)
def test_config_builds_and_trains_one_step(path):
    cfg = Config.fromfile(str(path))
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    text = cfg.pretty_text
    assert 'SyncBN' not in text
    assert cfg.model.get('pretrained') is None
    assert 'Pretrained' not in str(cfg.model)

    head = cfg.model.decode_head
    assert (head.num_classes, head.out_channels, head.threshold) == (2, 1,
                                                                     0.5)
    losses = head.loss_decode if isinstance(head.loss_decode,
                                            list) else [head.loss_decode]
    for loss in losses:
        assert loss.type in BINARY_LOSSES, loss.type
        if loss.type == 'CrossEntropyLoss':
            assert loss.use_sigmoid
    assert cfg.model.get('auxiliary_head') is None
    assert cfg.val_evaluator.type == 'IRSTDMetric'
    assert cfg.test_evaluator.type == 'IRSTDMetric'
    if cfg.model.get('neck', {}).get('type') == 'GradFormerNeck':
        assert cfg.model.neck.img_size % 32 == 0

    # {N}xb{B} in the name: one GPU, B images per batch
    batch = re.search(r'_(\d+)xb(\d+)-', path.name)
    if batch:
        assert batch.groups() == ('1', str(cfg.train_dataloader.batch_size))
    assert inheritance_depth(path) <= 3

    schedulers = cfg.param_scheduler
    max_iters = cfg.train_cfg.max_iters
    assert schedulers[-1].get('end', max_iters) == max_iters
    if schedulers[0].type == 'MultiStepLR':
        assert schedulers[0].milestones == [
            max_iters // 2, max_iters * 3 // 4
        ]
    assert cfg.train_cfg.val_interval <= max_iters

    # cuDNN's benchmark mode times every conv algorithm again for each new
    # input size: evaluation at native, varying sizes gains nothing from it
    # and pays that time (and workspace memory) at every new size.
    evaluation = pipelines([cfg.val_dataloader, cfg.test_dataloader])
    if not all(resizes_to_one_size(p) for p in evaluation):
        assert not cfg.env_cfg.get('cudnn_benchmark', False)

    # a tiny batch: pad to 64x64 instead of the config's crop size
    model_cfg = copy.deepcopy(cfg.model)
    if model_cfg.data_preprocessor.get('size') is not None:
        model_cfg.data_preprocessor.size = (64, 64)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.train()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = [p.detach().clone() for p in model.parameters()]
    log_vars = model.train_step(tiny_batch(), optim_wrapper)
    assert torch.isfinite(log_vars['loss'])
    changed = sum(not torch.equal(b, p)
                  for b, p in zip(before, model.parameters()))
    assert changed > 0.5 * len(before)


def selected_samples(dataset: dict) -> tuple:
    """What decides the samples of a dataset config (parts for a concat)."""
    if dataset.type == 'ConcatDataset':
        return tuple(selected_samples(part) for part in dataset.datasets)
    return (dataset.type, dataset.get('data_root'), dataset.get('split'),
            dataset.get('ann_file') or None)


def test_official_protocol_selects_on_test_and_defaults_do_not():
    """Only ``official-protocol`` configs choose checkpoints on test data."""
    for path in CONFIGS:
        cfg = Config.fromfile(str(path))
        same = selected_samples(cfg.val_dataloader.dataset) == \
            selected_samples(cfg.test_dataloader.dataset)
        assert same == ('official-protocol' in path.name), path.name
