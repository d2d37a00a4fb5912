import numpy as np
import pytest

import tinytorch
from tinytorch.core.layers import Linear, Parameter
from tinytorch.core.optimizers import SGD, Adam, AdamW, RMSprop, clip_grad_norm_

W0 = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
GRADS = [np.array([[0.1, -0.2], [0.3, 0.0]], np.float32), np.array([[-0.5, 0.1], [0.2, 0.4]], np.float32),
         np.array([[0.05, 0.05], [-0.1, 0.3]], np.float32)]


def run(opt_class, grads=GRADS, **hyper):
    p = Parameter(W0.copy())
    opt = opt_class([p], **hyper)
    for g in grads:
        p.grad = tinytorch.Tensor(g.copy())
        opt.step()
    return p.numpy(), opt


def reference(kind, lr, mu=0.0, nesterov=False, wd=0.0, betas=(0.9, 0.999), eps=1e-8, alpha=0.99):
    """The textbook update rules in float64, written independently of the library."""
    w = W0.astype(np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t, g in enumerate(GRADS, start=1):
        g = g.astype(np.float64)
        if kind == "adamw":
            w = w * (1 - lr * wd)
        elif wd:
            g = g + wd * w
        if kind == "sgd":
            m = g if t == 1 else mu * m + g
            w = w - lr * ((g + mu * m) if nesterov else (m if mu else g))
        elif kind in ("adam", "adamw"):
            m = betas[0] * m + (1 - betas[0]) * g
            v = betas[1] * v + (1 - betas[1]) * g * g
            w = w - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
        elif kind == "rmsprop":
            v = alpha * v + (1 - alpha) * g * g
            w = w - lr * g / (np.sqrt(v) + eps)
    return w


@pytest.mark.parametrize(
    ("opt_class", "hyper", "ref"),
    [
        (SGD, dict(lr=0.1), dict(kind="sgd", lr=0.1)),
        (SGD, dict(lr=0.1, momentum=0.9), dict(kind="sgd", lr=0.1, mu=0.9)),
        (SGD, dict(lr=0.1, momentum=0.9, nesterov=True), dict(kind="sgd", lr=0.1, mu=0.9, nesterov=True)),
        (SGD, dict(lr=0.1, weight_decay=0.01), dict(kind="sgd", lr=0.1, wd=0.01)),
        (Adam, dict(lr=0.01), dict(kind="adam", lr=0.01)),
        (Adam, dict(lr=0.01, weight_decay=0.1), dict(kind="adam", lr=0.01, wd=0.1)),
        (AdamW, dict(lr=0.01, weight_decay=0.1), dict(kind="adamw", lr=0.01, wd=0.1)),
        (RMSprop, dict(lr=0.01), dict(kind="rmsprop", lr=0.01)),
    ],
)
def test_update_rules_match_the_textbook(opt_class, hyper, ref):
    w, _ = run(opt_class, **hyper)
    np.testing.assert_allclose(w, reference(**ref), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("opt_class", "hyper"), [(SGD, dict(lr=0.1, momentum=0.9)), (Adam, dict(lr=0.01)),
                                                  (AdamW, dict(lr=0.01)), (RMSprop, dict(lr=0.01))])
def test_updates_match_pytorch(opt_class, hyper):
    torch = pytest.importorskip("torch")
    w, _ = run(opt_class, **hyper)
    p = torch.nn.Parameter(torch.tensor(W0))
    topt = getattr(torch.optim, opt_class.__name__)([p], **hyper)
    for g in GRADS:
        p.grad = torch.tensor(g)
        topt.step()
    np.testing.assert_allclose(w, p.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_step_never_writes_into_the_gradient():
    p = Parameter(W0.copy())
    g = GRADS[0].copy()
    p.grad = tinytorch.Tensor(g)
    SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1).step()
    np.testing.assert_array_equal(g, GRADS[0])


def test_state_dict_round_trip_continues_identically():
    _, opt = run(Adam, grads=GRADS[:2], lr=0.01)
    state = opt.state_dict()
    p2 = Parameter(opt.param_groups[0]["params"][0].numpy().copy())
    opt2 = Adam([p2], lr=0.5)
    opt2.load_state_dict(state)
    assert opt2.param_groups[0]["lr"] == 0.01
    for o, p in ((opt, opt.param_groups[0]["params"][0]), (opt2, p2)):
        p.grad = tinytorch.Tensor(GRADS[2].copy())
        o.step()
    np.testing.assert_array_equal(opt.param_groups[0]["params"][0].numpy(), p2.numpy())


def test_memory_measures_adam_at_twice_the_parameters_in_state():
    model = Linear(100, 50)
    opt = Adam(model.parameters())
    model(tinytorch.randn(8, 100)).sum().backward()
    opt.step()
    mem = opt.memory()
    params = 4 * (100 * 50 + 50)
    assert mem["parameters"] == params and mem["gradients"] == params
    assert params * 2 <= mem["optimizer_state"] <= params * 2 + 64  # m and v, plus a step counter
    sgd = SGD(model.parameters(), lr=0.1)
    sgd.step()
    assert sgd.memory()["optimizer_state"] == 0


def test_clip_grad_norm_scales_all_gradients_together():
    a, b = Parameter(np.zeros(2, np.float32)), Parameter(np.zeros(1, np.float32))
    a.grad, b.grad = tinytorch.Tensor([3.0, 0.0]), tinytorch.Tensor([4.0])
    assert clip_grad_norm_([a, b], 1.0) == pytest.approx(5.0)
    np.testing.assert_allclose(np.concatenate([a.grad.numpy(), b.grad.numpy()]), [0.6, 0, 0.8], rtol=1e-5)
    assert clip_grad_norm_([a, b], 10.0) == pytest.approx(1.0, rel=1e-5)


def test_bad_construction_is_named():
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="Nesterov"):
        SGD(Linear(1, 1).parameters(), nesterov=True)


@pytest.mark.parametrize(("opt_class", "hyper", "message"), [
    (SGD, dict(lr=-0.1), "invalid lr -0.1"),
    (SGD, dict(lr=float("nan")), "invalid lr nan"),
    (Adam, dict(lr=float("inf")), "invalid lr inf"),
    (SGD, dict(lr=0.1, momentum=-0.9), "invalid momentum"),
    (SGD, dict(lr=0.1, weight_decay=-1e-4), "invalid weight_decay"),
    (SGD, dict(lr=0.1, momentum=0.9, dampening=1.5), "invalid dampening"),
    (SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov.*zero dampening"),
    (Adam, dict(eps=-1e-8), "invalid eps"),
    (Adam, dict(betas=(0.9, 1.0)), r"invalid betas \(0.9, 1.0\)"),
    (AdamW, dict(betas=(-0.1, 0.999)), "invalid betas"),
    (Adam, dict(betas=(0.9,)), "invalid betas"),
    (RMSprop, dict(alpha=-0.5), "invalid alpha"),
])
def test_invalid_hyperparameters_are_refused_with_their_name(opt_class, hyper, message):
    with pytest.raises(ValueError, match=f"{opt_class.__name__}: {message}"):
        opt_class(Linear(2, 2).parameters(), **hyper)


def test_invalid_hyperparameters_in_a_parameter_group_are_refused():
    layer = Linear(2, 2)
    with pytest.raises(ValueError, match="invalid lr -1"):
        SGD([{"params": [layer.weight]}, {"params": [layer.bias], "lr": -1}], lr=0.1)


def test_a_parameter_given_twice_is_refused():
    layer = Linear(2, 2)
    with pytest.raises(ValueError, match=r"shape \(2, 2\) is given more than once"):
        SGD([layer.weight, layer.bias, layer.weight], lr=0.1)
    with pytest.raises(ValueError, match="more than once"):
        Adam([{"params": [layer.weight]}, {"params": [layer.weight, layer.bias]}])


def test_what_is_not_a_parameter_list_is_refused():
    with pytest.raises(TypeError, match=r"single tensor: pass \[tensor\]"):
        SGD(Linear(2, 2).weight, lr=0.1)
    with pytest.raises(TypeError, match="got ndarray"):
        SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(TypeError, match="non-leaf"):
        SGD([Linear(2, 2).weight * 2], lr=0.1)
    layer = Linear(2, 2)
    with pytest.raises(TypeError, match="not a mixture"):
        SGD([{"params": [layer.weight]}, layer.bias], lr=0.1)


def test_dampening_matches_pytorch():
    torch = pytest.importorskip("torch")
    hyper = dict(lr=0.1, momentum=0.9, dampening=0.3)
    w, _ = run(SGD, **hyper)
    p = torch.nn.Parameter(torch.tensor(W0))
    topt = torch.optim.SGD([p], **hyper)
    for g in GRADS:
        p.grad = torch.tensor(g)
        topt.step()
    np.testing.assert_allclose(w, p.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_dampening_scales_the_new_gradient_in_the_velocity():
    w, _ = run(SGD, lr=0.1, momentum=0.5, dampening=0.5)
    v = GRADS[0].astype(np.float64)  # the first step takes the gradient undamped, as PyTorch
    expected = W0 - 0.1 * v
    for g in GRADS[1:]:
        v = 0.5 * v + 0.5 * g
        expected = expected - 0.1 * v
    np.testing.assert_allclose(w, expected, rtol=1e-5)


@pytest.mark.parametrize("max_norm", [-1.0, float("nan")])
def test_clip_grad_norm_refuses_a_negative_or_nan_max_norm(max_norm):
    a = Parameter(np.zeros(2, np.float32))
    a.grad = tinytorch.Tensor([3.0, 4.0])
    with pytest.raises(ValueError, match="max_norm must be >= 0"):
        clip_grad_norm_([a], max_norm)
    np.testing.assert_array_equal(a.grad.numpy(), [3.0, 4.0])


def test_loading_another_optimizers_state_is_refused_and_changes_nothing():
    _, adam = run(Adam, lr=0.01)
    p = Parameter(W0.copy())
    sgd = SGD([p], lr=0.5, momentum=0.9)
    p.grad = tinytorch.Tensor(GRADS[0].copy())
    sgd.step()
    before = {k: v.copy() for k, v in sgd.state_dict().items()}
    with pytest.raises(ValueError, match=r"state of Adam .* into SGD"):
        sgd.load_state_dict(adam.state_dict())
    assert sgd.param_groups[0]["lr"] == 0.5
    after = sgd.state_dict()
    assert after.keys() == before.keys()
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value, err_msg=key)


def test_loading_state_with_a_wrong_shape_changes_nothing():
    _, adam = run(Adam, lr=0.01)
    state = adam.state_dict()
    state["param0.v"] = np.zeros(3, np.float32)
    p = Parameter(W0.copy())
    other = Adam([p], lr=0.5)
    with pytest.raises(ValueError, match="'v' of parameter 0 has shape"):
        other.load_state_dict(state)
    assert other.param_groups[0]["lr"] == 0.5 and other.step_count == 0 and not other.state


@pytest.mark.parametrize("set_to_none", [True, False])
def test_optimizer_zero_grad_takes_set_to_none(set_to_none):
    layer = Linear(3, 2)
    optimizer = SGD(layer.parameters(), lr=0.1)
    layer(tinytorch.ones(1, 3)).sum().backward()
    optimizer.zero_grad(set_to_none=set_to_none)
    for p in layer.parameters():
        assert p.grad is None if set_to_none else (p.grad.shape == p.shape and not p.grad.numpy().any())
