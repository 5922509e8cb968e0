# Learning check: DNANet trained from scratch on the generated synthetic
# SIRST data (128x128 images) with the official optimiser (Adagrad 0.05,
# constant) and loss, batch 4, no augmentation, 200 iterations (a few
# minutes on a CPU per 50 iterations).
_base_ = [
    '../_base_/models/dnanet.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adagrad-constant-24k.py',
]
max_iters = 200
train_cfg = dict(max_iters=max_iters, val_interval=50)
param_scheduler = [
    dict(
        type='ConstantLR',
        factor=1.0,
        by_epoch=False,
        begin=0,
        end=max_iters)
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=50))
randomness = dict(seed=42)
