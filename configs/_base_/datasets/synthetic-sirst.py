# Synthetic SIRST-style demo data (tools/dataset_converters/
# make_synthetic_sirst.py writes it to data/synthetic-sirst): images/, masks/,
# img_idx/{train,val,test,trainval}_SynthSIRST.txt.
dataset_type = 'SIRSTDataset'
data_root = 'data/synthetic-sirst'

# No augmentation here; add any in the model config.
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
        dataset_name='SynthSIRST',
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        dataset_name='SynthSIRST',
        split='val',
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        dataset_name='SynthSIRST',
        split='test',
        pipeline=test_pipeline))
val_evaluator = dict(type='IRSTDMetric')
test_evaluator = val_evaluator
