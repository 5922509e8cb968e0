# IRSTD-1K, BasicIRSTD layout (see docs/dataset_preparation.md; for the
# original ISNet archive add layout='isnet' and use split='test' as here).
# train: official train split minus a carved validation split (720 images),
# val: the carved split (80), test: the official test split (201). The carved
# lists are in ./splits (tools/dataset_converters/make_val_split.py, seed 0).
dataset_type = 'IRSTD1kDataset'
data_root = 'data/IRSTD-1K'

# The official recipe uses no augmentation; add any in the model config.
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
        ann_file='{{fileDirname}}/splits/irstd-1k_train-sub.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='{{fileDirname}}/splits/irstd-1k_val.txt',
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        pipeline=test_pipeline))
val_evaluator = dict(type='IRSTDMetric')
test_evaluator = val_evaluator
