# The learning check: ACM (BasicIRSTD's PyTorch port, ASKCResUNet)
# trained from scratch on the generated synthetic SIRST data (128x128 images)
# on a CPU with the official recipe: Adam 5e-4, batch 16, the SoftIoU loss,
# flips/rotations (the images are smaller than the official 256x256 window,
# so no crop), 400 epochs of the 240 training images (6,000 iterations) with
# the learning rate x0.1 at epochs 200 and 300. The SoftIoU loss stays near
# 1 for the first hundreds of iterations (the official logs show the same
# plateau for the first 50-70 epochs) before it drops.
_base_ = [
    '../_base_/models/acm.py',
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
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
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
