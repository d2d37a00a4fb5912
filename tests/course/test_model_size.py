"""Model sizes are the bytes of real arrays and real files, and a stored quantized model is
the one graded."""

import numpy as np
import pytest

import tinytorch
from tinytorch.course import digits_mlp, model_size
from tinytorch.perf.compression import magnitude_prune, strip_pruning
from tinytorch.perf.quantization import quantize_dynamic


def _model():
    tinytorch.manual_seed(0)
    return digits_mlp.mlp((48,))


def test_float_and_quantized_array_bytes():
    model = _model()
    weights = 64 * 48 + 48 * 10
    assert model_size.array_bytes(model) == 4 * (weights + 48 + 10)
    int8 = quantize_dynamic(model, bits=8, per_channel=True)
    assert model_size.array_bytes(int8) == weights + 4 * (48 + 10) + 4 * (48 + 10) + (48 + 10)
    int4 = quantize_dynamic(model, bits=4, per_channel=False)
    assert model_size.array_bytes(int4) == weights // 2 + 2 * (4 + 1) + 4 * (48 + 10)


def test_files_are_really_written_and_loaded_back():
    model = _model()
    assert model_size.float_file_bytes(model) > model_size.array_bytes(model)  # npz headers
    quantized = quantize_dynamic(model)
    size, loaded = model_size.stored_quantized(quantized, model)
    assert model_size.array_bytes(quantized) < size < model_size.float_file_bytes(model)
    x = digits_mlp.load_split().test_x[:20]
    np.testing.assert_array_equal(digits_mlp.logits(loaded, x), digits_mlp.logits(quantized, x))
    pruned = strip_pruning(magnitude_prune(model, 0.9, scope="global"))
    sparse_size, _ = model_size.stored_quantized(quantize_dynamic(pruned), pruned, sparse=True)
    assert sparse_size < size


def test_pruned_models_must_be_stripped_first():
    with pytest.raises(ValueError, match="strip_pruning"):
        model_size.array_bytes(magnitude_prune(_model(), 0.5))
    with pytest.raises(ValueError, match="strip_pruning"):
        model_size.float_file_bytes(magnitude_prune(_model(), 0.5))
