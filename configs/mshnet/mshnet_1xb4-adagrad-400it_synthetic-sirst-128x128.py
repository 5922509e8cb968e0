# Learning check: MSHNet trained from scratch on the generated synthetic
# SIRST data (128x128 images, 240 training images = 60 iterations per epoch)
# for a few minutes on a CPU, with the official optimizer (Adagrad 0.05,
# constant) and loss (SLS), no augmentation. The warm-up (only the finest
# output, plain soft IoU) is shortened to 100 iterations so that both phases
# are seen in 400 iterations.
_base_ = [
    '../_base_/models/mshnet.py',
    '../_base_/datasets/synthetic-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adagrad-constant-25.6k.py',
]
max_iters = 400
train_cfg = dict(max_iters=max_iters, val_interval=100)
param_scheduler = [
    dict(
        type='ConstantLR',
        factor=1.0,
        by_epoch=False,
        begin=0,
        end=max_iters)
]
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=100))
custom_hooks = [
    dict(type='NonFiniteLossHook'),
    dict(type='GracefulInterruptHook'),
    dict(type='DeepSupervisionWarmupHook', warmup_iters=100),
]
randomness = dict(seed=42)
