# MSHNet (Liu et al., CVPR 2024) as its official training builds it:
# MSHNet(3), widths (16, 32, 64, 128, 256), residual blocks with channel and
# spatial attention, multi-scale logits fused by a 3x3 convolution, SLS loss
# on every output. Input convention of the official code: the grey image is
# read as RGB (three equal channels), scaled to [0, 1] and normalised with
# ImageNet's mean and std; here the one loaded channel (0..255) is repeated
# three times and normalised with the same statistics on the 0..255 scale.
# H and W must be multiples of 16: whole-image inference pads to a multiple
# of 16 (pad value 0 after normalisation, i.e. the mean grey).
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='IRSTDDataPreProcessor',
    repeat_channels=3,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=False,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=16,
    test_cfg=dict(size_divisor=16))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='MSHNetBackbone',
        in_channels=3,
        stem_channels=16,
        stage_channels=(16, 32, 64, 128, 256),
        num_blocks=(1, 2, 2, 2, 2),
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='MSHNetHead',
        in_channels=(16, 32, 64, 128, 256),
        in_index=(0, 1, 2, 3, 4),
        num_blocks=(1, 2, 2, 2),
        # True: all outputs and their fusion (MSHNet's test mode); training
        # configs switch it off for the warm-up with DeepSupervisionWarmupHook
        warm_flag=True,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        align_corners=True,
        # the official loss: SLS on each output, averaged
        loss_decode=dict(type='SLSIoULoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
# During the warm-up the side convolutions and the fusion are not used
# (distributed training must allow unused parameters).
find_unused_parameters = True
