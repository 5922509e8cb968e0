# Learning check: UIU-Net trained from scratch on the generated synthetic
# SIRST data (128x128 images) with the official optimiser (Adam 1e-3,
# constant) and loss. UIU-Net is large (about 10 s per iteration for two
# whole 128x128 images on one CPU thread), so it trains on 64x64 windows
# (half of them around a target), batch 2, with the official vertical flip,
# for 240 iterations, and validates on whole 128x128 images every 80.
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
    dict(type='RandomTargetCrop', crop_size=(64, 64), target_prob=0.5),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))
max_iters = 240
train_cfg = dict(max_iters=max_iters, val_interval=80)
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
    checkpoint=dict(interval=80, max_keep_ckpts=1))
randomness = dict(seed=42)
