# ACM U-Net (ResNet-20-style encoder, asymmetric contextual modulation),
# trained from scratch on NUDT-SIRST with the data, loss and recipe of
# ../datransnet/datransnet_1xb4-adam-60k_nudt-sirst-256x256.py: whole 256x256
# images, Adam 5e-4, batch 4, 400 epochs, learning rate x0.1 at 50% and 75%,
# SoftIoU loss, best checkpoint chosen on the validation split.
_base_ = [
    '../_base_/models/acm_resnet20.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-80k.py',
]
# 400 epochs of 597 images at batch 4.
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
