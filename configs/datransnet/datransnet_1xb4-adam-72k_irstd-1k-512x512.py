# DATransNet on IRSTD-1K with the official training recipe:
# Adam 5e-4, no weight decay, batch 4, 400 epochs, learning rate x0.1 at
# 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on the official train split minus a carved validation split (720
# images), selects the best-mIoU checkpoint on that validation split (80),
# and `tools/test.py` reports on the official test split (201). Images are
# 512x512, trained whole: no crop, no padding, no augmentation, as in the
# official code; attention temperature img_size 512.
# For the official protocol (model selection on the test split), see
# ./datransnet_1xb4-adam-official-protocol-80k_irstd-1k-512x512.py.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/irstd-1k.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-80k.py',
]
model = dict(neck=dict(img_size=512))
# 400 epochs of 720 images at batch 4 = 400 x 180 iterations; validation
# after every epoch (the official code evaluates every epoch).
iters_per_epoch = 180
max_iters = 400 * iters_per_epoch
train_cfg = dict(max_iters=max_iters, val_interval=iters_per_epoch)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[max_iters // 2, max_iters * 3 // 4],
        gamma=0.1)
]
default_hooks = dict(checkpoint=dict(interval=10 * iters_per_epoch))
randomness = dict(seed=42)
