# The official SCTransNet recipe for NUDT-SIRST (597 training images after
# the validation split is carved out):
# Adam 1e-3 (no weight decay), batch 16, 1000 epochs = 1000 x 38
# iterations (ceil(597 / 16) = 38 per epoch). Learning rate: linear
# warm-up from 0 to 1e-3 over 10 epochs, one epoch at 1e-3, then cosine
# annealing to 1e-5 with a period of 990 epochs (the official
# GradualWarmupScheduler + CosineAnnealingLR, stepped per epoch there, per
# iteration here; the warm-up starts at 1e-6 instead of 0). Validation
# after every epoch from epoch 500 (as the official training), the best
# mIoU checkpoint kept, and a checkpoint every 50 epochs.
iters_per_epoch = 38
max_iters = 1000 * iters_per_epoch
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999), weight_decay=0))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=10 * iters_per_epoch),
    dict(
        type='CosineAnnealingLR',
        T_max=990 * iters_per_epoch,
        eta_min=1e-5,
        by_epoch=False,
        begin=11 * iters_per_epoch,
        end=max_iters)
]
train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_begin=500 * iters_per_epoch,
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
