# The learning check: ALCNet (BasicIRSTD's PyTorch port, ASKCResNetFPN)
# trained from scratch on the generated synthetic SIRST data (128x128 images)
# on a CPU, with the official optimizer, loss and flips/rotations (the images
# are smaller than the official 256x256 window, so no crop), learning rate
# x0.1 at 50% and 75% of training. Batch 4 instead of 16 keeps the run
# within about half an hour: the SoftIoU loss stays near 1 for the
# first ~1,000 iterations (the official logs show the same plateau for the
# first 50-70 epochs of 14-16 iterations) before it drops.
_base_ = [
    '../_base_/models/alcnet.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-6.4k.py',
]
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomRotate90', prob=0.75),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
max_iters = 6000
train_cfg = dict(max_iters=max_iters, val_interval=500)
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
    checkpoint=dict(interval=max_iters))
randomness = dict(seed=42)
