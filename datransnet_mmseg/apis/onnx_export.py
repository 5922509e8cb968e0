"""Export a segmentor's network to ONNX and check it with onnxruntime.

Needs the optional packages ``onnx``, ``onnxscript`` (used by PyTorch's
exporter) and ``onnxruntime``: ``pip install -e ".[onnx]"``.
"""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmseg.models import BaseSegmentor

from ..models.layers import DATrans

SIZE_DIVISOR = 32


class ProbabilityNet(nn.Module):
    """Backbone, neck and decode head of a segmentor, then a sigmoid.

    Input: ``(1, C, H, W)`` float32, normalised as the model's data
    preprocessor does (for the DATransNet configs: pixel values in the
    0..255 scale divided by 255), ``H`` and ``W`` multiples of 32. Output:
    ``(1, 1, H, W)`` target probabilities.

    Args:
        segmentor (BaseSegmentor): A segmentor with a one-channel head.
    """

    def __init__(self, segmentor: BaseSegmentor) -> None:
        super().__init__()
        if segmentor.decode_head.out_channels != 1:
            raise ValueError(
                'Only one-channel (sigmoid) heads are exported, got '
                f'out_channels={segmentor.decode_head.out_channels}.')
        self.segmentor = segmentor

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        logits = self.segmentor(image, mode='tensor')
        return logits.sigmoid()


def _require(module: str):
    try:
        return __import__(module)
    except ImportError as error:
        raise ImportError(
            f'ONNX export needs the "{module}" package: pip install -e '
            '".[onnx]" (onnx, onnxscript, onnxruntime).') from error


def export_onnx(segmentor: BaseSegmentor,
                path: str,
                shape: Tuple[int, int],
                dynamic: bool = True,
                opset: Optional[int] = None) -> ProbabilityNet:
    """Export the network of a segmentor to an ONNX file.

    The export runs on CPU with each :class:`DATrans` computing its keys in
    one pass (``chunk_size=None``; the chunked CPU loop would fix the input
    height). The file's metadata records the preprocessing (``mean``,
    ``std``), ``size_divisor``, the decode head's ``threshold`` and the
    output (``sigmoid probabilities``).

    Args:
        segmentor (BaseSegmentor): The model; moved to CPU, eval mode.
        path (str): Output ``.onnx`` file.
        shape (tuple[int, int]): (H, W) of the example input, multiples of
            32. With ``dynamic=False``, the only size the file accepts.
        dynamic (bool): Export H and W as dynamic axes (any multiple of 32
            from 64 to 8192). The batch size is 1. Defaults to True.
        opset (int, optional): ONNX opset; None takes the exporter's
            default. Defaults to None.

    Returns:
        ProbabilityNet: The exported module (for comparisons).
    """
    for module in ('onnx', 'onnxscript'):
        _require(module)
    import onnx
    height, width = shape
    if height % SIZE_DIVISOR or width % SIZE_DIVISOR:
        raise ValueError(f'Export shape {height}x{width} must be multiples '
                         f'of {SIZE_DIVISOR}.')
    segmentor = segmentor.cpu().eval()
    for module in segmentor.modules():
        if isinstance(module, DATrans):
            module.chunk_size = None
    net = ProbabilityNet(segmentor).eval()
    example = torch.zeros(1, segmentor.backbone.in_channels, height, width)
    dynamic_shapes = None
    if dynamic:
        blocks = dict(min=2, max=8192 // SIZE_DIVISOR)
        dynamic_shapes = {
            'image': {
                2: SIZE_DIVISOR * torch.export.Dim('h_blocks', **blocks),
                3: SIZE_DIVISOR * torch.export.Dim('w_blocks', **blocks)
            }
        }
    with torch.no_grad():
        torch.onnx.export(
            net, (example, ),
            path,
            input_names=['image'],
            output_names=['prob'],
            dynamic_shapes=dynamic_shapes,
            opset_version=opset,
            dynamo=True,
            verbose=False)
    model = onnx.load(path)
    preprocessor = segmentor.data_preprocessor
    meta = dict(
        mean=preprocessor.mean.flatten().tolist(),
        std=preprocessor.std.flatten().tolist(),
        size_divisor=SIZE_DIVISOR,
        threshold=segmentor.decode_head.threshold,
        output='sigmoid probabilities',
        dynamic_hw=dynamic)
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.save(model, path)
    return net


def onnx_input(segmentor: BaseSegmentor, img: np.ndarray) -> np.ndarray:
    """Preprocess one grey image as the ONNX file expects it.

    Normalises with the data preprocessor's mean and std and pads with
    zeros at the bottom and right to multiples of 32, as mmseg does.

    Args:
        segmentor (BaseSegmentor): The model.
        img (np.ndarray): H x W image in the 0..255 scale.

    Returns:
        np.ndarray: (1, 1, H', W') float32 input.
    """
    preprocessor = segmentor.data_preprocessor
    mean = float(preprocessor.mean.flatten()[0])
    std = float(preprocessor.std.flatten()[0])
    height, width = img.shape
    padded = np.zeros(
        (1, 1, -(-height // SIZE_DIVISOR) * SIZE_DIVISOR,
         -(-width // SIZE_DIVISOR) * SIZE_DIVISOR), np.float32)
    padded[0, 0, :height, :width] = (img - mean) / std
    return padded


def onnx_max_abs_diff(net: ProbabilityNet, path: str,
                      inputs: Sequence[np.ndarray]) -> float:
    """Largest |ONNX - PyTorch| probability over some inputs.

    Args:
        net (ProbabilityNet): The exported module.
        path (str): The ONNX file.
        inputs (Sequence[np.ndarray]): (1, C, H, W) float32 inputs.

    Returns:
        float: The largest absolute difference.
    """
    ort = _require('onnxruntime')
    session = ort.InferenceSession(
        path, providers=['CPUExecutionProvider'])
    worst = 0.
    for array in inputs:
        (onnx_prob, ) = session.run(['prob'], {'image': array})
        with torch.no_grad():
            torch_prob = net(torch.from_numpy(array)).numpy()
        worst = max(worst, float(np.abs(onnx_prob - torch_prob).max()))
    return worst
