"""tools/analysis_tools/benchmark.py: tensor memory, peers' train case."""
import importlib
import json
from pathlib import Path

import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
MIB = 2**20


def test_peak_tensor_memory_counts_live_tensors_of_the_step(monkeypatch):
    """4 MiB and 2 MiB live together, then 5 MiB alone: the peak is 6 MiB;
    what was allocated before the step is not counted."""
    monkeypatch.syspath_prepend(str(REPO_ROOT / 'tools' / 'analysis_tools'))
    benchmark = importlib.import_module('benchmark')
    allocated_before = torch.zeros(MIB // 4)  # noqa: F841  (1 MiB, kept)

    def step():
        first = torch.empty(MIB)  # 4 MiB of float32
        second = torch.empty(MIB // 2)  # 2 MiB
        del first, second
        third = torch.empty(5 * MIB // 4)  # 5 MiB
        del third

    assert benchmark.peak_tensor_mib(step) == 6.0
    assert benchmark.peak_tensor_mib(lambda: None) == 0.0


def test_training_step_of_a_peer_is_timed_for_ours_only(tools, tmp_path):
    """A peer's train case runs its config's loss and a backward pass: the
    step's peak tensor memory holds at least the fp32 gradients of the
    397,823 parameters of ACM. The official step is not timed."""
    out = tmp_path / 'train.json'
    tools.run('analysis_tools/benchmark.py', '--model', 'acm', '--cases',
              'train-64', '--batch', '2', '--warmup', '1', '--iters', '1',
              '--rounds', '1', '--threads', '1', '--out', str(out))
    [result] = json.loads(out.read_text())['results']
    assert (result['impl'], result['case'], result['batch']) == (
        'ours', 'train-64', 2)
    assert result['median_s'] > 0
    assert result['peak_tensor_mib'] >= 397_823 * 4 / MIB
    refused = tools.run('analysis_tools/benchmark.py', '--model', 'acm',
                        '--cases', 'train-64', '--official-repo',
                        str(tmp_path), expect_success=False)
    assert refused.returncode != 0
    assert 'the official training step is not timed' in refused.stderr
