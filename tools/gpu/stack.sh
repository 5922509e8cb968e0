# Sourced by the scripts of tools/gpu/: the set-up they share.

# check_sirst_v1 DATA_ROOT: stop unless DATA_ROOT holds SIRST v1's splits.
check_sirst_v1() {
    if [ ! -f "$1/idx_427/train.txt" ]; then
        echo "SIRST v1 not found: $1/idx_427/train.txt is missing." >&2
        exit 1
    fi
}

# Make mmsegmentation and mmengine importable by $PYTHON. Where they are
# missing and WHEEL_DIR is set (a folder made by
# tools/gpu/download_wheels.sh), the wheels are installed without network
# into a folder of their own, put on PYTHONPATH.
ensure_stack() {
    if "$PYTHON" -c 'import mmseg, mmengine' 2>/dev/null; then
        return
    fi
    if [ -z "${WHEEL_DIR:-}" ]; then
        echo 'mmsegmentation/mmengine are not installed: install the' \
            'package (pip install -e .) or set WHEEL_DIR.' >&2
        exit 1
    fi
    local site="${TMPDIR:-/tmp}/datransnet-site"
    echo "Installing the wheels of $WHEEL_DIR into $site"
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile \
        --target "$site" "$(realpath "$WHEEL_DIR")"/*.whl
    export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
}

# Set CUDA (1 when torch sees a GPU, else 0) and USE_AMP (1 for AMP=1, or
# for AMP=auto on a GPU; else 0), and name the GPU.
detect_device() {
    CUDA="$("$PYTHON" -c 'import torch; print(int(torch.cuda.is_available()))')"
    USE_AMP=0
    if [ "$AMP" = 1 ] || { [ "$AMP" = auto ] && [ "$CUDA" = 1 ]; }; then
        USE_AMP=1
    fi
    if [ "$CUDA" = 1 ]; then
        "$PYTHON" -c 'import torch; print("GPU:", torch.cuda.get_device_name())'
    fi
}
