# SIRST-v2, open-sirst-v2 layout (see docs/dataset_preparation.md): the
# repository's *_full splits, train 512, val 256, test 256 images, about half
# of them background-only (empty masks).
dataset_type = 'SIRSTv2Dataset'
data_root = 'data/open-sirst-v2'

# No augmentation here. Images have different sizes (up to 1280 x 1024):
# training with batch_size > 1 needs a crop in the pipeline or padding in the
# model's data preprocessor (size=...).
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='PackSegInputs')
]
# Native resolution, no resize: the model's preprocessor pads to its size
# divisor and the prediction is cropped back to ori_shape.
test_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train_full',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='val_full',
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test_full',
        pipeline=test_pipeline))
val_evaluator = dict(type='IRSTDMetric')
test_evaluator = val_evaluator
