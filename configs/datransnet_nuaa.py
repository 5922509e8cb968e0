# DATransNet on SIRST v1 ("NUAA-SIRST", idx_427 splits), the official
# NUDT-SIRST / IRSTD-1K recipe adapted to SIRST v1 (the official code has no
# runnable SIRST v1 path), best checkpoint chosen on a validation split:
# `python tools/train.py configs/datransnet_nuaa.py`. Short name of
# ./datransnet/datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py; recipes and
# protocols: docs/recipes.md.
_base_ = './datransnet/datransnet_1xb4-adam-25.6k_nuaa-sirst-256x256.py'
