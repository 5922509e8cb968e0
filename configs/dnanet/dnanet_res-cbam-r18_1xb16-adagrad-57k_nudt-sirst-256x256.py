# DNANet (Res-CBAM blocks, resnet_18 depths, deep supervision) on NUDT-SIRST
# with the official training recipe: Adagrad 0.05 (constant, see the
# schedule), batch 16, 1500 epochs, 256x256 crops with the official
# augmentation, SoftIoU averaged over the four outputs. Trains on the official
# train split minus a carved validation split (597 images), selects the
# best-mIoU checkpoint on that validation split (66), and `tools/test.py`
# reports on the official test split (664), 256x256 images.
_base_ = [
    '../_base_/models/dnanet.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adagrad-constant-57k.py',
]
crop_size = (256, 256)
# The official augmentation, in its order: horizontal flip (p 0.5); rescale
# keeping the aspect ratio, the long side uniform in [128, 512] (0.5 to 2
# times base_size 256; bilinear image, nearest mask); a random 256x256
# window, zero padding at the right and bottom where a side is shorter (the
# padding is background, as in the official loader); Gaussian blur (p 0.5,
# standard deviation uniform in [0, 1)).
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
        scale=crop_size,
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='Pad', size=crop_size, pad_val=dict(img=0, seg=0)),
    dict(type='RandomGaussianBlur', prob=0.5, sigma_range=(0., 1.)),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
