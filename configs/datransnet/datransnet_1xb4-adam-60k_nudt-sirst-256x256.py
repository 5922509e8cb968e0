# DATransNet on NUDT-SIRST with the official training recipe:
# Adam 5e-4, no weight decay, batch 4, 400 epochs, learning rate x0.1 at
# 50% and 75% of training, SoftIoU loss, seed 42.
# Trains on the official train split minus a carved validation split (597
# images), selects the best-mIoU checkpoint on that validation split (66),
# and `tools/test.py` reports on the official test split (664). Images are
# 256x256: no crop, no padding, no augmentation, as in the official code.
# For the official protocol (model selection on the test split), see
# ./datransnet_1xb4-adam-official-protocol-66.4k_nudt-sirst-256x256.py.
_base_ = [
    '../_base_/models/datransnet.py',
    '../_base_/datasets/nudt-sirst.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adam-multistep-60k.py',
]
model = dict(neck=dict(img_size=256))
randomness = dict(seed=42)
