# DATransNet for one-channel infrared images (img_size 256: NUDT-SIRST;
# set model.neck.img_size=512 for IRSTD-1K).
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
        type='DATransNetBackbone',
        in_channels=1,
        stage_channels=(16, 32, 64, 128, 128),
        norm_cfg=norm_cfg,
        act_cfg=dict(type='LeakyReLU', negative_slope=0.01, inplace=True)),
    neck=dict(
        type='GradFormerNeck',
        in_channels=(16, 32, 64, 128, 128),
        embed_channels=(16, 32, 32, 32),
        dilations=((1, 3), (1, 3), (1, 3), (1, )),
        img_size=256,
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='DATransHead',
        in_channels=(16, 32, 64, 128, 16, 32, 64, 128, 128),
        in_index=(0, 1, 2, 3, 4, 5, 6, 7, 8),
        input_transform='multiple_select',
        channels=16,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='SoftIoULoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
