# PSPNet with a ResNetV1c-18 (output stride 8; mmseg's base with the channel
# widths of its R-18 configs), changed for one-channel binary IRSTD trained
# from scratch: DATransNet's data preprocessor (x / 255, padding to 32), BN,
# no pretrained weights, one logit channel with SoftIoULoss, no dropout, no
# auxiliary head.
_base_ = 'mmseg::_base_/models/pspnet_r50-d8.py'
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
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(depth=18, in_channels=1, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512,
        channels=128,
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        loss_decode=dict(
            _delete_=True, type='SoftIoULoss', loss_weight=1.0)),
    auxiliary_head=None)
