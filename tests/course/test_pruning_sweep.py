"""The accuracy-against-sparsity sweep: every method at every amount, the share of weights
really removed, the model left as it was, and unknown methods refused."""

import numpy as np
import pytest

import tinytorch
from tinytorch.course import digits_mlp, pruning_sweep


@pytest.fixture(scope="module")
def trained():
    split = digits_mlp.load_split()
    tinytorch.manual_seed(0)
    model = digits_mlp.mlp((32, 32))
    digits_mlp.fine_tune(model, split, epochs=3, lr=3e-3)
    return model, split


def test_sweep_measures_every_method_at_every_amount(trained):
    model, split = trained
    before = [p.data.copy() for p in model.parameters()]
    total = pruning_sweep.kept_weights(model)
    assert total == 64 * 32 + 32 * 32 + 32 * 10
    rows = pruning_sweep.sweep(model, split, [0.5, 0.9], fine_tune_epochs=1)
    assert [(r["method"], r["amount"]) for r in rows] == [
        (m, a) for m in pruning_sweep.METHODS for a in (0.5, 0.9)]
    by = {(r["method"], r["amount"]): r for r in rows}
    assert by["unstructured, global", 0.9]["weights removed"] == pytest.approx(0.9, abs=1e-3)
    # half the neurons of both hidden layers: 64x16 + 16x16 + 16x10 of the 3,392 weights remain
    kept = 64 * 16 + 16 * 16 + 16 * 10
    assert by["structured (neurons)", 0.5]["weights removed"] == pytest.approx(1 - kept / total)
    assert all(0 <= r["accuracy, pruned"] <= 1 and 0 <= r["accuracy, fine-tuned"] <= 1 for r in rows)
    assert by["unstructured, global", 0.5]["accuracy, fine-tuned"] > 0.8
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters(), strict=True))


def test_unknown_methods_are_refused(trained):
    model, split = trained
    with pytest.raises(ValueError, match="unknown pruning methods"):
        pruning_sweep.sweep(model, split, [0.5], methods=["random"])
