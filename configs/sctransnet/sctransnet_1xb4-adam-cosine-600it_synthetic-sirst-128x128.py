# The learning check: SCTransNet trained from scratch on the generated
# synthetic SIRST data (128x128 images) for a few minutes on a CPU, with the
# official optimizer (Adam 1e-3), loss (binary cross-entropy summed over the
# six outputs), flips/rotations and learning-rate schedule of the SIRST v1
# config (linear warm-up over 160 iterations, one epoch at 1e-3, cosine
# annealing over 15,840 iterations), stopped after its first 600 iterations
# (where the rate is still within 1% of 1e-3), batch 4 instead of 16 (the
# images are smaller than the official 256x256 window, so no crop). A cosine
# fitted to a few hundred iterations lowers the rate before the output
# logits have crossed the 0.5 threshold (see the model README).
_base_ = [
    '../_base_/models/sctransnet.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-warmup-cosine-16k.py',
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
max_iters = 600
# the official SIRST v1 schedule (16 iterations per epoch), cut at max_iters
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=10 * 16),
    dict(
        type='CosineAnnealingLR',
        T_max=990 * 16,
        eta_min=1e-5,
        by_epoch=False,
        begin=11 * 16,
        end=max_iters)
]
train_cfg = dict(max_iters=max_iters, val_begin=1, val_interval=50)
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=max_iters))
randomness = dict(seed=42)
