"""Module 16, Compression: pruning masks that hold, smaller dense layers, distillation, SVD."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.core import spatial
from tinytorch.core.autograd import gradcheck
from tinytorch.core.optimizers import SGD, Adam
from tinytorch.perf.compression import (
    PrunedLinear,
    distillation_loss,
    factorize_linear,
    low_rank_linear,
    magnitude_prune,
    prune_structured,
    sparsity,
    strip_pruning,
)
from tinytorch.perf.quantization import quantize_dynamic


def mlp():
    tinytorch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 20), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(20, 8), nn.ReLU(), nn.Linear(8, 3))


def test_layer_pruning_zeroes_the_smallest_weights_of_every_layer():
    model = mlp()
    pruned = magnitude_prune(model, 0.75)
    for name in ("1", "4", "6"):
        original, layer = model[int(name)].weight.numpy(), pruned[int(name)]
        assert isinstance(layer, PrunedLinear)
        zeros = layer.weight.numpy() == 0
        assert zeros.sum() == round(0.75 * original.size)
        # every pruned |w| is at most every kept |w|
        assert np.abs(original[zeros]).max() <= np.abs(original[~zeros]).min()
    assert sparsity(pruned) == pytest.approx(0.75, abs=0.01)
    assert sparsity(model) == 0  # the original is untouched
    with pytest.raises(ValueError, match=r"sparsity must be in \[0, 1\), got 1"):
        magnitude_prune(model, 1.0)
    with pytest.raises(ValueError, match=r"sparsity must be in \[0, 1\), got -0.1"):
        magnitude_prune(model, -0.1)
    with pytest.raises(ValueError, match="scope must be"):
        magnitude_prune(model, 0.5, scope="row")


def test_global_pruning_uses_one_threshold_for_all_layers():
    model = mlp()
    model[6].weight.data *= 100  # a layer of large weights keeps all of them
    pruned = magnitude_prune(model, 0.5, scope="global")
    assert np.count_nonzero(pruned[6].weight.numpy()) == model[6].weight.numel()
    everything = np.concatenate([np.abs(model[i].weight.numpy()).ravel() for i in (1, 4, 6)])
    kept = np.concatenate([pruned[i].weight.numpy().ravel() for i in (1, 4, 6)]) != 0
    assert kept.sum() == everything.size - round(0.5 * everything.size)
    assert everything[~kept].max() <= everything[kept].min()


@pytest.mark.parametrize("optimizer", [lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-2),
                                       lambda p: Adam(p, lr=1e-2)])
def test_pruning_masks_survive_optimizer_steps(optimizer):
    pruned = magnitude_prune(mlp(), 0.8)
    zeros = [pruned[i].weight.numpy() == 0 for i in (1, 4, 6)]
    opt = optimizer(list(pruned.parameters()))
    x, y = tinytorch.randn(16, 3, 4), np.arange(16) % 3
    before = pruned[1].weight.numpy().copy()
    for _ in range(5):
        loss = nn.functional.cross_entropy(pruned(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert not np.array_equal(before, pruned[1].weight.numpy())  # it did train
    for i, was_zero in zip((1, 4, 6), zeros, strict=True):
        assert (pruned[i].weight.numpy()[was_zero] == 0).all()
        assert (pruned[i].weight.grad.numpy()[was_zero] == 0).all()


def test_strip_pruning_bakes_the_masks_in_and_quantizing_needs_it():
    pruned = magnitude_prune(mlp(), 0.5).eval()
    pruned[1].weight.data += 1  # even if something moved a masked weight, the mask wins
    x = tinytorch.randn(4, 12)
    stripped = strip_pruning(pruned).eval()
    assert type(stripped[1]) is nn.Linear and "weight_mask" not in stripped.state_dict()
    np.testing.assert_allclose(stripped(x).numpy(), pruned(x).numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="strip_pruning"):
        quantize_dynamic(pruned)
    quantize_dynamic(stripped)


def test_structured_pruning_keeps_the_outputs_of_the_kept_units():
    model = mlp().eval()
    small = prune_structured(model, 0.5).eval()
    assert (small[1].weight.shape, small[4].weight.shape, small[6].weight.shape) == \
        ((10, 12), (4, 10), (3, 4))
    norms = np.linalg.norm(model[1].weight.numpy(), axis=1)
    kept = np.sort(np.argsort(-norms)[:10])
    x = tinytorch.randn(5, 12)
    hidden = model[1](model[0](x)).numpy()
    np.testing.assert_allclose(small[1](small[0](x)).numpy(), hidden[:, kept], rtol=1e-6)
    # Units that contribute nothing (zero incoming weights, bias 0 -> ReLU 0) are the ones
    # removed, and then the whole network's output is unchanged.
    dead = mlp().eval()
    dead[1].weight.data[::2] = 0
    dead[1].bias.data[::2] = 0
    dead[4].weight.data[:4] = 0
    dead[4].bias.data[:4] = -1
    np.testing.assert_allclose(prune_structured(dead, 0.5)(x).numpy(), dead(x).numpy(), rtol=1e-5,
                               atol=1e-6)


def test_structured_pruning_of_channels_through_flatten_and_batchnorm():
    tinytorch.manual_seed(0)
    model = nn.Sequential(spatial.Conv2d(1, 6, 3), spatial.BatchNorm2d(6), nn.ReLU(),
                          spatial.MaxPool2d(2), nn.Flatten(), nn.Linear(6 * 2 * 2, 5)).eval()
    model[1].running_mean.data[...] = np.arange(6)
    model[0].weight.data[[1, 4]] = 0  # two dead channels, their BatchNorm output set to 0
    model[1].bias.data[[1, 4]] = 0
    model[1].running_mean.data[[1, 4]] = model[0].bias.data[[1, 4]]
    small = prune_structured(model, 2 / 6).eval()
    assert small[0].weight.shape == (4, 1, 3, 3) and small[1].num_features == 4
    assert small[5].weight.shape == (5, 16)
    np.testing.assert_array_equal(small[1].running_mean.numpy(), [0, 2, 3, 5])
    x = tinytorch.randn(3, 1, 6, 6)
    np.testing.assert_allclose(small(x).numpy(), model(x).numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match="Sequential"):
        prune_structured(nn.Linear(3, 3), 0.5)


def test_distillation_loss_matches_its_formula_and_gradient():
    rng = np.random.default_rng(0)
    student = tinytorch.tensor(rng.normal(size=(4, 5)), dtype=np.float64, requires_grad=True)
    teacher, labels, t, alpha = rng.normal(size=(4, 5)) * 3, np.array([0, 3, 1, 4]), 3.0, 0.7

    def softmax(z):
        e = np.exp(z - z.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    p, q = softmax(teacher / t), softmax(student.numpy() / t)
    kl = (p * (np.log(p) - np.log(q))).sum(1).mean()
    ce = -np.log(softmax(student.numpy())[np.arange(4), labels]).mean()
    loss = distillation_loss(student, teacher, labels, t, alpha)
    assert loss.item() == pytest.approx(alpha * t * t * kl + (1 - alpha) * ce, rel=1e-10)
    assert distillation_loss(student, student.numpy(), labels, t, 1.0).item() == \
        pytest.approx(0, abs=1e-12)  # a student equal to its teacher has nothing to learn
    assert gradcheck(lambda s: distillation_loss(s, teacher, labels, t, alpha), student)
    with pytest.raises(ValueError, match="temperature must be > 0"):
        distillation_loss(student, teacher, labels, 0.0)
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\]"):
        distillation_loss(student, teacher, labels, 2.0, alpha=1.5)
    with pytest.raises(ValueError, match="of one shape"):
        distillation_loss(student, teacher[:, :3], labels)


def test_low_rank_error_is_the_dropped_singular_values():
    tinytorch.manual_seed(0)
    layer = nn.Linear(30, 20)
    singular = np.linalg.svd(layer.weight.numpy().astype(np.float64), compute_uv=False)
    for rank in (1, 5, 20):
        factored = low_rank_linear(layer, rank)
        assert factored[0].weight.shape == (rank, 30) and factored[1].weight.shape == (20, rank)
        product = factored[1].weight.numpy() @ factored[0].weight.numpy()
        error = np.linalg.norm(product - layer.weight.numpy())
        assert error == pytest.approx(np.sqrt((singular[rank:] ** 2).sum()), abs=1e-4)
    x = tinytorch.randn(3, 30)
    np.testing.assert_allclose(low_rank_linear(layer, 20)(x).numpy(), layer(x).numpy(), atol=1e-5)
    with pytest.raises(ValueError, match=r"rank must be an integer in \[1, 20\]"):
        low_rank_linear(layer, 21)


def test_factorize_linear_replaces_only_layers_it_shrinks():
    model = mlp()
    state = tinytorch.core.random.get_rng_state()
    factored = factorize_linear(model, 4)
    assert tinytorch.core.random.get_rng_state() == state  # no random draws
    assert isinstance(factored[1], nn.Sequential)  # 12x20: 4 * 32 < 240
    assert isinstance(factored[4], nn.Sequential)  # 20x8: 4 * 28 < 160
    assert isinstance(factored[6], nn.Linear)  # 8x3: 4 * 11 > 24, kept
    assert factored.num_parameters() < model.num_parameters()
