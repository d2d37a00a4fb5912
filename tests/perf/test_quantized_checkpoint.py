"""Quantized checkpoints: int8 on disk, exact round trip, and all-or-nothing loading."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.core import spatial
from tinytorch.core.checkpoint import save_checkpoint
from tinytorch.perf.quantization import quantize, quantize_dynamic
from tinytorch.perf.quantized_checkpoint import load_quantized, save_quantized


def small_cnn():
    tinytorch.manual_seed(0)
    return nn.Sequential(spatial.Conv2d(1, 4, 3, padding=1), spatial.BatchNorm2d(4), nn.ReLU(),
                         nn.Flatten(), nn.Linear(4 * 6 * 6, 32), nn.ReLU(),
                         nn.Linear(32, 3)).eval()


def output(model, x):
    with tinytorch.no_grad():
        return model(x).numpy()


@pytest.mark.parametrize("bits,sparse,static", [(8, False, False), (8, True, True),
                                                (4, False, True), (4, True, False)])
def test_round_trip_gives_identical_outputs(tmp_path, bits, sparse, static):
    model, x = small_cnn(), tinytorch.randn(5, 1, 6, 6)
    quantized = quantize(model, [x], bits=bits) if static else quantize_dynamic(model, bits=bits)
    path = save_quantized(tmp_path / "q.npz", quantized, sparse=sparse)
    loaded = load_quantized(path, small_cnn())
    np.testing.assert_array_equal(output(loaded, x), output(quantized, x))
    assert repr(loaded) == repr(quantized)


def test_weights_are_int8_on_disk_and_the_file_is_a_quarter(tmp_path):
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 10))
    float_file = save_checkpoint(tmp_path / "f.npz", model)
    int8_file = save_quantized(tmp_path / "q8.npz", quantize_dynamic(model))
    int4_file = save_quantized(tmp_path / "q4.npz", quantize_dynamic(model, bits=4))
    with np.load(int8_file) as f:
        assert f["0/weight"].dtype == np.int8 and f["0/weight"].shape == (256, 1024)
        assert f["0/scale"].dtype == np.float32 and f["0/bias"].dtype == np.float32
    with np.load(int4_file) as f:
        assert f["0/weight"].dtype == np.uint8 and f["0/weight"].shape == (256 * 1024 // 2,)
    size = float_file.stat().st_size
    assert 0.25 < int8_file.stat().st_size / size < 0.26
    assert 0.125 < int4_file.stat().st_size / size < 0.135


def test_sparse_storage_is_smaller_for_a_pruned_model(tmp_path):
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(256, 128))
    weight = model[0].weight.data
    weight[np.abs(weight) < np.quantile(np.abs(weight), 0.9)] = 0  # 90% zeros
    dense = save_quantized(tmp_path / "d.npz", quantize_dynamic(model)).stat().st_size
    sparse = save_quantized(tmp_path / "s.npz", quantize_dynamic(model), sparse=True)
    with np.load(sparse) as f:
        assert f["0/weight.values"].dtype == np.int8 and f["0/weight.indices"].dtype == np.uint16
    # nonzeros x (1 + 2 bytes) instead of 1 byte per weight
    assert sparse.stat().st_size < 0.4 * dense


def corrupt(path, change):
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    change(arrays)
    np.savez(path, **arrays)


@pytest.mark.parametrize("change,message", [
    (lambda a: a.__setitem__("4/weight", a["4/weight"].astype(np.float32)), "'4/weight' must be int8"),
    (lambda a: a.pop("6/scale"), "missing entry '6/scale'"),
    (lambda a: a.__setitem__("6/scale", -a["6/scale"]), "not positive"),
    (lambda a: a.__setitem__("extra", np.zeros(1)), r"unexpected entries \['extra'\]"),
    (lambda a: a.__setitem__("meta/format", np.asarray("other")), "not a tinytorch quantized"),
    (lambda a: a.__setitem__("float/1.running_mean", np.zeros(7, np.float32)), "shape"),
])
def test_a_bad_file_is_refused_by_name_and_changes_nothing(tmp_path, change, message):
    model = small_cnn()
    path = save_quantized(tmp_path / "q.npz", quantize_dynamic(model))
    corrupt(path, change)
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError, match=message):
        load_quantized(path, model)
    assert all(np.array_equal(v, model.state_dict()[k]) for k, v in before.items())
    assert isinstance(model[4], nn.Linear)


def test_corrupt_sparse_indices_and_wrong_architecture_are_refused(tmp_path):
    model = small_cnn()
    path = save_quantized(tmp_path / "s.npz", quantize_dynamic(model), sparse=True)
    corrupt(path, lambda a: a["4/weight.indices"].__setitem__(0, 500))
    with pytest.raises(ValueError, match="layer '4': CSR column index 500 is out of range"):
        load_quantized(path, model)
    path = save_quantized(tmp_path / "q.npz", quantize_dynamic(model))
    tinytorch.manual_seed(0)
    wider = nn.Sequential(spatial.Conv2d(1, 4, 3, padding=1), spatial.BatchNorm2d(4), nn.ReLU(),
                          nn.Flatten(), nn.Linear(4 * 6 * 6, 64), nn.ReLU(), nn.Linear(64, 3))
    with pytest.raises(ValueError, match=r"layer '4' has weight shape \(32, 144\) in the file"):
        load_quantized(path, wider)
    static = save_quantized(tmp_path / "static.npz", quantize(model, [tinytorch.randn(2, 1, 6, 6)]))
    corrupt(static, lambda a: a.__setitem__("meta/layers", np.asarray(
        str(a["meta/layers"]).replace('"input_qparams": [', '"input_qparams": [-'))))
    with pytest.raises(ValueError, match="layer '0' has an invalid input range"):
        load_quantized(static, model)
    with pytest.raises(ValueError, match="no quantized layers"):
        save_quantized(tmp_path / "none.npz", model)
