# DATransNet on SIRST v1 (idx_427 splits) with an alternative recipe, not the
# default: the budget, loss and splits of the official recipe
# (./datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py), plus
# - windows around targets: 8 in 10 of the 256x256 windows hold a target
#   pixel, the others are drawn anywhere (target-free background too);
# - the 8 symmetries of the square, equally likely (a horizontal flip and a
#   rotation by 0, 90, 180 or 270 degrees; exact, no interpolation);
# - AdamW 1e-3, weight decay 0.01 (not on norms and biases), linear warm-up
#   over 500 iterations, then a cosine decay.
# Whether it helps at a given budget: docs/recipes.md.
_base_ = './datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py'
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
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=1e-3,
        betas=(0.9, 0.999),
        weight_decay=0.01),
    paramwise_cfg=dict(norm_decay_mult=0., bias_decay_mult=0.))
max_iters = 25600
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
