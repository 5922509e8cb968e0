# ACM U-Net (ResNet-20-style encoder, asymmetric contextual modulation),
# trained from scratch on NUDT-SIRST with the data, loss and recipe of
# ../datransnet/datransnet_1xb4-adam-60k_nudt-sirst-256x256.py: whole 256x256
# images, Adam 5e-4, batch 4, 400 epochs, learning rate x0.1 at 50% and 75%,
# SoftIoU loss, best checkpoint chosen on the validation split.
_base_ = [
    '../_base_/models/acm_resnet20.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-60k.py',
]
randomness = dict(seed=42)
