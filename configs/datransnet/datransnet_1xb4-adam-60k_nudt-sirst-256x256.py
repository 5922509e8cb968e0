# DATransNet on NUDT-SIRST with the official training recipe:
# Adam 5e-4, no weight decay, batch 4, 400 epochs, learning rate x0.1 at
# 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on the official train split minus a carved validation split (597
# images), selects the best-mIoU checkpoint on that validation split (66),
# and `tools/test.py` reports on the official test split (664). Images are
# 256x256: no crop, no padding, no augmentation, as in the official code.
# For the official protocol (model selection on the test split), see
# ./datransnet_1xb4-adam-official-protocol-66.4k_nudt-sirst-256x256.py.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-80k.py',
]
model = dict(neck=dict(img_size=256))
# 400 epochs of 597 images at batch 4 = 400 x 150 iterations; validation
# after every epoch (the official code evaluates every epoch).
iters_per_epoch = 150
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
