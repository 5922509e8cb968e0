# DATransNet on SIRST-v2 (*_full splits), the official NUDT-SIRST / IRSTD-1K
# recipe adapted to SIRST-v2, best checkpoint chosen on a validation split:
# `python tools/train.py configs/datransnet_sirst_v2.py`. Short name of
# ./datransnet/datransnet_1xb4-adam-51.2k_sirst-v2-512x512.py; recipes and
# protocols: docs/recipes.md.
_base_ = './datransnet/datransnet_1xb4-adam-51.2k_sirst-v2-512x512.py'
