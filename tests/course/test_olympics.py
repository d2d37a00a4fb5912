"""The capstone apps' library: the learner's submissions are what they say (pruned, int8,
fused: the same maths), the site's reference folders carry what the index says, the browser's
measurement is sized and recorded as such, and a scored submission marks module 20 done."""

import json

import numpy as np
import pytest

from tinytorch.capstone.events import get_event, settings
from tinytorch.capstone.rules import check_source, load_weights
from tinytorch.course import learner_record, olympics, recording

MNIST_SHAPES = {"1": (256, 784), "3": (128, 256), "5": (10, 128)}


def baseline_like(seed=0):
    rng = np.random.default_rng(seed)
    weights = {}
    for index, shape in MNIST_SHAPES.items():
        weights[f"{index}.weight"] = rng.normal(0, 0.05, shape).astype(np.float32)
        weights[f"{index}.bias"] = rng.normal(0, 0.05, shape[0]).astype(np.float32)
    return weights


def built(folder, served=True):
    """The submission's model (served: as the harness calls a classifier)."""
    from tinytorch.capstone.runner import serving

    check_source(folder)  # the written source follows the rules
    namespace = {}
    exec(compile((folder / "submission.py").read_text(), "submission.py", "exec"), namespace)
    model = namespace["build_model"](load_weights(folder))
    return serving(model) if served else model


def test_mlp_submissions_prune_quantize_and_fuse_the_baseline(tmp_path):
    weights = baseline_like()
    batch = np.random.default_rng(1).random((8, 1, 28, 28), dtype=np.float32)
    plain = olympics.mlp_submission(tmp_path / "plain", weights)
    expected = built(plain)(batch)
    fused = olympics.mlp_submission(tmp_path / "fused", weights, fused=True)
    np.testing.assert_allclose(built(fused)(batch), expected, rtol=1e-4, atol=1e-5)
    small = olympics.mlp_submission(tmp_path / "small", weights, sparsity=0.75, int8=True, compressed=True)
    stored = load_weights(small)
    assert stored["1.q"].dtype == np.int8 and "1.weight" not in stored
    assert np.mean(stored["1.q"] == 0) >= 0.74  # three quarters pruned, zeros survive int8
    size = (small / "weights.npz").stat().st_size
    assert size < (plain / "weights.npz").stat().st_size / 6
    int8_only = olympics.mlp_submission(tmp_path / "int8", weights, int8=True)
    assert np.abs(built(int8_only)(batch) - expected).max() < 0.05 * np.abs(expected).max()
    assert "TEAM = 'learner'" in (plain / "submission.py").read_text()
    with pytest.raises(ValueError, match="sparsity"):
        olympics.mlp_submission(tmp_path / "bad", weights, sparsity=1.0)


def test_gpt_submission_keeps_the_weights_and_switches_the_cache(tmp_path):
    from tinytorch.capstone.reference import BASELINES
    from tinytorch.core.transformer import GPT

    architecture = olympics._reference_module(BASELINES["generation"]).ARCHITECTURE
    weights = GPT(**architecture).state_dict()
    cached = olympics.gpt_submission(tmp_path / "cached", weights, kv_cache=True)
    model = built(cached, served=False).eval()
    prompt = np.array([5, 6, 7])
    assert np.array_equal(model.generate(prompt, 5, temperature=0),
                          GPT.generate(model, prompt, 5, temperature=0))  # the cache changes no token
    small = olympics.gpt_submission(tmp_path / "int8", weights, int8=True)
    assert (small / "weights.npz").stat().st_size < (cached / "weights.npz").stat().st_size / 3
    assert "KV_CACHE = False" in (small / "submission.py").read_text()


def test_browser_measurement_is_sized_and_native_is_the_events_own():
    assert olympics.event_for("generation", browser=False) == get_event("generation")
    sized = olympics.event_for("generation", browser=True)
    assert settings(sized) == {"window": 256, **olympics.BROWSER_SIZES["generation"]}
    assert olympics.event_for("latency", browser=True) == get_event("latency")
    assert olympics.queries_for("latency", browser=False) == 1000
    assert olympics.queries_for("generation", browser=True) == olympics.BROWSER_QUERIES["generation"]
    assert olympics.references_for(("text",)) == ["moby_gpt_baseline", "moby_gpt_cached"]
    assert "mnist_mlp_int8" in olympics.references_for(("mnist", "text"))
    assert "cifar_cnn_small" not in olympics.references_for(("mnist", "text"))
    assert "| latency | p90 latency |" in olympics.native_table() and olympics.TRAIN_COMMAND in \
        olympics.NATIVE_RECORDED["command"]


def test_exported_references_match_their_index(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_CAPSTONE_CACHE", str(tmp_path / "cache"))
    total = olympics.export_references(tmp_path / "site", ["moby_gpt_baseline"], log=lambda _: None,
                                       limit=4096)
    index = json.loads((tmp_path / "site" / "index.json").read_text())
    entry = index["references"]["moby_gpt_baseline"]
    assert index["trained_by"] == olympics.TRAIN_COMMAND and entry["recipe"].startswith("moby_gpt_baseline")
    data = (tmp_path / "site" / "moby_gpt_baseline" / "weights.npz").read_bytes()
    import hashlib

    assert entry["files"]["weights.npz"] == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert total == sum(p.stat().st_size for p in (tmp_path / "site").rglob("*") if p.is_file())


def test_module_done_marks_module_20_in_the_progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "progress.json"))
    shown = recording.module_done("20_capstone", "latency submission scored")
    assert "module marked done" in shown.text
    record = learner_record.load()
    assert "module-20" in record["read"] and learner_record.is_done(record, "module-20")
