# Two entry points for a fresh machine with Python 3.10+:
#   make demo   trains DATransNet on a generated dataset and evaluates it
#   make test   runs the test suite
# Both create .venv with the pinned stack first. GPU users: see README.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# CPU build by default; e.g. TORCH_SPEC="torch==2.13.0" --index-url ... for CUDA
TORCH_SPEC ?= torch==2.13.0
DEMO_DATA ?= data/synthetic-sirst
DEMO_CONFIG ?= configs/datransnet/datransnet_1xb4-adam-600it_synthetic-sirst-128x128.py
DEMO_WORK_DIR ?= work_dirs/demo

.PHONY: venv test demo clean-demo

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(TORCH_SPEC)
	$(PY) -m pip install --quiet -e ".[tests,onnx]"
	$(PY) -m pip install --quiet --no-deps pyirstdmetrics==1.0.2
	touch $@

test: venv
	$(PY) -m pytest tests

demo: venv
	$(PY) tools/dataset_converters/make_synthetic_sirst.py $(DEMO_DATA) \
		--num-train 240 --num-val 40 --num-test 60 --height 128 --width 128
	$(PY) tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_WORK_DIR)
	$(PY) tools/test.py $(DEMO_CONFIG) \
		$$(ls -t $(DEMO_WORK_DIR)/best_mIoU_iter_*.pth | head -n 1) \
		--work-dir $(DEMO_WORK_DIR)/test --show-dir $(DEMO_WORK_DIR)/overlays

clean-demo:
	rm -rf $(DEMO_DATA) $(DEMO_WORK_DIR)
