# DATransNet on IRSTD-1K, official training recipe, best checkpoint chosen on a
# validation split: `python tools/train.py configs/datransnet_irstd1k.py`.
# Short name of ./datransnet/datransnet_1xb4-adam-72k_irstd-1k-512x512.py;
# recipes and protocols: docs/recipes.md.
_base_ = './datransnet/datransnet_1xb4-adam-72k_irstd-1k-512x512.py'
