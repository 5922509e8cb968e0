# RDIAN on NUDT-SIRST: trains on `train-sub` (597 images), selects the
# best-mIoU checkpoint on the carved `val` (66), `tools/test.py` reports on
# `test` (664).
#
# The official recipe (train.py, utils/data.py): SoftIoU loss (summed over
# the batch here, averaged per image in the official code), Adagrad 0.005
# (weight decay 1e-4), batch 8, 300 epochs with poly decay, and the official
# augmentation, in order: horizontal flip (p = 0.5); rescale keeping the
# aspect ratio, the long side drawn uniformly from [256, 1024] (0.5-2x the
# base size 512; bilinear image, nearest mask); a random 480x480 crop, the
# image and mask zero-padded at the right and bottom where a side is
# shorter (the data preprocessor pads to 480x480 with what a raw 0 becomes
# after normalisation, label 0). Validation and test resize every image to
# 512x512 (bilinear) as the official evaluation does; the prediction is
# resized back and scored at the original resolution.
_base_ = [
    '../_base_/models/rdian.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adagrad-poly-22.5k.py',
]
crop_size = (480, 480)
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='RandomResize',
        scale=(512, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackSegInputs')
]
# Annotations are loaded after the resize: they keep the original size.
test_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='Resize', scale=(512, 512), keep_ratio=False),
    dict(type='LoadBinaryAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
model = dict(data_preprocessor=dict(size=crop_size, size_divisor=None))
randomness = dict(seed=42)
