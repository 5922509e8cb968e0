# Runtime settings shared by every config of this project.
default_scope = 'mmseg'
custom_imports = dict(imports=['datransnet_mmseg'], allow_failed_imports=False)
env_cfg = dict(
    # Off: validation and testing run at native, varying image sizes, and
    # the benchmark mode times every conv algorithm again for each new size
    # (a slow first pass and extra workspace memory per size, possibly a
    # non-deterministic algorithm); training crops alone would gain little.
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # NCCL with CUDA; datransnet_mmseg switches to gloo when CUDA is absent.
    dist_cfg=dict(backend='nccl'),
)
# Panels (image | ground truth | prediction, targets matched) go to every
# backend: add dict(type='TensorboardVisBackend') or
# dict(type='WandbVisBackend') to vis_backends for those.
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='IRSTDLocalVisualizer', vis_backends=vis_backends, name='visualizer')
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
# Stop at the first NaN/inf loss; Ctrl-C saves a checkpoint to resume from.
custom_hooks = [
    dict(type='NonFiniteLossHook'),
    dict(type='GracefulInterruptHook'),
]
