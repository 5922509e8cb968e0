# UNet-S5-D16 + FCN head (mmseg's base), changed for one-channel binary IRSTD
# trained from scratch: DATransNet's data preprocessor (x / 255, padding to
# 32), BN, one logit channel with SoftIoULoss, no dropout, no auxiliary head,
# whole-image inference.
_base_ = 'mmseg::_base_/models/fcn_unet_s5-d16.py'
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
    backbone=dict(in_channels=1, norm_cfg=norm_cfg),
    decode_head=dict(
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        dropout_ratio=0.,
        norm_cfg=norm_cfg,
        loss_decode=dict(
            _delete_=True, type='SoftIoULoss', loss_weight=1.0)),
    auxiliary_head=None,
    test_cfg=dict(_delete_=True, mode='whole'))
