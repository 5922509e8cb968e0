#!/usr/bin/env bash
# Download the pure-Python wheels of the stack into one folder, for a GPU
# machine without internet access: run_sirst_v1.sh installs them from
# there (WHEEL_DIR) when mmsegmentation is missing.
#
# Usage:
#   bash tools/gpu/download_wheels.sh [DEST]
#
#   DEST  the folder of the wheels; default wheels
#
# The GPU machine must already have the packages with compiled code: torch,
# numpy, opencv-python(-headless), scipy, regex, PyYAML, matplotlib, Pillow
# and rich. These are the pure-Python rest (py3-none-any wheels, whatever
# the Python version and platform there) at the versions this repository is
# tested with; setuptools<82 brings the pkg_resources that mmengine needs.
#
# Settings (environment variables):
#   PYTHON=python3   the interpreter whose pip downloads
set -euo pipefail

DEST="${1:-wheels}"
PYTHON="${PYTHON:-python3}"
WHEELS=(
    mmsegmentation==1.2.2
    mmengine==0.10.7
    mmcv-lite==2.1.0
    addict==2.4.0
    ftfy==6.3.1
    platformdirs==4.14.9
    prettytable==3.18.0
    setuptools==81.0.0
    termcolor==3.3.0
    wcwidth==0.9.4
    yapf==0.43.0
)

mkdir -p "$DEST"
# --platform any with --abi none: pure-Python wheels only, never a build
"$PYTHON" -m pip download --no-deps --only-binary=:all: \
    --platform any --implementation py --abi none \
    --dest "$DEST" "${WHEELS[@]}"
echo "Wheels in $DEST. On the GPU machine: WHEEL_DIR=$DEST" \
    "bash tools/gpu/run_sirst_v1.sh"
