# DATransNet on SIRST v1 ("NUAA-SIRST"), 50_50 split of DNANet/BasicIRSTD,
# with the training recipe of the official code:
# Adam 5e-4, no weight decay, batch 4, 400 epochs, learning rate x0.1 at
# 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on the 50_50 train list minus a carved validation split (192
# images), selects the best-mIoU checkpoint on that split (21), and
# `tools/test.py` reports on the 50_50 test list (214).
# Adapted, not reproduced: the official code has no runnable SIRST v1
# path (its SIRST branch resizes trainval images to 256 and never sets the
# size), so this applies the official NUDT-SIRST / IRSTD-1K recipe to this
# dataset.
# Images have different sizes: batches of 4 are random 256x256 windows
# padded to 256x256, as in ./datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py
# (which explains the choice). For the official protocol (model selection
# on the test split), see
# ./datransnet_1xb4-adam-official-protocol-21.6k_nuaa-sirst-50-50-256x256.py.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/nuaa-sirst-50_50.py',
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
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(
    data_preprocessor=dict(size=crop_size, size_divisor=None),
    neck=dict(img_size=256))
# 400 epochs of 192 images at batch 4 = 400 x 48 iterations; validation
# after every epoch (the official code evaluates every epoch).
iters_per_epoch = 48
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
