"""nn.MultiheadAttention has PyTorch's interface and gives PyTorch's numbers: a PyTorch state
dict loads as it is, and outputs, weights and gradients agree for every layout and mask kind."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch import gradcheck

E, H = 8, 2


def test_parameters_have_pytorchs_names_and_shapes():
    mha = nn.MultiheadAttention(E, H)
    assert {k: v.shape for k, v in mha.state_dict().items()} == {
        "in_proj_weight": (3 * E, E), "in_proj_bias": (3 * E,), "out_proj.weight": (E, E),
        "out_proj.bias": (E,)}
    cross = nn.MultiheadAttention(E, H, kdim=3, vdim=5, bias=False)
    assert {k: v.shape for k, v in cross.state_dict().items()} == {
        "q_proj_weight": (E, E), "k_proj_weight": (E, 3), "v_proj_weight": (E, 5), "out_proj.weight": (E, E)}


def test_sequence_first_is_the_default_and_batch_first_agrees():
    x = tinytorch.randn(5, 3, E)  # (L, N, E)
    seq_first = nn.MultiheadAttention(E, H)
    batch_first = nn.MultiheadAttention(E, H, batch_first=True)
    batch_first.load_state_dict(seq_first.state_dict())
    out, weights = seq_first(x, x, x)
    out_b, weights_b = batch_first(*(x.transpose(0, 1),) * 3)
    assert out.shape == (5, 3, E) and weights.shape == (3, 5, 5)
    np.testing.assert_allclose(out_b.transpose(0, 1).numpy(), out.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(weights_b.numpy(), weights.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(weights.numpy().sum(-1), 1, rtol=1e-5)


def test_gradients_reach_inputs_and_every_parameter():
    mha = nn.MultiheadAttention(4, 2, batch_first=True)
    for p in mha.parameters():
        p.data = p.data.astype(np.float64)
    q, kv = (tinytorch.randn(2, 3, 4, dtype=tinytorch.float64) for _ in range(2))
    assert gradcheck(lambda q, kv: mha(q, kv, kv)[0], q, kv)
    mha(q, kv, kv, attn_mask=np.triu(np.ones((3, 3), bool), 1))[0].sum().backward()
    assert all(p.grad is not None for p in mha.parameters())


@pytest.mark.parametrize("build, call, message", [
    (lambda: nn.MultiheadAttention(E, 3), None, "divisible by num_heads"),
    (lambda: nn.MultiheadAttention(E, H, add_bias_kv=True), None, "add_bias_kv"),
    (lambda: nn.MultiheadAttention(E, H), lambda m, x: m(x, x, x[..., :4]), "features"),
    (lambda: nn.MultiheadAttention(E, H), lambda m, x: m(x, x, x, attn_mask=np.ones((4, 5), bool)),
     r"attn_mask should have shape \(5, 5\)"),
    (lambda: nn.MultiheadAttention(E, H), lambda m, x: m(x, x, x, key_padding_mask=np.ones((5, 3), bool)),
     r"key_padding_mask should have shape \(3, 5\)"),
    (lambda: nn.MultiheadAttention(E, H), lambda m, x: m(x, x, x, attn_mask=np.ones((5, 5), int)),
     "boolean .* or float"),
    (lambda: nn.MultiheadAttention(E, H), lambda m, x: m(x, x, x, key_padding_mask=np.ones((3, 5), bool)),
     "hides every key"),
    (lambda: nn.MultiheadAttention(E, H), lambda m, x: m(x[:, :2], x, x), "batch size"),
    (lambda: nn.MultiheadAttention(E, H, dropout=1.5), None, "dropout probability has to be between 0 and 1"),
])
def test_bad_arguments_are_named(build, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        mha = build()
        call(mha, tinytorch.randn(5, 3, E))


def test_dropout_of_one_drops_every_attention_weight():
    """p = 1 is allowed, as in PyTorch: in training every weight is dropped, so the output is
    the output projection's bias alone."""
    mha = nn.MultiheadAttention(E, H, dropout=1.0)
    x = tinytorch.randn(5, 3, E)
    with np.errstate(all="raise"):
        out, _ = mha(x, x, x)
    np.testing.assert_allclose(out.numpy(), np.broadcast_to(mha.out_proj.bias.numpy(), (5, 3, E)), atol=1e-6)


@pytest.fixture
def torch():
    return pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")


def pair(torch, **options):
    """A torch layer and ours with the same weights (loaded from torch's state dict)."""
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(E, H, **options).double()
    ours = nn.MultiheadAttention(E, H, **options)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    for p in ours.parameters():
        p.data = p.data.astype(np.float64)
    return ours, theirs


def rng_array(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def query_key_value(n_first: bool, *widths):
    """Query (L, ...), key and value (S, ...) in (N, T, E) or (T, N, E) layout."""
    dims = [(N, T) if n_first else (T, N) for T in (L, S, S)]
    return [rng_array(*d, w, seed=i) for i, (d, w) in enumerate(zip(dims, widths, strict=True))]


L, S, N = 4, 6, 3
CASES = {
    "self, sequence-first": ({}, lambda: [rng_array(L, N, E)] * 3, {}),
    "cross, batch-first": ({"batch_first": True}, lambda: query_key_value(True, E, E, E), {}),
    "kdim vdim": ({"kdim": 3, "vdim": 5}, lambda: query_key_value(False, E, 3, 5), {}),
    "no bias": ({"bias": False}, lambda: [rng_array(L, N, E)] * 3, {}),
    "unbatched": ({}, lambda: [rng_array(L, E), rng_array(S, E, seed=1), rng_array(S, E, seed=2)], {}),
    "bool attn_mask": ({}, lambda: [rng_array(L, N, E)] * 3,
                       {"attn_mask": np.triu(np.ones((L, L), bool), 1)}),
    "float attn_mask": ({}, lambda: [rng_array(L, N, E)] * 3, {"attn_mask": rng_array(L, L, seed=3)}),
    "3-d attn_mask": ({}, lambda: [rng_array(L, N, E)] * 3,
                      {"attn_mask": rng_array(N * H, L, L, seed=4) > 0.8}),
    "key_padding_mask": ({"batch_first": True}, lambda: query_key_value(True, E, E, E),
                         {"key_padding_mask": np.arange(S) >= np.array([[6], [4], [2]])}),
    "padding and float mask": ({}, lambda: query_key_value(False, E, E, E),
                               {"key_padding_mask": np.arange(S) >= np.array([[6], [4], [2]]),
                                "attn_mask": rng_array(L, S, seed=5)}),
    "per-head weights": ({}, lambda: [rng_array(L, N, E)] * 3, {"average_attn_weights": False}),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_torch(torch, name):
    options, inputs, call = CASES[name]
    ours, theirs = pair(torch, **options)
    arrays = inputs()
    our_inputs = [tinytorch.tensor(a, requires_grad=True) for a in arrays]
    their_inputs = [torch.tensor(a, requires_grad=True) for a in arrays]
    their_call = {k: torch.tensor(v) for k, v in call.items() if k != "average_attn_weights"}
    if "average_attn_weights" in call:
        their_call["average_attn_weights"] = call["average_attn_weights"]
    out, weights = ours(*our_inputs, **call)
    expected_out, expected_weights = theirs(*their_inputs, **their_call)
    np.testing.assert_allclose(out.numpy(), expected_out.detach().numpy(), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(weights.numpy(), expected_weights.detach().numpy(), rtol=1e-6, atol=1e-9)
    out.sum().backward()
    expected_out.sum().backward()
    for i, (a, b) in enumerate(zip(our_inputs, their_inputs, strict=True)):
        if a.grad is not None or b.grad is not None:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6, atol=1e-9,
                                       err_msg=f"input {i}")
    their_params = dict(theirs.named_parameters())
    for key, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), their_params[key].grad.numpy(), rtol=1e-6,
                                   atol=1e-9, err_msg=key)


def test_need_weights_false_returns_none(torch):
    ours, theirs = pair(torch)
    x = rng_array(L, N, E)
    out, weights = ours(*[tinytorch.tensor(x)] * 3, need_weights=False)
    expected, none = theirs(*[torch.tensor(x)] * 3, need_weights=False)
    assert weights is None and none is None
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-6, atol=1e-9)
