"""Module 15, Quantization: schemes with hand-computed cases, integer layers against float."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.core import spatial
from tinytorch.perf.quantization import (
    MinMaxObserver,
    PercentileObserver,
    QuantizedConv2d,
    QuantizedLinear,
    QuantizedTensor,
    compute_qparams,
    pack_int4,
    quant_range,
    quantize,
    quantize_dynamic,
    set_compute,
    unpack_int4,
)


def test_symmetric_per_tensor_by_hand():
    scale, zero = compute_qparams(-1.0, 0.5, bits=8, symmetric=True)
    assert scale == np.float32(1 / 127) and zero == 0
    q = QuantizedTensor.quantize([-1.0, 0.5, 0.0, 0.3, 2.0], scale, zero)
    # 0.5 * 127 = 63.5 rounds to even (64); 0.3 * 127 = 38.1; 2.0 clips to 127.
    np.testing.assert_array_equal(q.data, [-127, 64, 0, 38, 127])
    assert q.data.dtype == np.int8
    np.testing.assert_allclose(q.dequantize(), np.array([-127, 64, 0, 38, 127]) / 127, rtol=1e-6)


def test_affine_uses_the_whole_range_and_keeps_zero_exact():
    scale, zero = compute_qparams(0.0, 2.55, bits=8, symmetric=False)  # a ReLU output
    assert scale == pytest.approx(0.01) and zero == -128
    q = QuantizedTensor.quantize([0.0, 1.0, 2.55], scale, zero)
    np.testing.assert_array_equal(q.data, [-128, -28, 127])
    np.testing.assert_allclose(q.dequantize(), [0.0, 1.0, 2.55], atol=1e-6)
    # A range that excludes 0 is widened to include it: 0.0 must stay exactly 0.
    scale, zero = compute_qparams(1.0, 2.0, symmetric=False)
    assert QuantizedTensor.quantize([0.0], scale, zero).dequantize()[0] == 0.0


@pytest.mark.parametrize("bits,symmetric", [(8, True), (8, False), (4, True), (4, False)])
def test_round_trip_error_is_at_most_half_a_step(bits, symmetric):
    x = np.random.default_rng(0).normal(size=(16, 40)).astype(np.float32)
    q = QuantizedTensor.from_float(x, bits=bits, symmetric=symmetric)
    assert np.abs(q.dequantize() - x).max() <= q.scale / 2 * (1 + 1e-5)
    qmin, qmax = quant_range(bits, symmetric)
    assert q.int_values().min() >= qmin and q.int_values().max() <= qmax


def test_per_channel_keeps_small_rows_precise():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(4, 64)).astype(np.float32) * np.array([[100], [1], [0.01], [0]])
    per_tensor = QuantizedTensor.from_float(w)
    per_channel = QuantizedTensor.from_float(w, axis=0)
    assert per_channel.scale.shape == (4,) and per_channel.zero_point.shape == (4,)
    small_row_error = [np.abs(q.dequantize()[2] - w[2]).max() for q in (per_tensor, per_channel)]
    assert small_row_error[1] <= per_channel.scale[2] / 2 * (1 + 1e-5)
    assert small_row_error[0] > 100 * small_row_error[1]  # the per-tensor grid rounds it to ~0
    np.testing.assert_array_equal(per_channel.dequantize()[3], 0)  # an all-zero row stays zero


def test_int4_packs_two_values_per_byte():
    q = np.array([-8, 7, 0, -1, 3], np.int8)
    packed = pack_int4(q)
    assert packed.dtype == np.uint8 and packed.shape == (3,)
    assert packed[0] == (0x8 | 0x7 << 4)  # -8 is 1000 in the low nibble, 7 is 0111 in the high
    np.testing.assert_array_equal(unpack_int4(packed, 5), q)
    w = np.random.default_rng(2).normal(size=(10, 9)).astype(np.float32)
    q4 = QuantizedTensor.from_float(w, bits=4, axis=0)
    assert q4.data.dtype == np.uint8 and q4.data.nbytes == 45
    assert q4.int_values().shape == (10, 9)
    with pytest.raises(ValueError, match=r"\[-8, 7\]"):
        pack_int4(np.array([8]))
    with pytest.raises(ValueError, match="hold 5 or 6 int4 values, not 9"):
        unpack_int4(packed, 9)


def test_unsupported_bits_and_bad_ranges_are_refused():
    with pytest.raises(ValueError, match="bits=3 is not supported"):
        QuantizedTensor.from_float(np.ones(3), bits=3)
    with pytest.raises(ValueError, match="bits=16 is not supported"):
        quantize_dynamic(nn.Linear(2, 2), bits=16)
    with pytest.raises(ValueError, match="not finite"):
        compute_qparams(0.0, np.inf)
    with pytest.raises(ValueError, match="needs 3 scales"):
        QuantizedTensor.quantize(np.ones((3, 2)), np.ones(2), np.zeros(2), axis=0)


def test_observers():
    minmax = MinMaxObserver()
    minmax(np.array([0.0, 1.0]))
    minmax(tinytorch.tensor([-2.0, 0.5]))
    assert (minmax.min, minmax.max) == (-2.0, 1.0)
    per_channel = MinMaxObserver(axis=1)
    per_channel(np.array([[1.0, -3.0], [2.0, 0.0]]))
    np.testing.assert_array_equal(per_channel.max, [2.0, 0.0])
    # One outlier 1000x the rest: min-max stretches its grid to it, a percentile clips it.
    values = np.random.default_rng(3).uniform(0, 1, 100_000).astype(np.float32)
    values[0] = 1000.0
    percentile = PercentileObserver(99.9, max_samples=20_000)
    for chunk in np.split(values, 10):
        percentile(chunk)
    minmax_all = MinMaxObserver()
    minmax_all(values)
    assert percentile.samples.size <= 20_000
    assert percentile.qparams()[0] < minmax_all.qparams()[0] / 500
    assert percentile.qparams()[0] == pytest.approx(1 / 255, rel=0.02)
    with pytest.raises(RuntimeError, match="seen no data"):
        MinMaxObserver().qparams()
    with pytest.raises(ValueError, match="percentile must be in"):
        PercentileObserver(120)


def test_integer_linear_accumulates_exactly_in_int32():
    tinytorch.manual_seed(0)
    layer = nn.Linear(300, 20)
    quantized = QuantizedLinear.from_float(layer)
    assert quantized.weight.data.dtype == np.int8 and quantized.weight.data.shape == (20, 300)
    x = tinytorch.randn(8, 300)
    with tinytorch.no_grad():
        out = quantized(x).numpy()
    # The same sum of dequantized values in float64: int32 accumulation loses nothing.
    scale, zero = compute_qparams(x.numpy().min(), x.numpy().max(), symmetric=False)
    x_deq = QuantizedTensor.quantize(x.numpy(), scale, zero).dequantize().astype(np.float64)
    expected = x_deq @ quantized.weight.dequantize().astype(np.float64).T + quantized.bias
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    # And against the float layer: off by the rounding of inputs and weights only.
    reference = layer(x).numpy()
    assert np.abs(out - reference).max() < 0.02 * np.abs(reference).max()
    with tinytorch.no_grad():
        floating = set_compute(quantize_dynamic(nn.Sequential(layer)), "float")(x).numpy()
    assert np.abs(floating - reference).max() < 0.01 * np.abs(reference).max()


def test_quantized_conv_matches_the_float_convolution_with_padding():
    tinytorch.manual_seed(0)
    conv = spatial.Conv2d(3, 5, 3, padding=2, stride=2)
    x = tinytorch.rand(2, 3, 9, 9) + 0.5  # all positive: the zero point is far from 0
    reference = conv(x).numpy()
    for compute in ("int8", "float"):
        quantized = QuantizedConv2d.from_float(conv, compute=compute)
        with tinytorch.no_grad():
            out = quantized(x).numpy()
        assert out.shape == reference.shape
        assert np.abs(out - reference).max() < 0.02 * np.abs(reference).max(), compute
    with pytest.raises(ValueError, match="groups=1 only"):
        QuantizedConv2d.from_float(spatial.Conv2d(4, 4, 3, groups=2))


def lenet_like():
    tinytorch.manual_seed(0)
    return nn.Sequential(spatial.Conv2d(1, 4, 3, padding=1), nn.ReLU(), spatial.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 16), nn.ReLU(), nn.Linear(16, 3))


def test_quantize_dynamic_and_static_replace_the_layers_of_a_copy():
    model = lenet_like().eval()
    x = tinytorch.randn(6, 1, 8, 8)
    reference = model(x).numpy()
    dynamic = quantize_dynamic(model)
    calibrated = quantize(model, [(x[:3], None), (x[3:], None)])
    assert isinstance(model[0], spatial.Conv2d)  # the original is untouched
    for q in (dynamic, calibrated):
        assert [type(m).__name__ for m in q] == ["QuantizedConv2d", "ReLU", "MaxPool2d",
                                                 "Flatten", "QuantizedLinear", "ReLU",
                                                 "QuantizedLinear"]
        with tinytorch.no_grad():
            assert np.abs(q(x).numpy() - reference).max() < 0.05 * np.abs(reference).max()
    assert dynamic[0].input_qparams is None
    scale, zero = calibrated[4].input_qparams  # the ReLU+pool output: all >= 0
    assert zero == -128 and scale > 0
    assert "static" in repr(calibrated) and "dynamic" in repr(dynamic)
    with pytest.raises(ValueError, match="at least one calibration batch"):
        quantize(model, [])
    with pytest.raises(ValueError, match="observer must be one of"):
        quantize(model, [x], observer="mean")


def test_quantized_layers_are_inference_only_and_check_shapes():
    layer = QuantizedLinear.from_float(nn.Linear(4, 2))
    with pytest.raises(RuntimeError, match="for inference"):
        layer(tinytorch.randn(1, 4, requires_grad=True))
    with tinytorch.no_grad(), pytest.raises(ValueError, match="input has 5 features"):
        layer(tinytorch.randn(1, 5))
    with pytest.raises(ValueError, match="compute must be one of"):
        QuantizedLinear.from_float(nn.Linear(4, 2), compute="int4")
