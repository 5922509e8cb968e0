# DATransNet on NUDT-SIRST, official training recipe, best checkpoint chosen on
# a validation split: `python tools/train.py configs/datransnet_nudt.py`. Short
# name of ./datransnet/datransnet_1xb4-adam-60k_nudt-sirst-256x256.py; recipes
# and protocols: docs/recipes.md.
_base_ = './datransnet/datransnet_1xb4-adam-60k_nudt-sirst-256x256.py'
