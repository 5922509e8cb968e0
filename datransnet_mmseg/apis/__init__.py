"""High-level helpers for the command-line tools and for users."""
from .runner_config import (check_work_dir_writable, prepare_test_config,
                            prepare_train_config)

__all__ = [
    'check_work_dir_writable', 'prepare_train_config', 'prepare_test_config'
]
