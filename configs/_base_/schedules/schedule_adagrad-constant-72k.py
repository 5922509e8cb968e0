# The official MSHNet recipe (Adagrad, lr 0.05, no weight decay, no
# learning-rate schedule, 400 epochs at batch 4) for IRSTD-1K (720
# training images after the validation split is carved out): 400 x 180
# iterations, validation after every epoch (as the official code), a
# checkpoint every 10 epochs.
iters_per_epoch = 180
max_iters = 400 * iters_per_epoch
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adagrad', lr=0.05, weight_decay=0))
# a constant learning rate (factor 1 over the whole run)
param_scheduler = [
    dict(
        type='ConstantLR',
        factor=1.0,
        by_epoch=False,
        begin=0,
        end=max_iters)
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
