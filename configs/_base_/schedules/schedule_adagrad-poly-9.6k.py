# The official RDIAN recipe (train.py, utils/lr_scheduler.py) on SIRST v1
# idx_427 `train` (256 images): Adagrad, learning rate 0.005, weight decay
# 1e-4, batch 8, 300 epochs = 300 x 32 iterations, poly decay (power 0.9)
# towards 1e-6, validation after every epoch (as the official code), the
# best-mIoU checkpoint kept. The official decay steps once per epoch (after
# epoch e to (1 - e / 301)^0.9 of the range); here it decays every iteration,
# to 1e-6 at the end: within 1% of the official rate for the first half of
# training, 5% at 90%, lower in the last epochs.
iters_per_epoch = 32
max_iters = 300 * iters_per_epoch
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adagrad', lr=0.005, weight_decay=1e-4))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-6,
        power=0.9,
        begin=0,
        end=max_iters,
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=iters_per_epoch)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=10 * iters_per_epoch,
        max_keep_ckpts=2,
        save_best='mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
