"""Packaging of datransnet-mmseg.

The runtime stack is pinned (see README, "Install"). mmcv-lite, the
pure-Python build of mmcv, is the default; where a compiled ``mmcv`` is
already installed, or ``DATRANSNET_MMCV=full`` is set, the compiled package
is required instead so the two never overwrite each other.
"""
import os
import re
from importlib import metadata
from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent


def read_version():
    text = (ROOT / 'datransnet_mmseg' / 'version.py').read_text()
    return re.search(r"__version__ = '([^']+)'", text).group(1)


def mmcv_requirement():
    if os.environ.get('DATRANSNET_MMCV') == 'full':
        return 'mmcv>=2.0.0rc4,<2.2.0'
    try:
        metadata.version('mmcv')
    except metadata.PackageNotFoundError:
        return 'mmcv-lite==2.1.0'
    return 'mmcv>=2.0.0rc4,<2.2.0'


setup(
    name='datransnet-mmseg',
    version=read_version(),
    description='DATransNet and infrared small target detection for '
    'MMSegmentation 1.x',
    long_description=(ROOT / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='MIT',
    packages=find_packages(include=['datransnet_mmseg', 'datransnet_mmseg.*']),
    python_requires='>=3.10',
    install_requires=[
        # CPU machines: install torch first (the README says how), so this
        # bound does not pull a multi-GB CUDA build. 2.4: the checkpoint
        # loader extends torch.serialization.get_safe_globals().
        'torch>=2.4',
        'mmsegmentation==1.2.2',
        'mmengine==0.10.7',
        mmcv_requirement(),
        # 1.25: numpy.dtypes (allowed in checkpoints by the safe loader)
        'numpy>=1.25',
        'opencv-python>=4.5',
        'scipy>=1.9',
        # imported by mmseg.utils at import time, not declared by mmseg
        'ftfy>=6.1',
        'regex>=2022.1',
        # mmengine 0.10.7 needs pkg_resources (removed in setuptools 82)
        'setuptools>=77.0.3,<82',
    ],
    extras_require={
        # Also test-only: pyirstdmetrics==1.0.2, installed with --no-deps
        # (it declares numpy<2 but works with numpy 2; see Makefile).
        # tensorboard: the TensorBoard vis backend test
        'tests': ['pytest>=8', 'scikit-image>=0.22', 'tensorboard>=2.14'],
        # tools/deployment/export_onnx.py
        'onnx': ['onnx==1.23.2', 'onnxscript==0.7.2', 'onnxruntime==1.32.0'],
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Image Recognition',
    ],
)
