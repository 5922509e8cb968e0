"""tools/analysis_tools/benchmark.py: the peak of tensor memory."""
import importlib
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
