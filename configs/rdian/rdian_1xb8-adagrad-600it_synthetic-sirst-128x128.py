# Learning check: RDIAN trained from scratch on the generated synthetic
# SIRST data (128x128 images, tools/dataset_converters/make_synthetic_sirst.py)
# for a few minutes on a CPU, with the official optimiser (Adagrad 0.005,
# weight decay 1e-4, batch 8, poly decay) and no augmentation.
_base_ = [
    '../_base_/models/rdian.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adagrad-poly-9.6k.py',
]
max_iters = 600
train_dataloader = dict(batch_size=8)
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=0,
        end=max_iters,
        by_epoch=False)
]
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=200))
randomness = dict(seed=42)
