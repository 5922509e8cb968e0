# RDIAN (receptive-field and direction induced attention network, Sun et
# al., IEEE TGRS 2023) for one-channel infrared images, as the official code
# builds it: 216,558 trained parameters and the eight fixed direction
# kernels (a buffer).
#
# Input: one grey channel. The official pipeline reads the 8-bit grey image,
# scales it to [0, 1] and normalises with mean -0.1246 and std 1.0923, i.e.
# (v / 255 + 0.1246) / 1.0923 for v on the 0..255 scale: here mean
# -0.1246 * 255 and std 1.0923 * 255 on the 0..255 scale. Padding (training
# batches padded to the crop size) holds what a raw 0 becomes after that
# normalisation, and label 0 (background), as the official zero padding of
# image and mask. Any input size works: no size divisor (1), and whole
# images are not padded at test time.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='IRSTDDataPreProcessor',
    mean=[-0.1246 * 255],
    std=[1.0923 * 255],
    bgr_to_rgb=False,
    pad_val=0.1246 / 1.0923,
    seg_pad_val=0,
    size_divisor=1)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='RDIANBackbone',
        stem_channels=16,
        channels=32,
        branch_kernel_sizes=(1, 3, 5, 7),
        branch_num_blocks=(1, 2, 2, 2),
        cbam_reduction=32,
        norm_cfg=norm_cfg,
        act_cfg=dict(type='LeakyReLU', negative_slope=0.01)),
    decode_head=dict(
        type='RDIANHead',
        in_channels=(16, 32),
        in_index=(0, 1),
        channels=8,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.1,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='SoftIoULoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
