"""Quantization errors: within half a step, smaller per channel, histogrammed on shared bins."""

import numpy as np
import pytest

import tinytorch
from tinytorch.course import digits_mlp, quantization_error
from tinytorch.perf.quantization import quantize_dynamic


def test_errors_are_within_half_a_step_and_smaller_per_channel():
    tinytorch.manual_seed(0)
    model = digits_mlp.mlp((16,))
    model[0].weight.data[:4] *= 0.01  # rows of small weights: where per-channel scales help
    per_tensor = quantization_error.weight_errors(model, quantize_dynamic(model, per_channel=False))
    per_channel = quantization_error.weight_errors(model, quantize_dynamic(model, per_channel=True))
    assert list(per_tensor) == ["0", "2"] and per_tensor["0"].shape == (16, 64)
    step = np.abs(model[0].weight.data).max() / 127
    assert np.abs(per_tensor["0"]).max() <= step / 2 * (1 + 1e-5)
    assert quantization_error.rms(per_channel) < quantization_error.rms(per_tensor)
    with pytest.raises(ValueError, match="no quantized layer"):
        quantization_error.weight_errors(model, model)


def test_histograms_share_bins_and_sum_to_one():
    series = {"a": np.array([-1.0, 0.0, 0.5]), "b": np.array([0.1, 0.2])}
    records = quantization_error.histogram_records(series, bins=5)
    assert len(records) == 10
    bins = {scheme: [r["error"] for r in records if r["scheme"] == scheme] for scheme in series}
    assert bins["a"] == bins["b"]
    for scheme in series:
        assert sum(r["share of weights"] for r in records if r["scheme"] == scheme) == pytest.approx(1.0)
    ranges = quantization_error.row_ranges(np.array([[1.0, -3.0], [0.5, 0.2]]))
    np.testing.assert_array_equal(ranges, [3.0, 0.5])
