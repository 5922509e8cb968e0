# Sourced by the scripts of tools/gpu/: makes mmsegmentation and mmengine
# importable by $PYTHON. Where they are missing and WHEEL_DIR is set (a
# folder made by tools/gpu/download_wheels.sh), the wheels are installed
# without network into a folder of their own, put on PYTHONPATH.
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
