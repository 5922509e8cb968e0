"""DATrans: the Dynamic Attention Transformer of DATransNet."""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor

from mmseg.utils import ConfigType, OptMultiConfig
from .device_paths import takes_cpu_paths
from .memory_format import cpu_memory_format

NUM_NEIGHBOURS = 8


def difference_kernel(weight: Tensor) -> Tensor:
    """Turn 1x1 weights over neighbour differences into 3x3 kernels.

    A 1x1 projection of the eight central differences
    ``x[p + d * o_j] - x[p]`` (neighbours ``o_j`` in the order top-left,
    top, top-right, left, right, bottom-left, bottom, bottom-right) equals a
    3x3 convolution with dilation ``d`` of the reflect-padded input whose
    outer taps are the per-neighbour weights and whose centre tap is minus
    their sum.

    Args:
        weight (Tensor): Weights of shape ``(..., out, 8 * C)``, input
            channel ``j * C + c`` for neighbour ``j`` and channel ``c``.

    Returns:
        Tensor: Kernels of shape ``(..., out, C, 3, 3)``.
    """
    *lead, channels = weight.shape
    weight = weight.reshape(*lead, NUM_NEIGHBOURS, channels // NUM_NEIGHBOURS)
    centre = -weight.sum(dim=-2, keepdim=True)
    taps = torch.cat([weight[..., :4, :], centre, weight[..., 4:, :]], -2)
    # contiguous: a channels-last-strided weight would switch the output of
    # oneDNN's conv to channels-last as well
    return taps.transpose(-2, -1).reshape(*lead, -1, 3, 3).contiguous()


class DATrans(BaseModule):
    """Dynamic Attention Transformer (DATrans) on one feature level.

    Per dilation ``d`` (one attention head each), the query is a 1x1
    projection of the input and the keys/values are 1x1 projections of the
    eight reflect-padded central differences at distance ``d``. Attention is
    transposed (channel-to-channel): the scores are cosine similarities of
    whole query and key maps, divided by ``attn_size``, instance-normed over
    each head's score matrix and soft-maxed over the keys. The output is
    ``act(norm(conv1x1(A @ V)))``; there is no residual.

    Implementation (the same function, computed differently):

    - each difference projection is one reflect-padded dilated 3x3 conv
      (:func:`difference_kernel`), so the ``8C``-channel difference tensor
      is never built;
    - only ``Q K^T`` and the key norms are kept of the key maps; for
      inference on CPU they are computed a few rows at a time
      (``chunk_size``) so that each chunk is reduced while in cache;
    - ``conv1x1(A @ V)`` is computed as a per-sample dynamic conv of the
      input with kernels ``W_out A W_v`` (``W_out`` folded in when that does
      not widen the kernels), so the value maps are never built either.

    The original code groups heads with a ``view`` that interleaves the
    channels of all dilations; the query rows are stored in that order
    (:func:`~datransnet_mmseg.models.utils.convert_official_state_dict`),
    and head ``a`` takes rows ``a * M ... (a + 1) * M - 1``
    (``M = 8 hid / len(dilations)``) of every dilation's key/value
    projection: the same set of keys as the original grouping.

    Args:
        in_channels (int): Number of input channels ``C``.
        out_channels (int): Number of output channels.
        embed_channels (int): Total number of query channels ``T`` over all
            heads (``hid = T / len(dilations)`` per head). With ``n``
            dilations it must be a multiple of ``n * n / gcd(8, n)``: of 2
            for two dilations, 9 for three, 4 for four.
        attn_size (int): Side length whose inverse scales the attention
            scores, i.e. ``img_size // stride`` of the training images. It is
            a constant of the model, not the runtime feature size.
        dilations (Sequence[int]): Neighbour distances, one head each.
            Defaults to (1, 3).
        chunk_size (int, optional): On CPU and without autograd, about how
            many key values (batch x rows x width x channels) are computed
            at a time; None computes them at once. Defaults to 2**19.
        norm_cfg (dict): Config of the output norm layer.
            Defaults to ``dict(type='BN')``.
        act_cfg (dict): Config of the output activation.
            Defaults to ``dict(type='ReLU', inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None (PyTorch's default initialization).

    Notice:
        Every side of the input must be larger than the largest dilation
        (reflection padding).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 embed_channels: int,
                 attn_size: int,
                 dilations: Sequence[int] = (1, 3),
                 chunk_size: Optional[int] = 2**19,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU', inplace=True),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        for name, value in (('in_channels', in_channels),
                            ('out_channels', out_channels),
                            ('embed_channels', embed_channels),
                            ('attn_size', attn_size)):
            if not _is_positive_int(value):
                raise ValueError(
                    f'{name} must be a positive int, got {value!r}')
        if isinstance(dilations, (str, bytes)) or \
                not isinstance(dilations, Sequence) or not dilations or \
                not all(_is_positive_int(d) for d in dilations):
            raise ValueError(
                'dilations must be a non-empty sequence of positive ints '
                f'(one attention head each), got {dilations!r}')
        if chunk_size is not None and not _is_positive_int(chunk_size):
            raise ValueError('chunk_size must be a positive int or None, '
                             f'got {chunk_size!r}')
        num_heads = len(dilations)
        head_channels = embed_channels // num_heads
        # Each head takes 8 * head_channels / num_heads keys of every
        # dilation: both divisions must be exact.
        multiple = num_heads * num_heads // math.gcd(NUM_NEIGHBOURS,
                                                     num_heads)
        if embed_channels % multiple:
            lower = max(embed_channels // multiple, 1) * multiple
            raise ValueError(
                f'embed_channels must be a multiple of {multiple} with '
                f'{num_heads} dilations (a multiple of the number of '
                'dilations whose per-head share, times 8 neighbours, '
                f'splits over the {num_heads} heads), got {embed_channels};'
                f' use e.g. {lower} or {lower + multiple}')
        self.in_channels = in_channels
        self.embed_channels = embed_channels
        self.dilations = tuple(dilations)
        self.num_heads = num_heads
        self.head_channels = head_channels
        self.attn_size = attn_size
        self.chunk_size = chunk_size
        key_channels = NUM_NEIGHBOURS * head_channels
        diff_channels = NUM_NEIGHBOURS * in_channels
        # A 1x1 conv, applied to the (B, H * W, C) view of the input.
        self.query = nn.Linear(in_channels, embed_channels, bias=False)
        self.key_weight = nn.Parameter(
            torch.empty(num_heads, key_channels, diff_channels))
        self.value_weight = nn.Parameter(
            torch.empty(num_heads, key_channels, diff_channels))
        self.out_proj = nn.Conv2d(embed_channels, out_channels, 1, bias=False)
        self.out_norm = build_norm_layer(norm_cfg, out_channels)[1]
        self.act = build_activation_layer(act_cfg)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Initialize the difference projections like 1x1 convs."""
        bound = 1 / math.sqrt(self.key_weight.shape[-1])
        nn.init.uniform_(self.key_weight, -bound, bound)
        nn.init.uniform_(self.value_weight, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function."""
        batch, channels, height, width = x.shape
        heads, hid = self.num_heads, self.head_channels
        keys_per_head = NUM_NEIGHBOURS * hid // heads
        if takes_cpu_paths(x):
            # The key convs and the query run channels-last on CPU whatever
            # the width: only normalised sums of them matter, which the
            # format hardly changes.
            x = x.contiguous(memory_format=torch.channels_last)
        query = self.query(_flatten_spatial(x))
        # Normalised first (as the original), which also bounds Q K^T by
        # the key norms: no overflow in fp16.
        query_norm = _sum_squares(query.view(batch, height, width, -1))
        query = query / query_norm.sqrt().clamp_min(1e-12).unsqueeze(1).to(
            query.dtype)
        key_kernels = difference_kernel(self.key_weight)
        padded, scores = [], []
        for i, dilation in enumerate(self.dilations):
            padded.append(_reflect_pad(x, dilation))
            score, key_norm = self._key_scores(padded[i], key_kernels[i],
                                               dilation, query)
            # Cosine similarities of all (key, query) pairs, then the
            # per-head blocks.
            score = score / key_norm.unsqueeze(1)
            score = score.reshape(batch, heads, hid, heads, keys_per_head)
            scores.append(torch.diagonal(score, dim1=1, dim2=3))
        scores = torch.cat(scores, dim=2).permute(0, 3, 1, 2)
        attn = F.instance_norm(scores / self.attn_size, eps=1e-5)
        attn = attn.softmax(dim=-1).split(keys_per_head, dim=-1)

        value_kernels = difference_kernel(self.value_weight).reshape(
            len(self.dilations), heads, keys_per_head, -1)
        fold_out_proj = self.out_proj.out_channels <= self.embed_channels
        # The key convs run channels-last on CPU whatever the width: only
        # their normalised sums matter, which the format hardly changes.
        padded = [cpu_memory_format(x_pad, channels) for x_pad in padded]
        out = None
        for i, dilation in enumerate(self.dilations):
            kernels = torch.matmul(attn[i], value_kernels[i]).flatten(1, 2)
            if fold_out_proj:
                kernels = torch.matmul(self.out_proj.weight.flatten(1),
                                       kernels)
            term = _dynamic_conv(padded[i], kernels, dilation)
            out = term if out is None else out.add_(term)
        if not fold_out_proj:
            out = self.out_proj(out)
        return self.act(self.out_norm(out))

    def _key_scores(self, x_pad: Tensor, kernel: Tensor, dilation: int,
                    query: Tensor) -> Tuple[Tensor, Tensor]:
        """Keys of one dilation, reduced to ``Q K^T`` and the key norms.

        Args:
            x_pad (Tensor): Input reflect-padded by ``dilation``.
            kernel (Tensor): Key kernels from :func:`difference_kernel`.
            dilation (int): Neighbour distance.
            query (Tensor): Query of shape (B, H * W, T).

        Returns:
            tuple[Tensor, Tensor]: ``Q K^T`` of shape (B, T, 8 hid) and the
            key norms over space, shape (B, 8 hid).
        """
        batch, _, height, width = x_pad.shape
        height -= 2 * dilation
        width -= 2 * dilation
        rows = height
        # Chunks only pay off without autograd, which would keep every
        # chunk anyway and scatter each chunk's gradient into a full map.
        if takes_cpu_paths(x_pad) and self.chunk_size is not None and \
                not (torch.is_grad_enabled() and x_pad.requires_grad):
            rows = max(self.chunk_size // (batch * width * kernel.shape[0]),
                       8)
        score = norm_sq = 0
        for top in range(0, height, rows):
            key = F.conv2d(
                x_pad[:, :, top:top + rows + 2 * dilation],
                kernel,
                dilation=dilation)
            chunk_query = query[:, top * width:(top + key.shape[2]) * width]
            score = score + torch.matmul(
                chunk_query.transpose(1, 2), _flatten_spatial(key))
            norm_sq = norm_sq + _sum_squares(
                key.permute(0, 2, 3, 1), inplace=not torch.is_grad_enabled())
        return score, norm_sq.sqrt().clamp_min(1e-12)


def _is_positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and \
        value > 0


def _dynamic_conv(x_pad: Tensor, kernels: Tensor, dilation: int) -> Tensor:
    """Dilated 3x3 conv of each sample with its own kernels.

    Args:
        x_pad (Tensor): Padded input of shape (B, C, H + 2d, W + 2d).
        kernels (Tensor): Kernels of shape (B, O, C * 9).
        dilation (int): Dilation ``d``.

    Returns:
        Tensor: Output of shape (B, O, H, W).
    """
    batch, channels = x_pad.shape[:2]
    kernels = kernels.reshape(batch, -1, channels, 3, 3)
    if batch == 1:
        return F.conv2d(x_pad, kernels[0], dilation=dilation)
    if takes_cpu_paths(x_pad):
        # oneDNN's grouped convs are slow for few channels per group.
        return torch.cat([
            F.conv2d(x_pad[b:b + 1], kernels[b], dilation=dilation)
            for b in range(batch)
        ])
    out = F.conv2d(
        x_pad.reshape(1, batch * channels, *x_pad.shape[2:]),
        kernels.flatten(0, 1),
        dilation=dilation,
        groups=batch)
    return out.reshape(batch, -1, *out.shape[2:])


def _reflect_pad(x: Tensor, size: int) -> Tensor:
    return F.pad(x, (size, size, size, size), mode='reflect')


def _flatten_spatial(x: Tensor) -> Tensor:
    """(B, C, H, W) -> (B, H * W, C); a view for channels-last input."""
    return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1, x.shape[1])


def _sum_squares(x: Tensor, inplace: bool = False) -> Tensor:
    """Sum of squares over H and W of a (B, H, W, C) tensor, shape (B, C).

    Computed at least in fp32. On CPU, reduced over W, then H: accurate
    and fast whatever the memory format (one reduction over all H * W
    positions of a strided axis would add them up in sequence).

    Args:
        x (Tensor): Tensor of shape (B, H, W, C).
        inplace (bool): Whether ``x`` may be overwritten (CPU).
            Defaults to False.
    """
    dtype = torch.promote_types(x.dtype, torch.float32)
    if not takes_cpu_paths(x):
        return torch.linalg.vector_norm(x, dim=(1, 2), dtype=dtype).square()
    squares = x.to(dtype)
    if inplace or squares is not x:
        squares = squares.square_()
    else:
        squares = squares.square()
    return squares.sum(dim=2).sum(dim=1)
