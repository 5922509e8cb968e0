"""Shared pytest fixtures.

Tests that need the shared reference material (the SIRST v1 data and the
official DATransNet outputs) find it at ``$DATRANSNET_SHARED`` or, by
default, at ``../shared`` beside the repository. Without it they skip with
the reason, except in CI (``CI=true``), where they fail.
"""
import os
from pathlib import Path

import pytest

import datransnet_mmseg  # noqa: F401  (patches the stack, registers classes)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_ROOT = Path(
    os.environ.get('DATRANSNET_SHARED', REPO_ROOT.parent / 'shared'))


def shared_file(*parts: str) -> Path:
    """Return a path inside the shared folder, or skip (fail in CI)."""
    path = SHARED_ROOT.joinpath(*parts)
    if not path.exists():
        reason = (f'{path} is missing: set DATRANSNET_SHARED to the folder '
                  'holding data/sirst-v1 and reference/datransnet-official')
        if os.environ.get('CI') == 'true':
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def shared():
    """Factory fixture: ``shared('data', 'sirst-v1')`` -> Path."""
    return shared_file
