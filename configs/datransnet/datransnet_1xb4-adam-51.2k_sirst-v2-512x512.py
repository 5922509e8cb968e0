# DATransNet on SIRST-v2 (the *_full splits of open-sirst-v2) with the
# training recipe of the official code:
# Adam 5e-4, no weight decay, batch 4, 400 epochs, learning rate x0.1 at
# 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on train_full (512 images, about half without any target), selects
# the best-mIoU checkpoint on val_full (256), and `tools/test.py` reports
# on test_full (256).
# Adapted, not reproduced: the official code has no SIRST-v2 path; this
# applies the official NUDT-SIRST / IRSTD-1K recipe to this dataset.
# Images have different sizes (many 640x512, up to 1280x1024): batches of 4
# are random 512x512 windows (the whole side where the image is shorter),
# padded to 512x512 by the data preprocessor (padding is left out of the
# loss); the attention temperature is set for 512 (img_size 512), as for
# IRSTD-1K, whose images are of similar size. Whole images at test time.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/sirst-v2.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-80k.py',
]
crop_size = (512, 512)
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(
    data_preprocessor=dict(size=crop_size, size_divisor=None),
    neck=dict(img_size=512))
# 400 epochs of 512 images at batch 4 = 400 x 128 iterations; validation
# after every epoch (the official code evaluates every epoch).
iters_per_epoch = 128
max_iters = 400 * iters_per_epoch
train_cfg = dict(max_iters=max_iters, val_interval=iters_per_epoch)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[max_iters // 2, max_iters * 3 // 4],
        gamma=0.1)
]
default_hooks = dict(checkpoint=dict(interval=10 * iters_per_epoch))
randomness = dict(seed=42)
