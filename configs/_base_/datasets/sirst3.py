# SIRST3 = NUAA-SIRST (50_50) + NUDT-SIRST + IRSTD-1K, trained jointly as in
# BasicIRSTD/SCTransNet (see docs/dataset_preparation.md). Each part keeps its
# own folder; train and val concatenate the carved train-sub/val lists of the
# three, test concatenates their official test splits (214 + 664 + 201 = 1079
# images, the SIRST3 test list) and reports pooled metrics. For per-dataset
# numbers, test the checkpoint with nuaa-sirst-50_50.py, nudt-sirst.py and
# irstd-1k.py.
nuaa_root = 'data/sirst-v1'
nudt_root = 'data/NUDT-SIRST'
irstd1k_root = 'data/IRSTD-1K'

# No augmentation here. NUAA-SIRST images have different sizes: training with
# batch_size > 1 needs a crop in the pipeline or padding in the model's data
# preprocessor (size=...).
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
        type='ConcatDataset',
        datasets=[
            dict(
                type='NUAASIRSTDataset',
                data_root=nuaa_root,
                ann_file='{{fileDirname}}/splits/nuaa-sirst-50_50_'
                'train-sub.txt',
                pipeline=train_pipeline),
            dict(
                type='NUDTSIRSTDataset',
                data_root=nudt_root,
                ann_file='{{fileDirname}}/splits/nudt-sirst_train-sub.txt',
                pipeline=train_pipeline),
            dict(
                type='IRSTD1kDataset',
                data_root=irstd1k_root,
                ann_file='{{fileDirname}}/splits/irstd-1k_train-sub.txt',
                pipeline=train_pipeline)
        ]))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='NUAASIRSTDataset',
                data_root=nuaa_root,
                ann_file='{{fileDirname}}/splits/nuaa-sirst-50_50_val.txt',
                pipeline=test_pipeline),
            dict(
                type='NUDTSIRSTDataset',
                data_root=nudt_root,
                ann_file='{{fileDirname}}/splits/nudt-sirst_val.txt',
                pipeline=test_pipeline),
            dict(
                type='IRSTD1kDataset',
                data_root=irstd1k_root,
                ann_file='{{fileDirname}}/splits/irstd-1k_val.txt',
                pipeline=test_pipeline)
        ]))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='NUAASIRSTDataset',
                data_root=nuaa_root,
                split='50_50_test',
                pipeline=test_pipeline),
            dict(
                type='NUDTSIRSTDataset',
                data_root=nudt_root,
                split='test',
                pipeline=test_pipeline),
            dict(
                type='IRSTD1kDataset',
                data_root=irstd1k_root,
                split='test',
                pipeline=test_pipeline)
        ]))
val_evaluator = dict(type='IRSTDMetric')
test_evaluator = val_evaluator
