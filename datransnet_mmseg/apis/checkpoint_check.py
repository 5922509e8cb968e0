"""Refuse to evaluate a checkpoint that does not fit the model."""
from typing import Optional, Union

import torch.nn as nn

from datransnet_mmseg.compat import safe_torch_load

_SHOWN = 5


def check_checkpoint_matches(model: nn.Module,
                             checkpoint: Union[str, dict],
                             source: Optional[str] = None) -> None:
    """Raise if ``checkpoint`` does not hold exactly the model's weights.

    mmengine loads ``load_from`` non-strictly: a checkpoint of another
    architecture only logs a warning and the test then scores random
    weights. Testing and inference call this first.

    Args:
        model (nn.Module): The model (a DDP wrapper is unwrapped).
        checkpoint (str | dict): Checkpoint path, or the loaded checkpoint
            (then it is not read again).
        source (str, optional): Where the loaded checkpoint came from, for
            the messages. Defaults to the path.

    Raises:
        ValueError: Listing missing, unexpected and mis-shaped keys.
    """
    model = getattr(model, 'module', model)
    if isinstance(checkpoint, dict):
        loaded = checkpoint
    else:
        source = source or checkpoint
        loaded = safe_torch_load(checkpoint, map_location='cpu')
    state = loaded.get('state_dict', loaded) if isinstance(loaded,
                                                           dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'Checkpoint {source} holds no state dict.')
    state = {
        key[len('module.'):] if key.startswith('module.') else key: value
        for key, value in state.items()
    }
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    mis_shaped = [
        f'{key} {tuple(state[key].shape)} != {tuple(expected[key].shape)}'
        for key in sorted(set(state) & set(expected))
        if hasattr(state[key], 'shape')
        and state[key].shape != expected[key].shape
    ]
    problems = [
        f'{len(keys)} {what} (e.g. {", ".join(keys[:_SHOWN])})'
        for what, keys in (('missing keys', missing), ('unexpected keys',
                                                       unexpected),
                           ('shape mismatches', mis_shaped)) if keys
    ]
    if problems:
        raise ValueError(
            f'Checkpoint {source} does not fit the model of the config: '
            + '; '.join(problems) + '. Is it a checkpoint of another '
            'architecture or config? Official checkpoints must first be '
            'converted with tools/model_converters/datransnet2mmseg.py '
            '(DATransNet) or official2mmseg.py (the other networks).')
