# SIRST v1 ("NUAA-SIRST"), BasicIRSTD/DNANet 50_50 protocol (see
# docs/dataset_preparation.md). train: the 50_50 train list minus a carved
# validation split (192 images), val: the carved split (21), test: the 50_50
# test list (214). The carved lists are in ./splits
# (tools/dataset_converters/make_val_split.py, seed 0).
dataset_type = 'NUAASIRSTDataset'
data_root = 'data/sirst-v1'

# No augmentation here. Images have different sizes (135-456 x 96-388):
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
        ann_file='{{fileDirname}}/splits/nuaa-sirst-50_50_train-sub.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='{{fileDirname}}/splits/nuaa-sirst-50_50_val.txt',
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='50_50_test',
        pipeline=test_pipeline))
val_evaluator = dict(type='IRSTDMetric')
test_evaluator = val_evaluator
