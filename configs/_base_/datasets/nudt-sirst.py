# NUDT-SIRST, BasicIRSTD layout (see docs/dataset_preparation.md).
# train: official train split minus a carved validation split (597 images),
# val: the carved split (66), test: the official test split (664). The carved
# lists are in ./splits (tools/dataset_converters/make_val_split.py, seed 0).
dataset_type = 'NUDTSIRSTDataset'
data_root = 'data/NUDT-SIRST'

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
        ann_file='{{fileDirname}}/splits/nudt-sirst_train-sub.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='{{fileDirname}}/splits/nudt-sirst_val.txt',
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
