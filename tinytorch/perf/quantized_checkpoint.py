"""Quantized checkpoints: a quantized model in one `.npz` file whose integers stay integers.

The file is the project's checkpoint format (`tinytorch.core.checkpoint`: plain arrays, no
pickle, written atomically) with each quantized layer stored as what it really is: an int8
weight array (4-bit weights packed two per byte in uint8), float32 scales, int8 zero points,
the float32 bias, and, for static quantization, the calibrated input range (two numbers, kept
with each layer's description in the `meta/layers` JSON entry). With
`sparse=True` the integer weights are stored as CSR (nonzeros, uint16 column indices, row
starts), which is what makes a pruned and quantized model small on disk. Layers left in float
(normalisation, embeddings) are stored as float32 under `float/`.

Loading needs the float model's architecture (e.g. `build_model()` of the recipe) and returns
a quantized copy of it. Every entry is checked before anything is built: a missing or extra
entry, a wrong dtype or shape, a layer the model does not have, or a corrupt sparse index is
an error naming it, and the model you passed in is never changed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.checkpoint import _write_npz
from tinytorch.core.layers import Linear
from tinytorch.core.module import Module
from tinytorch.perf.quantization import (
    SUPPORTED_BITS,
    QuantizedConv2d,
    QuantizedLinear,
    QuantizedTensor,
    _QuantizedLayer,
    pack_int4,
)
from tinytorch.perf.sparse import CSRMatrix, _index_dtype
from tinytorch.perf.surgery import replace_layers

FORMAT = "tinytorch-quantized-1"
FLOAT_LAYERS = {"QuantizedLinear": Linear, "QuantizedConv2d": spatial.Conv2d}


def save_quantized(path, model: Module, sparse: bool = False) -> Path:
    """Write a model made by `quantize_dynamic` / `quantize` to `path`; returns the path."""
    arrays, layers = {"meta/format": np.asarray(FORMAT)}, {}
    for name, layer in model.named_modules():
        if not isinstance(layer, _QuantizedLayer):
            continue
        weight = layer.weight
        layers[name] = {"kind": type(layer).__name__, "shape": list(weight.shape),
                        "bits": weight.bits, "axis": weight.axis, "compute": layer.compute,
                        "sparse": sparse}
        if isinstance(layer, QuantizedConv2d):
            layers[name].update(stride=layer.stride, padding=layer.padding,
                                dilation=layer.dilation)
        if sparse:
            csr = CSRMatrix.from_dense(weight.int_values().reshape(weight.shape[0], -1))
            arrays.update({f"{name}/weight.values": csr.values,
                           f"{name}/weight.indices": csr.indices,
                           f"{name}/weight.indptr": csr.indptr})
        else:
            arrays[f"{name}/weight"] = weight.data
        arrays[f"{name}/scale"] = weight.scale
        layers[name]["symmetric"] = not weight.zero_point.any()
        if not layers[name]["symmetric"]:  # symmetric zero points are all 0: nothing to store
            arrays[f"{name}/zero_point"] = weight.zero_point
        if layer.bias is not None:
            arrays[f"{name}/bias"] = layer.bias
        if layer.input_qparams is not None:  # two numbers: in the JSON (float32 -> float is exact)
            layers[name]["input_qparams"] = [float(layer.input_qparams[0]),
                                             int(layer.input_qparams[1])]
    if not layers:
        raise ValueError("save_quantized: the model has no quantized layers (quantize it first "
                         "with quantize_dynamic or quantize)")
    arrays.update({f"float/{k}": v for k, v in model.state_dict().items()})
    arrays["meta/layers"] = np.asarray(json.dumps(layers))
    return _write_npz(path, arrays)


def load_quantized(path, model: Module) -> Module:
    """A quantized copy of `model` (the float architecture) with the weights in `path`."""
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    if str(arrays.pop("meta/format", "")) != FORMAT:
        raise ValueError(f"{path} is not a tinytorch quantized checkpoint (no meta/format "
                         f"{FORMAT!r})")
    if "meta/layers" not in arrays:
        raise ValueError(f"{path}: the meta/layers entry is missing")
    layers = json.loads(str(arrays.pop("meta/layers")))
    modules = dict(model.named_modules())
    built = {name: _build_layer(name, spec, arrays, modules.get(name))
             for name, spec in layers.items()}
    float_state = {k[len("float/"):]: arrays.pop(k) for k in list(arrays) if k.startswith("float/")}
    if arrays:
        raise ValueError(f"{path}: unexpected entries {sorted(arrays)}")
    quantized = replace_layers(model, lambda name, layer: built.get(name))
    quantized.load_state_dict(float_state)  # a fresh copy: a mismatch leaves `model` as it was
    return quantized.eval()


def _take(arrays: dict, key: str, dtype, shape=None) -> np.ndarray:
    """Remove and return entry `key`, checking its dtype (and shape)."""
    if key not in arrays:
        raise ValueError(f"quantized checkpoint: missing entry {key!r}")
    value = arrays.pop(key)
    if value.dtype != np.dtype(dtype):
        raise ValueError(f"quantized checkpoint: {key!r} must be {np.dtype(dtype)}, got {value.dtype}")
    if shape is not None and value.shape != tuple(shape):
        raise ValueError(f"quantized checkpoint: {key!r} has shape {value.shape}, expected "
                         f"{tuple(shape)}")
    return value


SPEC_KEYS = ("kind", "shape", "bits", "axis", "compute", "sparse", "symmetric")


def _build_layer(name: str, spec: dict, arrays: dict, float_layer) -> _QuantizedLayer:
    missing = [key for key in SPEC_KEYS if key not in spec]
    if missing:
        raise ValueError(f"quantized checkpoint: layer {name!r} lacks {missing} in meta/layers")
    kind, shape, bits, axis = spec["kind"], tuple(spec["shape"]), spec["bits"], spec["axis"]
    if kind not in FLOAT_LAYERS or not isinstance(float_layer, FLOAT_LAYERS[kind]):
        raise ValueError(f"quantized checkpoint: layer {name!r} is a {kind} in the file but "
                         f"{type(float_layer).__name__ if float_layer else 'missing'} in the model")
    if float_layer.weight.shape != shape:
        raise ValueError(f"quantized checkpoint: layer {name!r} has weight shape {shape} in the "
                         f"file, the model has {float_layer.weight.shape}")
    if bits not in SUPPORTED_BITS or axis not in (None, 0):
        raise ValueError(f"quantized checkpoint: layer {name!r} has bits={bits}, axis={axis}")
    if spec["sparse"]:
        rows, columns = shape[0], math.prod(shape[1:])
        parts = (_take(arrays, f"{name}/weight.values", np.int8),
                 _take(arrays, f"{name}/weight.indices", _index_dtype(columns)),
                 _take(arrays, f"{name}/weight.indptr", np.int32))
        try:
            ints = CSRMatrix(*parts, (rows, columns)).to_dense().reshape(shape)
        except ValueError as error:
            raise ValueError(f"quantized checkpoint: layer {name!r}: {error}") from error
        data = pack_int4(ints) if bits == 4 else ints
    elif bits == 4:
        data = _take(arrays, f"{name}/weight", np.uint8, ((math.prod(shape) + 1) // 2,))
    else:
        data = _take(arrays, f"{name}/weight", np.int8, shape)
    channels = () if axis is None else (shape[0],)
    scale = _take(arrays, f"{name}/scale", np.float32, channels)
    if not (np.isfinite(scale).all() and (scale > 0).all()):
        raise ValueError(f"quantized checkpoint: {name!r} has scales that are not positive")
    zero_point = np.zeros(channels, np.int8) if spec["symmetric"] else _take(
        arrays, f"{name}/zero_point", np.int8, channels)
    bias = None
    if float_layer.bias is not None:
        bias = _take(arrays, f"{name}/bias", np.float32, (shape[0],))
    input_qparams = spec.get("input_qparams")
    if input_qparams is not None:
        scale_in, zero_in = input_qparams
        if not (np.isfinite(scale_in) and scale_in > 0 and -128 <= zero_in <= 127):
            raise ValueError(f"quantized checkpoint: layer {name!r} has an invalid input range "
                             f"{input_qparams}")
        input_qparams = (np.float32(scale_in), np.int8(zero_in))
    weight = QuantizedTensor(data, scale, zero_point, shape, bits, axis)
    if kind == "QuantizedLinear":
        return QuantizedLinear(weight, bias, input_qparams, spec["compute"])
    return QuantizedConv2d(weight, bias, tuple(spec["stride"]), tuple(spec["padding"]),
                           tuple(spec["dilation"]), input_qparams, spec["compute"])


__all__ = ["load_quantized", "save_quantized"]
