# The official DATransNet recipe as iterations: Adam 5e-4 (no weight decay),
# learning rate x0.1 at 50% and 75% of training. 400 epochs of IRSTD-1K
# (800 training images, batch 4) = 80k iterations; leaves with another
# dataset size override max_iters, val_interval and the milestones.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=5e-4, betas=(0.9, 0.999), weight_decay=0))
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=80000,
        milestones=[40000, 60000],
        gamma=0.1)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=80000, val_interval=200)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=200,
        max_keep_ckpts=2,
        save_best='mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
