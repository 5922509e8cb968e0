# UIU-Net (Wu et al., IEEE TIP 2023), the official UIUNET(3, 1): RSU encoder,
# interactive-cross attention fusion decoder, six side outputs and their
# fusion; sigmoid cross-entropy on each of the seven outputs, summed with
# equal weights (the official training loss); the fused output is the
# prediction.
#
# Input: the official pipeline copies a grey image into three channels and
# normalises each with the red-channel ImageNet statistics,
# (v - 0.485) / 0.229 with v in [0, 1]; on the 0..255 scale of the plugin
# that is mean 123.675 and std 58.395 on all three channels. (The official
# code first divides each image by its own maximum; the plugin assumes a
# maximum of 255, see configs/uiunet/README.md.) The network takes any
# height and width: training batches are only stacked (size_divisor=1, no
# padding for equal sizes; padded pixels would be ignored by the loss), and
# whole images are not padded at test time.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='IRSTDDataPreProcessor',
    repeat_channels=3,
    mean=[123.675, 123.675, 123.675],
    std=[58.395, 58.395, 58.395],
    bgr_to_rgb=False,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=1)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(
        type='UIUNetBackbone',
        in_channels=3,
        stage_channels=(64, 128, 256, 512, 512, 512),
        mid_channels=(32, 32, 64, 128, 256, 256),
        depths=(7, 6, 5, 4, 4, 4),
        dilated=(False, False, False, False, True, True),
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='UIUNetHead',
        in_channels=(64, 128, 256, 512, 512, 512),
        in_index=(0, 1, 2, 3, 4, 5),
        decoder_channels=(64, 64, 128, 256, 512),
        decoder_mid_channels=(16, 32, 64, 128, 256),
        decoder_depths=(7, 6, 5, 4, 4),
        decoder_dilated=(False, False, False, False, True),
        reduction=4,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss',
            use_sigmoid=True,
            avg_non_ignore=True,
            loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
