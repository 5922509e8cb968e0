# HRNetV2-W18-Small + FCN head (mmseg's HRNet-W18 base with the block counts
# of its W18-Small configs), changed for one-channel binary IRSTD trained
# from scratch: DATransNet's data preprocessor (x / 255, padding to 32), BN,
# no pretrained weights, one logit channel with SoftIoULoss.
_base_ = 'mmseg::_base_/models/fcn_hr18.py'
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
    backbone=dict(
        in_channels=1,
        norm_cfg=norm_cfg,
        extra=dict(
            stage1=dict(num_blocks=(2, )),
            stage2=dict(num_blocks=(2, 2)),
            stage3=dict(num_modules=3, num_blocks=(2, 2, 2)),
            stage4=dict(num_modules=2, num_blocks=(2, 2, 2, 2)))),
    decode_head=dict(
        num_classes=2,
        out_channels=1,
        threshold=0.5,
        norm_cfg=norm_cfg,
        loss_decode=dict(
            _delete_=True, type='SoftIoULoss', loss_weight=1.0)))
