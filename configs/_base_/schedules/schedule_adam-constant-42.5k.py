# The official UIU-Net recipe (train.py) on SIRST v1 idx_427 `train`
# (256 images):
# Adam, learning rate 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay,
# no learning-rate schedule, batch 3 with the last incomplete batch dropped,
# 500 epochs = 500 x 85 iterations. The official code does not validate;
# here the validation split is evaluated after every epoch and the
# best-mIoU checkpoint is kept.
iters_per_epoch = 85
max_iters = 500 * iters_per_epoch
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='Adam', lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0))
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
        interval=50 * iters_per_epoch,
        max_keep_ckpts=2,
        save_best='mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
