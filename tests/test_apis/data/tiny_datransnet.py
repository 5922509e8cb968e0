# The demo DATransNet with few channels and img_size 64: the same code paths
# at a fraction of the cost, for tests with random weights.
_base_ = ('../../../configs/datransnet/'
          'datransnet_1xb4-adam-600it_synthetic-sirst-128x128.py')
model = dict(
    backbone=dict(stage_channels=(4, 8, 8, 8, 8)),
    neck=dict(
        in_channels=(4, 8, 8, 8, 8), embed_channels=(4, 4, 4, 4),
        img_size=64),
    decode_head=dict(in_channels=(4, 8, 8, 8, 4, 8, 8, 8, 8), channels=4))
