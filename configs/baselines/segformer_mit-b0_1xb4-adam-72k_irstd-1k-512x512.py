# SegFormer (MiT-B0), trained from scratch on IRSTD-1K with the data, loss and
# recipe of ../datransnet/datransnet_1xb4-adam-72k_irstd-1k-512x512.py: whole
# 512x512 images, Adam 5e-4, batch 4, 400 epochs, learning rate x0.1 at 50% and
# 75%, SoftIoU loss, best checkpoint chosen on the validation split.
_base_ = [
    '../_base_/models/segformer_mit-b0.py',
    '../_base_/datasets/irstd-1k.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-72k.py',
]
randomness = dict(seed=42)
