# ALCNet (BasicIRSTD's PyTorch port, ASKCResNetFPN) on NUDT-SIRST (BasicIRSTD
# layout), with BasicIRSTD's recipe: Adam 5e-4, no weight decay, batch 16, 400
# epochs, learning rate x0.1 at 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on the official train split minus the carved validation split (597
# images), selects the best-mIoU checkpoint on it (66), and `tools/test.py`
# reports on the official test split (664). The input is normalised with
# NUDT-SIRST's statistics, as BasicIRSTD does when it trains on NUDT-SIRST.
#
# Training windows as BasicIRSTD's loader draws them: 256x256, around a random
# target pixel with probability 0.5, anywhere otherwise (or when the image has
# no target); a side shorter than 256 is kept whole and padded at the
# bottom/right by the data preprocessor (0 after normalisation, mask
# background). The official flips (vertical, horizontal, transpose, each with
# probability 0.5) draw each of the 8 symmetries of the square with probability
# 1/8; a horizontal flip with probability 0.5 followed by a rotation by 0, 90,
# 180 or 270 degrees, equally likely, gives the same distribution. Evaluation
# uses whole images padded to a multiple of 32.
_base_ = [
    '../_base_/models/alcnet.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-15.2k.py',
]
crop_size = (256, 256)
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='unchanged',
        imdecode_backend='cv2'),
    dict(type='IRImageToGrey'),
    dict(type='LoadBinaryAnnotations'),
    dict(type='RandomTargetCrop', crop_size=crop_size, target_prob=0.5),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomRotate90', prob=0.75),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
model = dict(
    data_preprocessor=dict(
        mean=[107.80905151367188],
        std=[33.02274703979492],
        size=crop_size,
        size_divisor=None))
randomness = dict(seed=42)
