"""High-level helpers for the command-line tools and for users."""
from .image_list import IMG_EXTENSIONS, list_images
from .inference import IRSTDInferencer, IRSTDResult, target_records
from .result_writer import IRSTDResultWriter, output_names
from .runner_config import (check_work_dir_writable, prepare_test_config,
                            prepare_train_config)

__all__ = [
    'check_work_dir_writable', 'prepare_train_config', 'prepare_test_config',
    'IMG_EXTENSIONS', 'list_images', 'IRSTDInferencer', 'IRSTDResult',
    'target_records', 'IRSTDResultWriter',
    'output_names'
]
