# ACM U-Net (asymmetric contextual modulation, Dai et al., WACV 2021) with
# its ResNet-20-style encoder, for one-channel binary IRSTD: DATransNet's
# data preprocessor (x / 255, padding to 32), BN, one logit channel with
# SoftIoULoss. Written from the paper's description.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[0.],
    std=[255.],
    bgr_to_rgb=False,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=32,
    test_cfg=dict(size_divisor=32))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ACMResNet',
        in_channels=1,
        stem_channels=16,
        stem_stride=2,
        stage_channels=(16, 32, 64),
        num_blocks=(3, 3, 3),
        strides=(1, 2, 2),
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='ACMHead',
        in_channels=(16, 32, 64),
        in_index=(0, 1, 2),
        channels=16,
        num_blocks=3,
        reduction=4,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='SoftIoULoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
