# SCTransNet (spatial-channel cross transformer network, Yuan et al., IEEE
# TGRS 2024) for one-channel infrared images, as the official code builds
# it for training (deep supervision on): 11,202,995 parameters (the
# official model has 122,944 more that its forward never uses).
#
# Input: one grey channel. The official pipeline reads the grey image on
# the 0..255 scale and normalises it as (v - mean) / std with the
# statistics of the training dataset; here those of SIRST3 (= SIRST v1,
# "NUAA-SIRST" in the official code), the released weights' pair. The leaf
# configs of NUDT-SIRST and IRSTD-1K set their own pairs. Padding holds 0
# after normalisation and label 0 (background), as the official zero
# padding of image and mask after normalisation. Height and width must be
# multiples of 16; whole images are padded to a multiple of 32, as the
# official evaluation does.
#
# Loss: binary cross-entropy (the sigmoid on the logits) on the prediction
# and on each of the five deep-supervision maps, summed. Initialisation:
# Kaiming normal (fan_in) for conv and linear weights, normal(1, 0.02) for
# the batch-norm weights, as the official training.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='IRSTDDataPreProcessor',
    mean=[101.06385040283203],
    std=[34.619606018066406],
    bgr_to_rgb=False,
    pad_val=0,
    seg_pad_val=0,
    size_divisor=32,
    test_cfg=dict(size_divisor=32))
init_cfg = [
    dict(
        type='Kaiming',
        layer=['Conv1d', 'Conv2d', 'Linear'],
        a=0,
        mode='fan_in',
        nonlinearity='leaky_relu',
        distribution='normal'),
    dict(type='Normal', layer='_BatchNorm', mean=1.0, std=0.02, bias=0)
]
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='SCTransNetBackbone',
        in_channels=1,
        stage_channels=(32, 64, 128, 256, 256),
        norm_cfg=norm_cfg,
        act_cfg=dict(type='LeakyReLU', negative_slope=0.01, inplace=True),
        init_cfg=init_cfg),
    neck=dict(
        type='SCTransNeck',
        in_channels=(32, 64, 128, 256, 256),
        patch_sizes=(16, 8, 4, 2),
        num_layers=4,
        ffn_expansion=2.66,
        norm_cfg=norm_cfg,
        init_cfg=init_cfg),
    decode_head=dict(
        type='SCTransHead',
        in_channels=(32, 64, 128, 256, 256),
        in_index=(0, 1, 2, 3, 4),
        input_transform='multiple_select',
        channels=32,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
        init_cfg=init_cfg),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
