"""The input a segmentor's tensor forward takes."""
from mmengine.config import ConfigDict


def input_channels(model_cfg: ConfigDict) -> int:
    """Channels of the batches that the model's data preprocessor hands to
    its forward: one per value of the preprocessor's ``mean`` (the plugin's
    grey image, repeated where ``repeat_channels`` asks for it), else the
    backbone's ``in_channels`` (3 when unset, as in mmseg)."""
    preprocessor = model_cfg.get('data_preprocessor') or {}
    if preprocessor.get('mean') is not None:
        return len(preprocessor['mean'])
    return model_cfg.backbone.get('in_channels', 3)
