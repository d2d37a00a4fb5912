"""Module 15, Quantization: store weights in 8 (or 4) bits instead of 32.

A float32 weight costs 4 bytes. Most of that precision is noise to the network: the weights
of one layer span a small range, and 256 evenly spaced levels across it keep almost all the
accuracy. Quantization maps a real value x to an integer q and back:

    q = clip(round(x / scale) + zero_point, qmin, qmax)        x ~ (q - zero_point) * scale

*Symmetric* schemes put zero_point = 0 and use [-127, 127] (not -128, so that -x quantizes
to -q): the right choice for weights, which centre on zero. *Affine* schemes shift the grid
with a zero_point so that a lopsided range (ReLU outputs are all >= 0) uses all 256 levels.
Either way 0.0 is exactly representable, so zero padding and pruned weights stay exactly 0.

*Per-tensor* quantization has one scale for a whole weight matrix; *per-channel* one scale per
output channel (row), which matters when rows differ in size: a row of tiny weights would
otherwise be rounded to a few levels. The price is one float32 per row.

Activations change with every input. Dynamic quantization measures each batch's range as it
comes; static quantization measures it once on calibration batches with an observer (min-max,
or a percentile that ignores rare outliers) and fixes the scale.

A quantized layer can compute two ways, both here and both measured
(bench/bench_optimization.py): integer arithmetic, int8 x int8 products summed in int32 and
rescaled once per output (what int8 hardware does), or dequantize-on-the-fly, turning the int8
weights back into float32 and multiplying in float32 (what saves memory but not arithmetic).
NumPy has no int8 matrix kernel: integer products run in NumPy's own loops (einsum's is the
faster) while float32 goes to BLAS, so in NumPy the integer path is the slower one, by the
factor in the benchmark notes. The memory saving is real either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.autograd import is_grad_enabled, no_grad
from tinytorch.core.layers import Linear, linear
from tinytorch.core.module import Module
from tinytorch.core.tensor import Tensor
from tinytorch.perf.surgery import replace_layers

SUPPORTED_BITS = (8, 4)


def quant_range(bits: int, symmetric: bool) -> tuple[int, int]:
    """(qmin, qmax): [-128, 127] affine or [-127, 127] symmetric for 8 bits; [-8, 7] / [-7, 7]
    for 4."""
    if bits not in SUPPORTED_BITS:
        raise ValueError(f"bits={bits} is not supported; choose one of {SUPPORTED_BITS}")
    qmin, qmax = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return (qmin + 1 if symmetric else qmin), qmax


def compute_qparams(min_val, max_val, bits: int = 8, symmetric: bool = True):
    """Scale (float32) and zero point (int8) mapping [min_val, max_val] onto the integer grid.

    The range is first widened to include 0, so that 0.0 quantizes exactly. Arrays give one
    (scale, zero_point) per channel.
    """
    qmin, qmax = quant_range(bits, symmetric)
    low = np.minimum(np.asarray(min_val, np.float64), 0.0)
    high = np.maximum(np.asarray(max_val, np.float64), 0.0)
    if not (np.isfinite(low).all() and np.isfinite(high).all()):
        raise ValueError("cannot quantize a range that is not finite (inf or nan in the data)")
    if symmetric:
        scale = np.maximum(-low, high) / qmax
    else:
        scale = (high - low) / (qmax - qmin)
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)  # an all-zero channel: any scale
    zero_point = np.zeros(scale.shape, np.int8) if symmetric else np.clip(
        np.round(qmin - low / scale), qmin, qmax).astype(np.int8)
    return scale, zero_point


def _along(values: np.ndarray, axis: int | None, ndim: int) -> np.ndarray:
    """Per-channel parameters shaped to broadcast along `axis` of an ndim array."""
    if axis is None:
        return values
    shape = [1] * ndim
    shape[axis] = -1
    return values.reshape(shape)


def pack_int4(q: np.ndarray) -> np.ndarray:
    """Two 4-bit integers in [-8, 7] per byte (first in the low nibble); odd counts pad 0."""
    flat = np.asarray(q, np.int8).reshape(-1)
    if flat.size and (flat.min() < -8 or flat.max() > 7):
        raise ValueError("pack_int4 takes integers in [-8, 7]")
    if flat.size % 2:
        flat = np.append(flat, np.int8(0))
    nibbles = flat.view(np.uint8) & 0x0F
    return nibbles[0::2] | (nibbles[1::2] << 4)


def unpack_int4(packed: np.ndarray, count: int) -> np.ndarray:
    """The `count` int8 values of `pack_int4`, sign-extended from 4 bits."""
    packed = np.asarray(packed, np.uint8)
    if not 2 * packed.size - 1 <= count <= 2 * packed.size:
        raise ValueError(f"{packed.size} packed bytes hold {2 * packed.size - 1} or "
                         f"{2 * packed.size} int4 values, not {count}")
    nibbles = np.empty(2 * packed.size, np.uint8)
    nibbles[0::2], nibbles[1::2] = packed & 0x0F, packed >> 4
    return ((nibbles[:count].astype(np.int8) ^ 8) - 8).astype(np.int8)


@dataclass
class QuantizedTensor:
    """Integers plus what it takes to turn them back into floats.

    `data` is int8 (8 bits: one value per byte) or uint8 (4 bits: two values per byte, see
    `pack_int4`); `scale` (float32) and `zero_point` (int8) are scalars or one per channel
    along `axis`.
    """

    data: np.ndarray
    scale: np.ndarray
    zero_point: np.ndarray
    shape: tuple
    bits: int = 8
    axis: int | None = None

    @classmethod
    def from_float(cls, x, bits: int = 8, symmetric: bool = True,
                   axis: int | None = None) -> QuantizedTensor:
        """Quantize with the range of x itself (per channel along `axis` if given)."""
        x = np.asarray(x.data if isinstance(x, Tensor) else x, np.float32)
        if axis is None:
            low, high = x.min(initial=0.0), x.max(initial=0.0)
        else:
            axis = axis % x.ndim
            others = tuple(a for a in range(x.ndim) if a != axis)
            low, high = x.min(axis=others, initial=0.0), x.max(axis=others, initial=0.0)
        scale, zero_point = compute_qparams(low, high, bits, symmetric)
        return cls.quantize(x, scale, zero_point, bits, axis)

    @classmethod
    def quantize(cls, x, scale, zero_point, bits: int = 8,
                 axis: int | None = None) -> QuantizedTensor:
        """Quantize x with given parameters (e.g. from an observer), clipping to the full
        `bits`-bit range (a symmetric scale never reaches its lowest integer anyway)."""
        x = np.asarray(x.data if isinstance(x, Tensor) else x, np.float32)
        scale, zero_point = np.asarray(scale, np.float32), np.asarray(zero_point, np.int8)
        if axis is not None and scale.shape != (x.shape[axis],):
            raise ValueError(f"per-channel quantization along axis {axis} of shape {x.shape} "
                             f"needs {x.shape[axis]} scales, got shape {scale.shape}")
        qmin, qmax = quant_range(bits, symmetric=False)
        s, z = _along(scale, axis, x.ndim), _along(zero_point, axis, x.ndim)
        q = np.clip(np.rint(x / s) + z, qmin, qmax).astype(np.int8)
        data = pack_int4(q) if bits == 4 else q
        return cls(data, scale, zero_point, x.shape, bits, axis)

    def int_values(self) -> np.ndarray:
        """The integers as an int8 array of `shape` (4-bit values unpacked)."""
        if self.bits == 4:
            return unpack_int4(self.data, int(np.prod(self.shape))).reshape(self.shape)
        return self.data

    def dequantize(self) -> np.ndarray:
        """(q - zero_point) * scale, as float32."""
        q, ndim = self.int_values(), len(self.shape)
        z = _along(self.zero_point.astype(np.float32), self.axis, ndim)
        return ((q - z) * _along(self.scale, self.axis, ndim)).astype(np.float32)

    @property
    def nbytes(self) -> int:
        return self.data.nbytes + self.scale.nbytes + self.zero_point.nbytes


# ----- observers: the range of activations, measured on calibration data ------------------

class MinMaxObserver:
    """Track the smallest and largest value seen (per channel along `axis`, if given)."""

    def __init__(self, axis: int | None = None):
        self.axis, self.min, self.max = axis, None, None

    def __call__(self, x) -> None:
        x = np.asarray(x.data if isinstance(x, Tensor) else x)
        others = None if self.axis is None else tuple(
            a for a in range(x.ndim) if a != self.axis % x.ndim)
        low, high = x.min(axis=others), x.max(axis=others)
        self.min = low if self.min is None else np.minimum(self.min, low)
        self.max = high if self.max is None else np.maximum(self.max, high)

    def qparams(self, bits: int = 8, symmetric: bool = False):
        if self.min is None:
            raise RuntimeError(f"{type(self).__name__} has seen no data: run calibration "
                               f"batches through the model first")
        return compute_qparams(self.min, self.max, bits, symmetric)


class PercentileObserver:
    """Clip the range at the (100 - p)-th and p-th percentiles of the values seen (per tensor),
    p = `percentile`.

    One outlier activation 50x larger than the rest would stretch a min-max scale 50x and
    round everything else to a handful of levels; clipping it costs that one value instead.
    Keeps a uniform random sample of at most `max_samples` values, not every activation.
    """

    def __init__(self, percentile: float = 99.99, max_samples: int = 1 << 20, seed: int = 0):
        if not 50 < percentile <= 100:
            raise ValueError(f"percentile must be in (50, 100], got {percentile}")
        self.percentile, self.max_samples = percentile, max_samples
        self.rng = np.random.default_rng(seed)
        self.samples, self.keep = np.empty(0, np.float32), 1.0  # every value kept with p = keep

    def __call__(self, x) -> None:
        values = np.asarray(x.data if isinstance(x, Tensor) else x, np.float32).reshape(-1)
        if self.keep < 1:
            values = values[self.rng.random(values.size) < self.keep]
        self.samples = np.concatenate([self.samples, values])
        while self.samples.size > self.max_samples:
            self.samples = self.samples[self.rng.random(self.samples.size) < 0.5]
            self.keep /= 2

    def qparams(self, bits: int = 8, symmetric: bool = False):
        if not self.samples.size:
            raise RuntimeError("PercentileObserver has seen no data: run calibration batches "
                               "through the model first")
        low, high = np.percentile(self.samples, [100 - self.percentile, self.percentile])
        return compute_qparams(low, high, bits, symmetric)


OBSERVERS = {"minmax": MinMaxObserver, "percentile": PercentileObserver}


# ----- quantized layers -------------------------------------------------------------------

COMPUTE_MODES = ("int8", "float")


def _quantize_input(x: np.ndarray, input_qparams):
    """8-bit affine activations: the calibrated parameters, or this batch's own range."""
    scale, zero_point = input_qparams if input_qparams is not None else compute_qparams(
        x.min(initial=0.0), x.max(initial=0.0), 8, symmetric=False)
    q = np.clip(np.rint(x / scale) + zero_point.astype(np.float32), -128, 127).astype(np.int8)
    return q, np.float32(scale), np.int32(zero_point)


def _check_inference(x: Tensor, name: str) -> np.ndarray:
    if is_grad_enabled() and x.requires_grad:
        raise RuntimeError(f"{name} is for inference (its weights are integers with no "
                           f"gradient); call it under tinytorch.no_grad()")
    return np.asarray(x.data, np.float32)


class _QuantizedLayer(Module):
    """What QuantizedLinear and QuantizedConv2d share: an int weight, a float bias, the
    calibrated input range (None: dynamic), and the compute mode."""

    def __init__(self, weight: QuantizedTensor, bias, input_qparams=None, compute: str = "int8"):
        super().__init__()
        if compute not in COMPUTE_MODES:
            raise ValueError(f"compute must be one of {COMPUTE_MODES}, got {compute!r}")
        if weight.axis not in (None, 0):
            raise ValueError(f"weights are quantized per tensor or per output channel (axis 0), "
                             f"got axis {weight.axis}")
        self.weight = weight
        self.bias = None if bias is None else np.asarray(bias, np.float32)
        self.input_qparams = None if input_qparams is None else (
            np.float32(input_qparams[0]), np.int8(input_qparams[1]))
        self.compute = compute

    def _weight_scale(self) -> np.ndarray:
        return np.broadcast_to(self.weight.scale, (self.weight.shape[0],))

    def _integer_product(self, x_q: np.ndarray, x_zero, x_scale) -> np.ndarray:
        """(x_q - x_zero) @ (w_q - w_zero).T summed in int32, then x_scale * w_scale per output:
        x_q (M, K) int8 -> (M, out) float32."""
        w = self.weight.int_values().reshape(self.weight.shape[0], -1).astype(np.int32)
        if w.shape[1] * 255 * 255 >= 2 ** 31:
            raise ValueError(f"{w.shape[1]} products of 8-bit integers could overflow the int32 "
                             f"sum; use compute='float'")
        w -= _along(self.weight.zero_point.astype(np.int32), self.weight.axis, 2)
        # einsum's sum-of-products loop: 2.3x faster than NumPy's integer matmul here (measured
        # 1.1 s against 2.6 s for 1000x784 @ 784x512). Exact: no rounding until the rescale.
        accumulated = np.einsum("mk,nk->mn", x_q.astype(np.int32) - x_zero, w)
        return accumulated.astype(np.float32) * (x_scale * self._weight_scale())

    def extra_repr(self) -> str:
        kind = "dynamic" if self.input_qparams is None else "static"
        return f"{self.weight.shape}, bits={self.weight.bits}, {kind}, compute={self.compute}"


class QuantizedLinear(_QuantizedLayer):
    """A Linear layer whose weight is stored as int8 (or packed int4) plus scales."""

    @classmethod
    def from_float(cls, layer: Linear, bits: int = 8, per_channel: bool = True,
                   symmetric: bool = True, input_qparams=None, compute: str = "int8"):
        weight = QuantizedTensor.from_float(layer.weight.data, bits, symmetric,
                                            0 if per_channel else None)
        bias = None if layer.bias is None else layer.bias.data.copy()
        return cls(weight, bias, input_qparams, compute)

    def forward(self, x: Tensor) -> Tensor:
        data = _check_inference(x, "QuantizedLinear")
        if data.shape[-1] != self.weight.shape[1]:
            raise ValueError(f"QuantizedLinear: input has {data.shape[-1]} features (shape "
                             f"{data.shape}), the weight expects {self.weight.shape[1]}")
        if self.compute == "float":
            with no_grad():
                bias = None if self.bias is None else Tensor(self.bias)
                return linear(Tensor(data), Tensor(self.weight.dequantize()), bias)
        x_q, x_scale, x_zero = _quantize_input(data, self.input_qparams)
        flat = x_q.reshape(-1, data.shape[-1])
        out = self._integer_product(flat, x_zero, x_scale)
        if self.bias is not None:
            out += self.bias
        return Tensor(out.astype(np.float32).reshape(*data.shape[:-1], -1))


class QuantizedConv2d(_QuantizedLayer):
    """A Conv2d layer (groups=1) whose weight is stored as int8 (or packed int4) plus scales."""

    def __init__(self, weight: QuantizedTensor, bias, stride, padding, dilation,
                 input_qparams=None, compute: str = "int8"):
        super().__init__(weight, bias, input_qparams, compute)
        self.stride, self.padding, self.dilation = stride, padding, dilation

    @classmethod
    def from_float(cls, layer: spatial.Conv2d, bits: int = 8, per_channel: bool = True,
                   symmetric: bool = True, input_qparams=None, compute: str = "int8"):
        if layer.groups != 1:
            raise ValueError(f"QuantizedConv2d supports groups=1 only, got groups={layer.groups}")
        weight = QuantizedTensor.from_float(layer.weight.data, bits, symmetric,
                                            0 if per_channel else None)
        bias = None if layer.bias is None else layer.bias.data.copy()
        return cls(weight, bias, layer.stride, layer.padding, layer.dilation, input_qparams,
                   compute)

    def forward(self, x: Tensor) -> Tensor:
        data = _check_inference(x, "QuantizedConv2d")
        window = spatial._window(self.weight.shape[2:], self.stride, self.padding, self.dilation)
        spatial._check_image("QuantizedConv2d", x, window, channels=self.weight.shape[1])
        if self.compute == "float":
            with no_grad():
                bias = None if self.bias is None else Tensor(self.bias)
                return spatial.conv2d(Tensor(data), Tensor(self.weight.dequantize()), bias,
                                      self.stride, self.padding, self.dilation)
        x_q, x_scale, x_zero = _quantize_input(data, self.input_qparams)
        # Pad with the zero point: the integer that stands for 0.0.
        padded = window.pad(x_q, value=x_zero)
        fields = window.sliding_windows(padded)  # (N, C, OH, OW, kh, kw)
        n, _, oh, ow = fields.shape[:4]
        cols = fields.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, -1)
        out = self._integer_product(cols, x_zero, x_scale)
        if self.bias is not None:
            out += self.bias
        return Tensor(np.ascontiguousarray(
            out.astype(np.float32).reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)))

    def extra_repr(self) -> str:
        return (f"{super().extra_repr()}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}")


def _quantized(layer: Module, **options) -> Module | None:
    if "weight_mask" in layer._buffers:
        raise ValueError("this model has pruned layers: bake their masks in with "
                         "tinytorch.perf.compression.strip_pruning(model) before quantizing")
    if isinstance(layer, Linear):
        return QuantizedLinear.from_float(layer, **options)
    if isinstance(layer, spatial.Conv2d):
        return QuantizedConv2d.from_float(layer, **options)
    return None


def quantize_dynamic(model: Module, bits: int = 8, per_channel: bool = True,
                     compute: str = "int8") -> Module:
    """A copy of `model` with every Linear and Conv2d quantized (weights now, activations
    batch by batch as they come). The original model is unchanged."""
    quant_range(bits, True)
    return replace_layers(model, lambda name, layer: _quantized(
        layer, bits=bits, per_channel=per_channel, compute=compute))


class _Observed(Module):
    """Calibration stand-in: records its input's range, then runs the float layer."""

    def __init__(self, layer: Module, observer):
        super().__init__()
        self.layer, self.observer = layer, observer

    def forward(self, x):
        self.observer(x)
        return self.layer(x)


def quantize(model: Module, calibration_batches, bits: int = 8, observer: str = "minmax",
             per_channel: bool = True, compute: str = "int8") -> Module:
    """Static quantization: run `calibration_batches` (inputs, or (inputs, labels) pairs as a
    DataLoader yields them) through the float model, record each Linear/Conv2d input's range
    with `observer` ("minmax" or "percentile"), and return a copy with those ranges fixed.
    The original model is unchanged."""
    quant_range(bits, True)
    if observer not in OBSERVERS:
        raise ValueError(f"observer must be one of {sorted(OBSERVERS)}, got {observer!r}")
    observed = replace_layers(model, lambda name, layer: _Observed(layer, OBSERVERS[observer]())
                              if isinstance(layer, (Linear, spatial.Conv2d)) else None)
    observed.eval()
    batches = 0
    with no_grad():
        for batch in calibration_batches:
            batch = batch[0] if isinstance(batch, (tuple, list)) else batch
            observed(batch if isinstance(batch, Tensor) else Tensor(np.asarray(batch)))
            batches += 1
    if not batches:
        raise ValueError("quantize needs at least one calibration batch")
    return replace_layers(observed, lambda name, m: _quantized(
        m.layer, bits=bits, per_channel=per_channel, compute=compute,
        input_qparams=m.observer.qparams(8, symmetric=False)) if isinstance(m, _Observed) else None)


def set_compute(model: Module, compute: str) -> Module:
    """Switch every quantized layer of `model` to integer ("int8") or dequantize-on-the-fly
    ("float") arithmetic, in place; returns the model."""
    if compute not in COMPUTE_MODES:
        raise ValueError(f"compute must be one of {COMPUTE_MODES}, got {compute!r}")
    for layer in model.modules():
        if isinstance(layer, _QuantizedLayer):
            layer.compute = compute
    return model


__all__ = ["MinMaxObserver", "PercentileObserver", "QuantizedConv2d", "QuantizedLinear",
           "QuantizedTensor", "compute_qparams", "pack_int4", "quant_range", "quantize",
           "quantize_dynamic", "set_compute", "unpack_int4"]
