# DATransNet on SIRST v1 ("NUAA-SIRST", 50_50 split), the official NUDT-SIRST /
# IRSTD-1K recipe adapted to SIRST v1, best checkpoint chosen on a validation
# split: `python tools/train.py configs/datransnet_nuaa_50_50.py`. Short name
# of ./datransnet/datransnet_1xb4-adam-19.2k_nuaa-sirst-50-50-256x256.py;
# recipes and protocols: docs/recipes.md.
_base_ = './datransnet/datransnet_1xb4-adam-19.2k_nuaa-sirst-50-50-256x256.py'
