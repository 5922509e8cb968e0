# FCN with an HRNetV2-W18-Small, trained from scratch on SIRST v1 (idx_427
# splits) with the data, loss and recipe of
# ../datransnet/datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py: random
# 256x256 windows padded to 256x256, Adam 5e-4, batch 4, 400 epochs, learning
# rate x0.1 at 50% and 75%, SoftIoU loss, best checkpoint chosen on the
# validation split.
_base_ = [
    '../_base_/models/fcn_hr18s.py',
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
model = dict(data_preprocessor=dict(size=crop_size, size_divisor=None))
randomness = dict(seed=42)
