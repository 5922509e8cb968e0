# DATransNet on IRSTD-1K with the official training recipe:
# Adam 5e-4, no weight decay, batch 4, 400 epochs, learning rate x0.1 at
# 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on the official train split minus a carved validation split (720
# images), selects the best-mIoU checkpoint on that validation split (80),
# and `tools/test.py` reports on the official test split (201). Images are
# 512x512, trained whole: no crop, no padding, no augmentation, as in the
# official code; attention temperature img_size 512.
# For the official protocol (model selection on the test split), see
# ./datransnet_1xb4-adam-official-protocol-80k_irstd-1k-512x512.py.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/irstd-1k.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-72k.py',
]
model = dict(neck=dict(img_size=512))
randomness = dict(seed=42)
