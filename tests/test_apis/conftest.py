"""Fixtures of the inference API tests."""
import pytest
import torch


@pytest.fixture(autouse=True)
def single_thread():
    """Run single-threaded (restored afterwards): the inputs are small, and
    two threads on a machine shared with other jobs are slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
