#!/usr/bin/env bash
# Train DATransNet and one or more baselines on SIRST v1 (idx_427: `train`
# to train, `val` to pick the best-mIoU checkpoint), test each best
# checkpoint on `test` and write one table of the results.
#
# Usage:
#   bash tools/gpu/run_sirst_v1.sh [DATA_ROOT] [OUT_DIR]
#
#   DATA_ROOT  SIRST v1 folder (images/, masks/, idx_427/);
#              default data/sirst-v1
#   OUT_DIR    everything is written here; default work_dirs/sirst-v1-gpu
#
# Written under OUT_DIR:
#   run.log                  the whole output of this script
#   results.md, results.csv  the table (tools/analysis_tools/compare.py)
#   datransnet/, fcn_hr18s/  work dirs (one per model): training logs, best
#                            checkpoint, test/ (the test log)
#
# Settings (environment variables). The defaults are for one H100/H200 and
# a budget of about 8 minutes for both models together (measured on an H200
# with bf16: DATransNet about 0.09 s and the HRNet baseline about 0.17 s per
# iteration at batch 16, plus about 1 minute of start-up, validation and
# testing per model). They train with the alternative recipe (windows
# around targets, flips, 90-degree rotations, AdamW with warm-up and a
# cosine decay) at batch 16:
#   RECIPE=aug           aug: the alternative recipe above; official: the
#                        default configs (official recipe: Adam, no
#                        augmentation, lr x0.1 at 50% and 75% of ITERS)
#   ITERS=2400           DATransNet training iterations
#   BASELINE_ITERS=500   training iterations of each baseline
#   BATCH=16             images per batch (256x256 windows)
#   LR                   learning rate; default 2e-3 with RECIPE=aug (AdamW,
#                        1e-3 is the batch-4 value), the config's otherwise
#   VAL_INTERVAL         iterations between validations; default ITERS / 10
#   WORKERS=8            dataloader workers (persistent when > 0)
#   AMP=auto             mixed precision: auto (on when CUDA is there), 1, 0
#   AMP_DTYPE=bfloat16   bfloat16 or float16
#   DATRANSNET_CONFIG    the DATransNet config
#   BASELINE_CONFIGS     one or several baseline configs (space-separated;
#                        set but empty: DATransNet only); each baseline is
#                        written to OUT_DIR/<model name>
#   SPEED_ITERS=50       timed forward passes per model for the FPS column
#   PYTHON=python3       the interpreter
#   WHEEL_DIR            a folder of wheels (tools/gpu/download_wheels.sh)
#                        installed without network when mmseg is missing
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_ROOT="$(realpath -m "${1:-data/sirst-v1}")"
OUT_DIR="$(realpath -m "${2:-work_dirs/sirst-v1-gpu}")"
ITERS="${ITERS:-2400}"
BASELINE_ITERS="${BASELINE_ITERS:-500}"
BATCH="${BATCH:-16}"
RECIPE="${RECIPE:-aug}"
WORKERS="${WORKERS:-8}"
AMP="${AMP:-auto}"
AMP_DTYPE="${AMP_DTYPE:-bfloat16}"
SPEED_ITERS="${SPEED_ITERS:-50}"
PYTHON="${PYTHON:-python3}"
case "$RECIPE" in
    aug)
        LR="${LR:-2e-3}"
        RECIPE_NAME=adamw-aug
        ;;
    official)
        LR="${LR:-}"
        RECIPE_NAME=adam
        ;;
    *)
        echo "RECIPE=$RECIPE: use aug or official." >&2
        exit 1
        ;;
esac
DATRANSNET_CONFIG="${DATRANSNET_CONFIG:-configs/datransnet/datransnet_1xb4-$RECIPE_NAME-25.6k_nuaa-sirst-256x256.py}"
BASELINE_CONFIGS="${BASELINE_CONFIGS-configs/baselines/fcn_hr18s_1xb4-$RECIPE_NAME-25.6k_nuaa-sirst-256x256.py}"

mkdir -p "$OUT_DIR"
exec > >(tee "$OUT_DIR/run.log") 2>&1
cd "$REPO_ROOT"

source tools/gpu/stack.sh
check_sirst_v1 "$DATA_ROOT"
ensure_stack
detect_device

AMP_ARGS=()
if [ "$USE_AMP" = 1 ]; then
    AMP_ARGS=(--amp)
fi
DEVICE=cpu
if [ "$CUDA" = 1 ]; then
    DEVICE=cuda
fi
PERSISTENT=False
if [ "$WORKERS" -gt 0 ]; then
    PERSISTENT=True
fi

# cudnn's benchmark mode re-tunes for every new input size: slow on the
# whole, differently sized validation and test images.
common_options() {
    local loader
    echo 'env_cfg.cudnn_benchmark=False'
    for loader in train val test; do
        echo "${loader}_dataloader.dataset.data_root=$DATA_ROOT"
        echo "${loader}_dataloader.num_workers=$WORKERS"
        echo "${loader}_dataloader.persistent_workers=$PERSISTENT"
    done
}

# The learning-rate schedule of the recipe, fitted to ITERATIONS.
schedule_options() {
    local iters="$1"
    if [ "$RECIPE" = aug ]; then
        local warmup=$(( iters / 20 > 0 ? iters / 20 : 1 ))
        echo "param_scheduler.0.end=$warmup"
        echo "param_scheduler.1.begin=$warmup"
        echo "param_scheduler.1.end=$iters"
    else
        echo "param_scheduler.0.end=$iters"
        echo "param_scheduler.0.milestones=[$(( iters / 2 )),$(( iters * 3 / 4 ))]"
    fi
}

# train_and_test NAME CONFIG ITERATIONS
train_and_test() {
    local name="$1" config="$2" iters="$3"
    local work_dir="$OUT_DIR/$name"
    local val_interval="${VAL_INTERVAL:-$(( (iters + 9) / 10 ))}"
    local options
    mapfile -t options < <(common_options)
    mapfile -t -O "${#options[@]}" options < <(schedule_options "$iters")
    if [ -n "$LR" ]; then
        options+=("optim_wrapper.optimizer.lr=$LR")
    fi
    options+=(
        "train_dataloader.batch_size=$BATCH"
        "train_cfg.max_iters=$iters"
        "train_cfg.val_interval=$val_interval"
        "default_hooks.checkpoint.interval=$iters"
        "default_hooks.logger.interval=$(( iters < 500 ? 1 : 50 ))"
    )
    if [ ${#AMP_ARGS[@]} -gt 0 ]; then
        options+=("optim_wrapper.dtype=$AMP_DTYPE")
    fi
    echo "=== $name: $config, $iters iterations, batch $BATCH," \
        "lr ${LR:-of the config}, ${AMP_ARGS[*]:-fp32}"
    local start=$SECONDS
    rm -rf "$work_dir"
    "$PYTHON" tools/train.py "$config" --work-dir "$work_dir" \
        "${AMP_ARGS[@]}" --cfg-options "${options[@]}"
    echo "=== $name: trained in $(( SECONDS - start )) s"
    local best
    best="$(ls -t "$work_dir"/best_mIoU_iter_*.pth 2>/dev/null | head -n 1)"
    if [ -z "$best" ]; then
        echo "No best checkpoint in $work_dir (was there a validation?)." >&2
        exit 1
    fi
    start=$SECONDS
    mapfile -t options < <(common_options)
    "$PYTHON" tools/test.py "$config" "$best" --work-dir "$work_dir/test" \
        --cfg-options "${options[@]}"
    echo "=== $name: tested $(basename "$best") in $(( SECONDS - start )) s"
}

echo "SIRST v1 at $DATA_ROOT; results in $OUT_DIR"
train_and_test datransnet "$DATRANSNET_CONFIG" "$ITERS"
work_dirs=("$OUT_DIR/datransnet")
names=(DATransNet)
for config in $BASELINE_CONFIGS; do
    name="$(basename "$config" .py | cut -d_ -f1-2)"
    train_and_test "$name" "$config" "$BASELINE_ITERS"
    work_dirs+=("$OUT_DIR/$name")
    names+=("$name")
done
"$PYTHON" tools/analysis_tools/compare.py "${work_dirs[@]}" \
    --names "${names[@]}" \
    --device "$DEVICE" --speed-iters "$SPEED_ITERS" --out "$OUT_DIR/results"
echo "Done: $OUT_DIR/results.md"
