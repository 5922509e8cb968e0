# ALCNet (Dai et al., TGRS 2021) as computed by BasicIRSTD's PyTorch port,
# the network BasicIRSTD trains as "ALCNet" (ASKCResNetFPN, which has no
# local-contrast operation): one grey input channel, one logit channel,
# SoftIoU loss (on sigmoid probabilities, batch-global, as the port's
# training), PyTorch's default initialization. The port also builds two
# stacks of residual blocks (uplayer1, uplayer2) that its forward never
# uses; they are left out here (the converter drops their weights).
#
# Input normalisation as BasicIRSTD's loaders: (x - mean) / std on the
# 0..255 scale with the statistics of the training dataset (utils.py,
# get_img_norm_cfg); these are NUAA-SIRST's (SIRST v1), the leaf configs of
# other datasets set theirs. The stem then normalises again with its own
# batch norm. Padding (crops smaller than the window, whole images to a
# multiple of 32 as BasicIRSTD's test loader) is 0 after normalisation and
# background (label 0) in the mask, as in the official loaders.
#
# The port builds the batch norms of the stem, the shortcuts, the fusions
# and the head with momentum 0.9 (MXNet's value, which PyTorch reads as the
# weight of the new batch), those inside the residual blocks with 0.1:
# norm_cfg and block_norm_cfg keep both.
norm_cfg = dict(type='BN', momentum=0.9, requires_grad=True)
data_preprocessor = dict(
    type='IRSTDDataPreProcessor',
    mean=[101.06385040283203],
    std=[34.619606018066406],
    bgr_to_rgb=False,
    pad_val=0,
    seg_pad_val=0,
    size_divisor=32,
    test_cfg=dict(size_divisor=32))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='ASKCResNet',
        in_channels=1,
        stem_channels=8,
        stage_channels=(16, 32, 64),
        num_blocks=(4, 4, 4),
        strides=(1, 2, 2),
        norm_cfg=norm_cfg,
        block_norm_cfg=dict(type='BN', requires_grad=True)),
    decode_head=dict(
        type='ALCNetHead',
        in_channels=(16, 32, 64),
        in_index=(0, 1, 2),
        input_transform='multiple_select',
        deconv_channels=8,
        channels=2,
        reduction=4,
        upsample_factor=2,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.1,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='SoftIoULoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
