"""FLOP counts (tinytorch/perf/flops.py) against counts done by hand, for every op kind, and
against PyTorch's FlopCounterMode where torch is importable."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn.functional as F
from tinytorch.core import autograd, ops
from tinytorch.core.attention import scaled_dot_product_attention
from tinytorch.core.embeddings import embedding
from tinytorch.core.spatial import adaptive_avg_pool2d, avg_pool2d, batch_norm, conv2d, max_pool2d
from tinytorch.core.transformer import layer_norm
from tinytorch.perf.flops import FLOP_RULES
from tinytorch.perf.profiling import profile


def counted(fn, *inputs, name):
    """(forward, backward) FLOPs of the op `name` when `fn(*inputs)` runs and backpropagates."""
    with profile() as prof:
        out = fn(*inputs)
        out.backward(np.ones(out.shape, dtype=out.dtype))
    forward = [e.flops for e in prof.events if e.name == name and e.phase == "forward"]
    backward = [e.flops for e in prof.events if e.name == name and e.phase == "backward"]
    assert len(forward) == 1 and len(backward) <= 1, (forward, backward)
    return forward[0], (backward[0] if backward else 0)


def x(*shape):
    return tinytorch.randn(*shape, requires_grad=True)


N = 6 * 5  # elements of the (6, 5) tensors below


@pytest.mark.parametrize(("name", "fn", "forward", "backward"), [
    ("Add", lambda a, b: a + b, 1, 0),
    ("Sub", lambda a, b: a - b, 1, 1),        # the gradient of b is negated
    ("Mul", lambda a, b: a * b, 1, 2),        # each gradient is grad * the other input
    ("Div", lambda a, b: a / b, 1, 4),        # grad / b, then -(grad / b) * a / b
    ("Pow", lambda a, b: a.abs() ** b, 1, 7),  # grad b a**(b-1): 4; grad a**b log a: 3
    ("Maximum", tinytorch.maximum, 5, 2),     # max + the tie-share mask; share, grad - share
], ids=lambda v: v if isinstance(v, str) else "")
def test_binary_elementwise_ops_count_per_element(name, fn, forward, backward):
    assert counted(fn, x(6, 5), x(6, 5), name=name) == (forward * N, backward * N)


@pytest.mark.parametrize(("name", "fn", "forward", "backward"), [
    ("Neg", lambda t: -t, 1, 1),
    ("Exp", lambda t: t.exp(), 1, 1),
    ("Log", lambda t: (t * t + 1).log(), 1, 1),
    ("Sqrt", lambda t: (t * t + 1).sqrt(), 1, 2),
    ("Tanh", lambda t: t.tanh(), 1, 3),
    ("ReLU", F.relu, 1, 1),
    ("LeakyReLU", F.leaky_relu, 2, 1),
    ("Sigmoid", F.sigmoid, 4, 3),
    ("SiLU", F.silu, 5, 5),
    ("GELU", F.gelu, 5, 7),
    ("GELU", lambda t: F.gelu(t, approximate="tanh"), 9, 13),
    ("Clip", lambda t: t.clip(-0.5, 0.5), 6, 1),
    ("Clip", lambda t: t.clip(min=0), 3, 1),
], ids=lambda v: v if isinstance(v, str) else "")
def test_unary_elementwise_ops_count_per_element(name, fn, forward, backward):
    assert counted(fn, x(6, 5), name=name) == (forward * N, backward * N)


def test_reductions_count_n_minus_outputs():
    assert counted(lambda t: t.sum(axis=1), x(6, 5), name="Sum") == (6 * 4, 0)
    assert counted(lambda t: t.sum(), x(6, 5), name="Sum") == (29, 0)
    assert counted(lambda t: t.mean(axis=0), x(6, 5), name="Mean") == (30, 5)  # 25 adds, 5 divides
    assert counted(lambda t: t.amax(axis=1), x(6, 5), name="Max") == (4 * 30 - 2 * 6, 30)


def test_softmax_counts_its_five_passes():
    # rows of 5: max 4 + subtract 5 + exp 5 + sum 4 + divide 5 = 23 per row, 6 rows
    assert counted(lambda t: t.softmax(-1), x(6, 5), name="Softmax") == (6 * 23, 6 * 19)
    # log-softmax: max 4, subtract 5, exp 5, sum 4, log 1, subtract 5 = 24 per row
    assert counted(lambda t: t.log_softmax(-1), x(6, 5), name="LogSoftmax") == (6 * 24, 6 * 19)


def test_matmul_counts_two_flops_per_multiply_add():
    assert counted(lambda a, b: a @ b, x(4, 3), x(3, 7), name="MatMul") == (2 * 4 * 3 * 7, 2 * 2 * 4 * 3 * 7)
    # batched and broadcast: 5 products of (4, 3) @ (3, 2)
    assert counted(lambda a, b: a @ b, x(5, 4, 3), x(3, 2), name="MatMul") == (240, 480)
    # only the gradient asked for is computed
    fixed = tinytorch.randn(3, 7)
    assert counted(lambda a: a @ fixed, x(4, 3), name="MatMul") == (168, 168)


def test_linear_counts_product_bias_and_bias_gradient():
    w, b = x(2, 3), x(2)
    # 4 rows: 2*4*3*2 = 48 for the product, 8 bias adds; backward dX and dW 48 each, db (4-1)*2
    assert counted(F.linear, x(4, 3), w, b, name="Linear") == (56, 102)
    assert counted(F.linear, x(4, 3), w, name="Linear") == (48, 96)


@pytest.mark.parametrize(("stride", "padding", "groups"), [(1, 0, 1), (2, 1, 1), (1, 1, 2)])
def test_conv2d_counts_multiply_adds_per_output_and_the_fold(stride, padding, groups):
    n, c, h, w, o, k = 2, 4, 7, 7, 6, 3
    oh = (h + 2 * padding - k) // stride + 1
    outputs = n * o * oh * oh
    macs = outputs * (c // groups) * k * k
    fold = k * k * c * n * oh * oh
    fwd, bwd = counted(lambda a, wt, bias: conv2d(a, wt, bias, stride=stride, padding=padding,
                                                  groups=groups),
                       x(n, c, h, w), x(o, c // groups, k, k), x(o), name="Conv2d")
    assert fwd == 2 * macs + outputs
    assert bwd == (2 * macs + fold) + 2 * macs + (outputs - o)


def test_attention_weights_count_both_products_and_the_softmax():
    b, h, t, d = 2, 3, 5, 4
    q, k, v = x(b, h, t, d), x(b, h, t, d), x(b, h, t, d)
    scores, rows = b * h * t * t, b * h * t
    with profile() as prof:
        out, _ = scaled_dot_product_attention(q, k, v, causal=True)
        out.sum().backward()
    by_name = {(e.name, e.phase): e.flops for e in prof.events}
    assert by_name[("AttentionWeights", "forward")] == 2 * scores * d + scores + 5 * scores - 2 * rows
    assert by_name[("AttentionWeights", "backward")] == 5 * scores - rows + 2 * (2 * scores * d)
    assert by_name[("MatMul", "forward")] == 2 * scores * d  # weights @ v


def test_norms_count_statistics_and_affine():
    n = 4 * 8
    # mean 8, centre 8, square 8, mean 8, scale 8 per row + eps, sqrt, 1/ per row; affine 2 per element
    fwd, bwd = counted(lambda t, w, b: layer_norm(t, (8,), w, b), x(4, 8), x(8), x(8), name="LayerNorm")
    assert fwd == 5 * n + 3 * 4 + 2 * n
    assert bwd == n + 7 * n + n
    xs, c = x(4, 3, 2, 2), 3
    n = xs.numel()
    fwd, bwd = counted(lambda t, w, b: batch_norm(t, tinytorch.zeros(c), tinytorch.ones(c), w, b,
                                                  training=True), xs, x(c), x(c), name="BatchNorm")
    assert fwd == 5 * n + 3 * c + 8 * c + 2 * n
    assert bwd == n + 7 * n + (2 * n - c) + (n - c)


def test_pools_count_taps_per_output():
    xs = x(2, 3, 6, 6)
    outputs = 2 * 3 * 3 * 3
    assert counted(lambda t: max_pool2d(t, 2), xs, name="MaxPool2d") == (3 * outputs, 16 * outputs)
    assert counted(lambda t: avg_pool2d(t, 2), xs, name="AvgPool2d") == (4 * outputs, 5 * outputs)
    # adaptive: (2, 6) @ x (6, 6) then @ (6, 3) per image
    images = 6
    assert counted(lambda t: adaptive_avg_pool2d(t, (2, 3)), xs, name="AdaptiveAvgPool2d") == (
        images * (2 * 2 * 6 * 6 + 2 * 2 * 6 * 3), images * (2 * 6 * 2 * 3 + 2 * 6 * 3 * 6))


def test_movement_and_lookups_cost_no_flops_forward():
    assert counted(lambda t: t.reshape(5, 6), x(6, 5), name="Reshape") == (0, 0)
    assert counted(lambda t: t.permute(1, 0), x(6, 5), name="Permute") == (0, 0)
    assert counted(lambda t: t[1:3], x(6, 5), name="Index") == (0, 0)
    assert counted(lambda t: t[[0, 0, 2]], x(6, 5), name="Index") == (0, 15)  # add.at of 3 rows
    table = x(10, 4)
    # ids 1, 1, 3: one repeated row of 4 is added into its run
    assert counted(lambda w: embedding(np.array([1, 1, 3]), w), table, name="Embedding") == (0, 4)


def test_losses_count_their_formulas():
    logits, target = x(4, 5), np.array([0, 1, 2, 3])
    n, rows = 20, 4
    assert counted(lambda t: F.cross_entropy(t, target), logits, name="SoftmaxCrossEntropy") == (
        5 * n + rows, 2 * n + rows)
    p = tinytorch.rand(4, 5, requires_grad=True)
    y = tinytorch.rand(4, 5)
    assert counted(lambda t: F.binary_cross_entropy_with_logits(t, y), p,
                   name="BCEWithLogits") == (8 * n + n, 6 * n)
    assert counted(lambda t: F.binary_cross_entropy(t, y, reduction="sum"), p, name="BCE") == (
        10 * n + n - 1, 6 * n)


def test_every_op_in_tinytorch_has_a_flop_rule():
    from tinytorch.core.ops import attention_weights, conv, loss, norm, pool
    from tinytorch.core.ops import embedding as emb

    functions = set()
    for module in (ops, attention_weights, conv, emb, loss, norm, pool):
        functions |= {v for v in vars(module).values()
                      if isinstance(v, type) and issubclass(v, autograd.Function)
                      and v is not autograd.Function}
    assert functions - set(FLOP_RULES) == set()


def test_an_op_without_a_rule_is_unknown_never_zero():
    class Square(autograd.Function):
        def forward(self, a):
            return a * a

        def backward(self, grad):
            return 2 * grad

    from tinytorch.core.tensor import apply

    with profile() as prof:
        apply(Square, x(3))
    assert prof.events[0].flops is None
    with pytest.raises(ValueError, match="no FLOP rule for \\['Square'\\]"):
        prof.total_flops()


# ----- PyTorch's counter --------------------------------------------------------------------------

def test_counts_match_torch_flop_counter_mode():
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    def torch_count(fn):
        with FlopCounterMode(display=False) as counter:
            fn()
        return counter.get_total_flops()

    a, b = np.random.default_rng(0).standard_normal((2, 8, 8)).astype(np.float32)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ours = counted(lambda p, q: p @ q, tinytorch.tensor(a, requires_grad=True),
                   tinytorch.tensor(b, requires_grad=True), name="MatMul")
    assert sum(ours) == torch_count(lambda: (ta @ tb).sum().backward())

    xs, ws = np.ones((3, 16), np.float32), np.ones((10, 16), np.float32)
    ours = counted(F.linear, tinytorch.tensor(xs, requires_grad=True),
                   tinytorch.tensor(ws, requires_grad=True), name="Linear")
    tx, tw = torch.tensor(xs, requires_grad=True), torch.tensor(ws, requires_grad=True)
    assert sum(ours) == torch_count(lambda: torch.nn.functional.linear(tx, tw).sum().backward())

    # convolution forward, with stride, padding and groups (torch counts the products only)
    image, kernel = np.ones((2, 4, 9, 9), np.float32), np.ones((6, 2, 3, 3), np.float32)
    with profile() as prof:
        conv2d(tinytorch.tensor(image), tinytorch.tensor(kernel), stride=2, padding=1, groups=2)
    want = torch_count(lambda: torch.nn.functional.conv2d(torch.tensor(image), torch.tensor(kernel),
                                                          stride=2, padding=1, groups=2))
    assert prof.total_flops() == want

    # attention: torch counts its two products (its CPU scaled_dot_product_attention kernel has
    # no FLOP formula, so the products are written out), we add the scale and the softmax
    q = np.ones((2, 3, 5, 4), np.float32)
    with profile() as prof:
        t = tinytorch.tensor(q)
        scaled_dot_product_attention(t, t, t)
    products = 2 * (2 * 2 * 3 * 5 * 5 * 4)
    tq = torch.tensor(q)
    assert products == torch_count(lambda: torch.softmax(tq @ tq.transpose(-1, -2) / 2, -1) @ tq)
    scores = 2 * 3 * 5 * 5
    assert prof.total_flops() == products + 6 * scores - 2 * (2 * 3 * 5)
