# MSHNet on SIRST v1 ("NUAA-SIRST"), official idx_427 splits, with the
# official training recipe (Lliu666/MSHNet main.py): Adagrad, lr 0.05, no
# weight decay, constant learning rate, batch 4, 400 epochs (64 iterations
# per epoch), SLS loss on every output averaged, and a warm-up of 6 epochs
# ("epoch <= warm_epoch 5": 384 iterations, DeepSupervisionWarmupHook) in
# which only the finest output is computed, trained with the plain soft IoU
# and used as prediction; then all four outputs plus their fusion. Trains on
# `train` (256 images), selects the best-mIoU checkpoint on `val` (85; the
# official code selects on the test split), and `tools/test.py` reports on
# `test` (86).
#
# Official augmentation: horizontal flip (p 0.5); rescale so that the long
# side is 128..512 (256 x 0.5..2, aspect kept, bilinear image, nearest mask);
# random 256x256 crop, zero padding (image and mask) at the bottom/right
# where a side is shorter; Gaussian blur with a standard deviation in [0, 1)
# (p 0.5, image only). Validation and test run on whole images at native
# resolution (padded to a multiple of 16), not resized to 256x256 as in the
# official evaluation.
_base_ = [
    '../_base_/models/mshnet.py',
    '../_base_/datasets/nuaa-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adagrad-constant-25.6k.py',
]
crop_size = (256, 256)
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
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
custom_hooks = [
    dict(type='NonFiniteLossHook'),
    dict(type='GracefulInterruptHook'),
    # 6 epochs x 64 iterations
    dict(type='DeepSupervisionWarmupHook', warmup_iters=384),
]
