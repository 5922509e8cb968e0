# DATransNet on SIRST3 (NUAA-SIRST 50_50 + NUDT-SIRST + IRSTD-1K), the official
# NUDT-SIRST / IRSTD-1K recipe adapted to SIRST3, best checkpoint chosen on a
# validation split: `python tools/train.py configs/datransnet_sirst3.py`. Short
# name of ./datransnet/datransnet_1xb4-adam-151.2k_sirst3-256x256.py; recipes
# and protocols: docs/recipes.md.
_base_ = './datransnet/datransnet_1xb4-adam-151.2k_sirst3-256x256.py'
