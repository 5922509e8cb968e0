# UIU-Net (UIUNET(3, 1), 50.5 M parameters) on IRSTD-1K, with the official
# training recipe (train.py, data_loader.py): Adam 1e-3 without schedule,
# batch 3, 500 epochs, sigmoid cross-entropy summed over the seven outputs.
# Trains on `train-sub` (720 images), selects the best-mIoU checkpoint on
# the carved `val` (80), and `tools/test.py` reports on `test` (201).
#
# The official augmentation: every image resized to 320x320 (aspect ratio
# not kept; bilinear image, nearest mask), flipped upside down with
# probability 0.5, then a random 288x288 window. Validation and test resize
# every image to 320x320 as the official test does; the prediction is
# resized back and scored at the original resolution (the masks are loaded
# after the resize).
_base_ = [
    '../_base_/models/uiunet.py',
    '../_base_/datasets/irstd-1k.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-constant-120k.py',
]
crop_size = (288, 288)
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='Resize', scale=(320, 320), keep_ratio=False),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='Resize', scale=(320, 320), keep_ratio=False),
    dict(type='LoadBinaryAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=3, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
randomness = dict(seed=42)
