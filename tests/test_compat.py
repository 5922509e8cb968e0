"""Each compatibility patch: needed, effective, and harmless."""
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import torch
import torch.nn as nn
from mmengine.logging import HistoryBuffer
from mmengine.model import BaseModel
from mmengine.runner import Runner, load_checkpoint
from torch.utils.data import Dataset

from datransnet_mmseg import compat
from datransnet_mmseg.compat import UnsafeCheckpointWarning, safe_torch_load

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_python(code, **env):
    """Run ``code`` in a fresh interpreter with the repo importable."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), **env)
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          capture_output=True,
                          text=True,
                          env=full_env,
                          timeout=300)


# ---------------------------------------------------------------- mmcv._ext
def test_mmseg_imports_with_mmcv_lite():
    result = run_python("""
        import datransnet_mmseg
        import mmseg.datasets, mmseg.models
        from mmengine.utils.dl_utils import mmcv_full_available
        print('full' if mmcv_full_available() else 'lite')
    """)
    assert result.returncode == 0, result.stderr
    expected = 'lite' if compat.APPLIED['mmcv_ext_stand_in'] else 'full'
    assert result.stdout.strip() == expected


def test_compiled_op_raises_clear_error():
    if not compat.APPLIED['mmcv_ext_stand_in']:
        pytest.skip('a compiled mmcv is installed')
    from mmcv.ops import sigmoid_focal_loss
    with pytest.raises(NotImplementedError, match='sigmoid_focal_loss'):
        sigmoid_focal_loss(
            torch.zeros(2, 2), torch.zeros(2, dtype=torch.long), 2.0, 0.25)


def test_no_stand_in_when_compiled_mmcv_is_installed():
    # A finder that claims mmcv._ext exists plays the compiled mmcv.
    result = run_python("""
        import importlib.abc, importlib.machinery, importlib.util, sys

        class CompiledMmcv(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == 'mmcv._ext':
                    return importlib.machinery.ModuleSpec(name, None)

        sys.meta_path.insert(0, CompiledMmcv())
        # compat.py alone: the package would import the (fake) compiled ops
        spec = importlib.util.spec_from_file_location('compat', COMPAT)
        compat = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(compat)
        assert not compat.APPLIED['mmcv_ext_stand_in']
        assert 'mmcv._ext' not in sys.modules
        print('untouched')
    """.replace('COMPAT', repr(compat.__file__)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'untouched'


# ------------------------------------------------------ checkpoint loading
class RunsShellCommand:
    """Unpickling this object would run a shell command."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command, )


class RunsPython:
    """Unpickling this object would execute Python source."""

    def __init__(self, source):
        self.source = source

    def __reduce__(self):
        return exec, (self.source, )


@pytest.mark.parametrize('payload', ['shell', 'python'])
def test_malicious_checkpoint_runs_no_code(tmp_path, payload):
    victim = tmp_path / 'pwned.txt'
    if payload == 'shell':
        evil = RunsShellCommand(f'touch {victim}')
        refused = 'system'
    else:
        evil = RunsPython(f'open({str(victim)!r}, "w").close()')
        refused = 'exec'
    checkpoint = tmp_path / 'evil.pth'
    torch.save(
        dict(state_dict=dict(weight=torch.ones(1, 2)), meta=dict(x=evil)),
        checkpoint)

    model = nn.Linear(2, 1, bias=False)
    model.weight.data.zero_()
    with pytest.warns(UnsafeCheckpointWarning, match=refused):
        load_checkpoint(model, str(checkpoint), strict=True)
    assert not victim.exists()
    # The tensors of the checkpoint are still restored.
    with pytest.warns(UnsafeCheckpointWarning):
        loaded = safe_torch_load(checkpoint)
    assert torch.equal(loaded['state_dict']['weight'], torch.ones(1, 2))
    assert torch.equal(model.weight, torch.ones(1, 2))
    assert isinstance(loaded['meta']['x'], compat.NeutralisedObject)


class SubclassesOfObject:
    """Unpickles to ``getattr(object, '__subclasses__')``: the first step of
    the classic escape from a restricted unpickler."""

    def __reduce__(self):
        return getattr, (object, '__subclasses__')

    def __call__(self):
        pass


class CallsSubclasses:
    """Unpickles to ``getattr(object, '__subclasses__')()``."""

    def __reduce__(self):
        return SubclassesOfObject(), ()


def test_getattr_escape_is_neutralised(tmp_path):
    torch.save(dict(escape=CallsSubclasses()), tmp_path / 'evil.pth')
    with pytest.warns(UnsafeCheckpointWarning, match='__subclasses__'):
        loaded = safe_torch_load(tmp_path / 'evil.pth')
    assert isinstance(loaded['escape'], compat.NeutralisedObject)


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, targets, mode='loss'):
        prediction = self.linear(inputs).squeeze(-1)
        if mode == 'loss':
            return dict(loss=((prediction - targets)**2).mean())
        return prediction


class ToyDataset(Dataset):

    def __len__(self):
        return 8

    def __getitem__(self, index):
        return dict(
            inputs=torch.tensor([index, 1.0]), targets=float(index) / 8)


def make_runner(work_dir, **kwargs):
    torch.manual_seed(0)  # the model is built before the runner seeds
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=ToyDataset(),
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_size=2,
            collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.01)),
        train_cfg=dict(by_epoch=True, max_epochs=kwargs.pop('epochs', 2)),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=1)),
        randomness=dict(seed=0),
        experiment_name=f'{work_dir.name}-{kwargs.get("resume", False)}',
        **kwargs)


def test_plain_mmengine_checkpoint_loads_without_warning(tmp_path):
    make_runner(tmp_path / 'run').train()
    checkpoint = tmp_path / 'run' / 'epoch_2.pth'
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(checkpoint)  # what mmengine itself would do
    with warnings.catch_warnings():
        warnings.simplefilter('error', UnsafeCheckpointWarning)
        loaded = safe_torch_load(checkpoint)
    loss_buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert type(loss_buffer) is HistoryBuffer
    assert len(loss_buffer.data[0]) == 8
    assert loss_buffer.mean() == pytest.approx(loss_buffer.data[0].mean())
    assert HistoryBuffer.min in HistoryBuffer._statistics_methods.values()

    # load_from, as tools/test.py uses it
    model = ToyModel()
    load_checkpoint(model, str(checkpoint), strict=True)
    assert torch.equal(model.linear.weight,
                       loaded['state_dict']['linear.weight'])


def test_resume_continues_exactly(tmp_path):
    straight = make_runner(tmp_path / 'straight', epochs=4)
    straight.train()

    make_runner(tmp_path / 'resumed', epochs=2).train()
    resumed = make_runner(tmp_path / 'resumed', epochs=4, resume=True)
    resumed.train()

    assert resumed.iter == straight.iter == 16
    for name, value in straight.model.state_dict().items():
        torch.testing.assert_close(
            resumed.model.state_dict()[name], value, rtol=0, atol=1e-6)
    history = resumed.message_hub.get_scalar('train/loss').data[0]
    assert len(history) == 16  # the first run's log history came back


# --------------------------------------------------- CPU torch.distributed
@pytest.mark.skipif(
    torch.cuda.is_available(), reason='tests the CPU-only launcher')
def test_cpu_distributed_data_parallel(tmp_path):
    script = tmp_path / 'ddp.py'
    script.write_text(
        textwrap.dedent("""
        import torch, torch.nn as nn
        import datransnet_mmseg
        from mmengine.config import Config
        from mmengine.dist import init_dist, get_rank, all_reduce
        from mmengine.registry import MODEL_WRAPPERS
        from datransnet_mmseg.apis.runner_config import use_cpu_ddp_wrapper
        init_dist('pytorch', backend='nccl')
        # as mmengine's Runner.wrap_model builds the wrapper from the config
        cfg = use_cpu_ddp_wrapper(Config(dict(launcher='pytorch')))
        model = MODEL_WRAPPERS.build(
            cfg.model_wrapper_cfg,
            default_args=dict(module=nn.Linear(2, 1), device_ids=[0]))
        model(torch.ones(1, 2)).sum().backward()
        value = torch.tensor([float(get_rank() + 1)])
        all_reduce(value)
        with open('OUT/rank%d.txt' % get_rank(), 'w') as file:
            file.write(str(value.item()))
        # A DDP module still alive when its gloo group is destroyed can
        # abort the interpreter at exit ("terminate called ...").
        del model
        torch.distributed.destroy_process_group()
    """).replace('OUT', str(tmp_path)))
    result = subprocess.run([
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
        '--master_port=29631', str(script)
    ],
                            capture_output=True,
                            text=True,
                            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    for rank in (0, 1):
        assert (tmp_path / f'rank{rank}.txt').read_text() == '3.0'  # 1 + 2


def test_cpu_ddp_wrapper_only_where_needed():
    from mmengine.config import Config

    from datransnet_mmseg.apis.runner_config import use_cpu_ddp_wrapper
    assert 'model_wrapper_cfg' not in use_cpu_ddp_wrapper(
        Config(dict(launcher='none')))
    own = dict(type='MMDistributedDataParallel', device_ids=None,
               find_unused_parameters=True)
    cfg = use_cpu_ddp_wrapper(
        Config(dict(launcher='pytorch', model_wrapper_cfg=own)))
    assert cfg.model_wrapper_cfg == own  # the user's wrapper is kept
    cfg = use_cpu_ddp_wrapper(Config(dict(launcher='pytorch')))
    if torch.cuda.is_available():
        assert cfg.get('model_wrapper_cfg') is None
    else:
        assert cfg.model_wrapper_cfg.device_ids is None


# ------------------------------------------------ single writer of test log
@pytest.mark.parametrize('main_process', [True, False])
def test_test_log_written_by_main_process_only(tmp_path, monkeypatch,
                                               main_process):
    from mmengine.hooks import LoggerHook
    from mmengine.runner import LogProcessor

    class FakeRunner:
        log_dir = str(tmp_path)
        test_dataloader = [0, 1]
        log_processor = LogProcessor()
        logger = __import__('mmengine').logging.MMLogger.get_instance(
            'single_writer_test')

    monkeypatch.setattr(LogProcessor, 'get_log_after_epoch',
                        lambda *args, **kwargs: (dict(mIoU=1.0), 'mIoU 1'))
    monkeypatch.setattr('mmengine.dist.is_main_process', lambda: main_process)
    hook = LoggerHook()
    hook.json_log_path = 'test.json'
    hook.after_test_epoch(FakeRunner())
    assert (tmp_path / 'test.json').exists() == main_process
