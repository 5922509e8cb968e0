# Learning check: UIU-Net trained from scratch on the generated synthetic
# SIRST data (128x128 images) with the official optimiser (Adam 1e-3,
# constant), loss, batch (3) and vertical flip. It trains on whole images,
# not on windows: UIU-Net pools its input up to 32 times, and batch norms
# that see only 2x2 maps in training (64x64 windows) keep running
# statistics that do not describe whole images (see README.md). Whole
# 128x128 images give 4x4 innermost maps, 48 values per channel at batch 3.
# About 4 s per iteration on one CPU thread; 1,200 iterations (15 epochs),
# validated every 100: no pixel crosses 0.5 before ~400 iterations.
_base_ = [
    '../_base_/models/uiunet.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-constant-42.5k.py',
]
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=3, dataset=dict(pipeline=train_pipeline))
max_iters = 1200
train_cfg = dict(max_iters=max_iters, val_interval=100)
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
    checkpoint=dict(interval=100, max_keep_ckpts=1))
randomness = dict(seed=42)
