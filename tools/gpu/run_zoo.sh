#!/usr/bin/env bash
# The field's comparison on SIRST v1 (idx_427): every network of the zoo
# trained at one budget with one or several seeds, each run's checkpoint
# selected on `val` and tested on `test`, one table and one Pd-Fa / ROC
# plot (tools/analysis_tools/benchmark_zoo.py; resumable: call it again
# after an interruption, finished runs are kept).
#
# Usage:
#   bash tools/gpu/run_zoo.sh [DATA_ROOT] [OUT_DIR]
#
#   DATA_ROOT  SIRST v1 folder (images/, masks/, idx_427/);
#              default data/sirst-v1
#   OUT_DIR    everything is written here; default work_dirs/zoo-sirst-v1-gpu
#
# Written under OUT_DIR: run.log (the whole output), results.md and
# results.csv (the table), curves.png, and runs/<network>/seed<k>/ (config,
# logs, checkpoints, test/, summary.json).
#
# Settings (environment variables). The defaults are meant for one
# H100/H200 and about 10 minutes: 200 iterations x batch 16 on 256x256
# windows, one seed, bf16. This is an estimate from DATransNet's measured
# 0.09 s per iteration at batch 16 on an H200 plus about 40 s of start-up,
# validation and test per run, not a measurement of every network.
#   CONFIGS        the training configs (space-separated); default: the
#                  SIRST v1 configs of the eight IRSTD networks and of two
#                  generic MMSeg baselines (SegFormer MiT-B0, HRNet-W18s)
#   SEEDS=0        seeds of every network (space-separated)
#   ITERS=200      training iterations of every run
#   BATCH=16       images per batch
#   CROP=256       training window (CROP x CROP) of every run
#   VAL_INTERVAL   iterations between validations; default ITERS / 4
#   WORKERS=8      dataloader workers
#   AMP=auto       mixed precision: auto (on when CUDA is there), 1, 0
#   AMP_DTYPE=bfloat16   bfloat16 or float16
#   PYTHON=python3       the interpreter
#   WHEEL_DIR      a folder of wheels (tools/gpu/download_wheels.sh)
#                  installed without network when mmseg is missing
#
# The CPU table of the README: ITERS=1000 BATCH=4 CROP=256 VAL_INTERVAL=100
# WORKERS=1 (seeds 0, then 1 and 2 of DATransNet and the two best peers).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_ROOT="$(realpath -m "${1:-data/sirst-v1}")"
OUT_DIR="$(realpath -m "${2:-work_dirs/zoo-sirst-v1-gpu}")"
CONFIGS="${CONFIGS:-configs/datransnet/datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py
configs/acm/acm_askcresunet_1xb16-adam-6.4k_nuaa-sirst-256x256.py
configs/alcnet/alcnet_askcresnetfpn_1xb16-adam-6.4k_nuaa-sirst-256x256.py
configs/baselines/segformer_mit-b0_1xb4-adam-25.6k_nuaa-sirst-256x256.py
configs/baselines/fcn_hr18s_1xb4-adam-25.6k_nuaa-sirst-256x256.py
configs/mshnet/mshnet_1xb4-adagrad-25.6k_nuaa-sirst-256x256.py
configs/sctransnet/sctransnet_1xb16-adam-cosine-16k_nuaa-sirst-256x256.py
configs/rdian/rdian_1xb8-adagrad-9.6k_nuaa-sirst-480x480.py
configs/dnanet/dnanet_res-cbam-r18_1xb16-adagrad-24k_nuaa-sirst-256x256.py
configs/uiunet/uiunet_1xb3-adam-42.5k_nuaa-sirst-288x288.py}"
SEEDS="${SEEDS:-0}"
ITERS="${ITERS:-200}"
BATCH="${BATCH:-16}"
CROP="${CROP:-256}"
VAL_INTERVAL="${VAL_INTERVAL:-$(( ITERS / 4 > 0 ? ITERS / 4 : 1 ))}"
WORKERS="${WORKERS:-8}"
AMP="${AMP:-auto}"
AMP_DTYPE="${AMP_DTYPE:-bfloat16}"
PYTHON="${PYTHON:-python3}"

mkdir -p "$OUT_DIR"
exec > >(tee -a "$OUT_DIR/run.log") 2>&1
cd "$REPO_ROOT"

source tools/gpu/stack.sh
check_sirst_v1 "$DATA_ROOT"
ensure_stack
detect_device

AMP_ARGS=()
if [ "$USE_AMP" = 1 ]; then
    AMP_ARGS=(--amp --cfg-options "optim_wrapper.dtype=$AMP_DTYPE")
fi

# shellcheck disable=SC2086  # CONFIGS and SEEDS are lists
"$PYTHON" tools/analysis_tools/benchmark_zoo.py $CONFIGS \
    --data-root "$DATA_ROOT" --out-dir "$OUT_DIR" --seeds $SEEDS \
    --iters "$ITERS" --batch "$BATCH" --crop "$CROP" "$CROP" \
    --val-interval "$VAL_INTERVAL" --workers "$WORKERS" "${AMP_ARGS[@]}"
echo "Done: $OUT_DIR/results.md"
