# The official DATransNet recipe for IRSTD-1K (720 training images after the validation split is carved out):
# 400 epochs at batch 4 = 400 x 180 iterations, learning rate x0.1 at 50%
# and 75% of training, validation after every epoch (the official code
# evaluates every epoch), a checkpoint every 10 epochs.
_base_ = ['./schedule_adam-multistep-80k.py']
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
