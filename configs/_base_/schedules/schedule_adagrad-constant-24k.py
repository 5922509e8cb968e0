# The official DNANet recipe (train.py, model/parse_args_train.py and the
# README's training command) on SIRST v1 idx_427 `train` (256 images):
# Adagrad, learning rate 0.05, no weight decay, batch 16, 1500 epochs =
# 1500 x 16 iterations, validation after every epoch (as the official code),
# the best-mIoU checkpoint kept.
# The learning rate is constant: the official code builds
# CosineAnnealingLR(T_max=epochs, eta_min=1e-5) but steps it only once,
# before the first epoch, so it trains at 0.04999995 throughout; here 0.05.
iters_per_epoch = 16
max_iters = 1500 * iters_per_epoch
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adagrad', lr=0.05, weight_decay=0))
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
