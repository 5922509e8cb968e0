# The official DATransNet recipe for SIRST v1 (idx_427 `train`, 256 images):
# 400 epochs at batch 4 = 400 x 64 iterations, learning rate x0.1 at 50%
# and 75% of training, validation after every epoch (the official code
# evaluates every epoch), a checkpoint every 10 epochs.
_base_ = ['./schedule_adam-multistep-80k.py']
iters_per_epoch = 64
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
