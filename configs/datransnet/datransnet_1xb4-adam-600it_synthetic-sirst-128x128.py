# The `make demo` run: DATransNet trained from scratch on the generated
# synthetic SIRST data (128x128 images) for a few minutes on a CPU.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-80k.py',
]
model = dict(neck=dict(img_size=128))
max_iters = 600
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[max_iters // 2, max_iters * 3 // 4],
        gamma=0.1)
]
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=200))
randomness = dict(seed=42)
