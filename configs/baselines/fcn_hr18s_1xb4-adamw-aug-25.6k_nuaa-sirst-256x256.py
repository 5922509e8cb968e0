# FCN with an HRNetV2-W18-Small on SIRST v1 (idx_427 splits), trained from
# scratch with the alternative recipe of
# ../datransnet/datransnet_1xb4-adamw-aug-25.6k_nuaa-sirst-256x256.py
# (windows around targets, flips and 90-degree rotations, AdamW with warm-up
# and a cosine decay), for a comparison under the same recipe.
_base_ = [
    '../_base_/models/fcn_hr18s.py',
    '../_base_/datasets/nuaa-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-80k.py',
]
crop_size = (256, 256)
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='RandomTargetCrop', crop_size=crop_size, target_prob=0.8),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomRotate90', prob=0.75),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(data_preprocessor=dict(size=crop_size, size_divisor=None))
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=1e-3,
        betas=(0.9, 0.999),
        weight_decay=0.01),
    paramwise_cfg=dict(norm_decay_mult=0., bias_decay_mult=0.))
iters_per_epoch = 64
max_iters = 400 * iters_per_epoch
warmup_iters = 500
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=warmup_iters),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-6,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters)
]
train_cfg = dict(max_iters=max_iters, val_interval=iters_per_epoch)
default_hooks = dict(checkpoint=dict(interval=10 * iters_per_epoch))
randomness = dict(seed=42)
