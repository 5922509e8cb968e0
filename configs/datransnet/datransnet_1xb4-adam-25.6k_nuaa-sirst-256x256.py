# DATransNet on SIRST v1 ("NUAA-SIRST"), official idx_427 splits, with the
# training recipe of the official code: Adam 5e-4, no weight decay, batch 4,
# 400 epochs, learning rate x0.1 at 50% and 75% of training, SoftIoU loss, seed
# 42. Trains on `train` (256 images), selects the best-mIoU checkpoint on `val`
# (85), and `tools/test.py` reports on `test` (86). Adapted, not reproduced:
# the official code has no runnable SIRST v1 path (its SIRST branch resizes
# trainval images to 256 and never sets the size), so this applies the official
# NUDT-SIRST / IRSTD-1K recipe to this dataset.
#
# Images have different sizes (135-456 x 96-388). Batches of 4 are made of
# random 256x256 windows (the whole side where the image is shorter), padded
# to 256x256 by the data preprocessor (padding is label 255, left out of the
# loss). This keeps every batch the same size (constant memory and speed,
# one cudnn algorithm), keeps padding small (most images are 320x240), and
# trains at the size the attention temperature is set for (img_size 256).
# The window is the only randomness added to the recipe: no flip, no
# rotation. Evaluation uses whole images padded to a multiple of 32.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/nuaa-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-25.6k.py',
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
randomness = dict(seed=42)
