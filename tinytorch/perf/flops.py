"""How many floating-point operations each op performs, forward and backward: one table, keyed by
the op's `Function` class, so the ops themselves stay free of bookkeeping.

The convention, applied to what each op in `tinytorch.core.ops` actually computes:

- one FLOP per elementwise add, subtract, multiply, divide or comparison, and per elementary
  function (exp, log, sqrt, tanh, erf, power): so a multiply-add counts 2, and a matrix
  product (n, k) @ (k, m) costs 2*n*k*m, the figure PyTorch's `FlopCounterMode` reports;
- a reduction of n values to o results costs n - o (a mean adds o divisions);
- moving, copying, casting, selecting (`where`, masks) and gathering (indexing, embedding
  lookup) cost 0 FLOPs: they cost bytes, which the profiler counts separately;
- the engine's own work (summing broadcast gradients, accumulating a gradient used twice) is
  not part of any op and is not counted.

A rule receives the forward's input arrays, its output, its options and which inputs need a
gradient, and returns (forward FLOPs, backward FLOPs). The backward figure is computed at
forward time because only then are the shapes at hand; it counts only the gradients that
`needs_input_grad` asks for, as the ops' backward methods do.

Register a rule for your own Function with `register_flops(MyOp)(rule)`; an op without a rule
is reported as unknown, never counted as 0.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core import ops
from tinytorch.core.ops import attention_weights, conv, embedding, loss, norm, pool

FLOP_RULES: dict = {}


def register_flops(*op_classes):
    """Decorator: `rule(inputs, out, options, needs_grad) -> (forward, backward)` for these ops."""
    def register(rule):
        for op in op_classes:
            FLOP_RULES[op] = rule
        return rule
    return register


def op_flops(op_class, inputs, out, options, needs_grad) -> tuple[int, int] | None:
    """(forward, backward) FLOPs of one application of `op_class`, or None without a rule."""
    rule = FLOP_RULES.get(op_class)
    if rule is None:
        return None
    forward, backward = rule(inputs, np.asarray(out), options, tuple(needs_grad))
    return int(forward), int(backward)


# ----- elementwise: (forward FLOPs per output element, backward per element per input) -----

def _per_element(forward: int, *backward: int):
    """A rule for an op whose cost is a fixed number of FLOPs per output element."""
    def rule(inputs, out, options, need):
        n = out.size
        return forward * n, n * sum(b for b, wanted in zip(backward, need, strict=True) if wanted)
    return rule


# Add passes the gradient through; Sub negates it for b; Mul multiplies by the other input.
register_flops(ops.Add)(_per_element(1, 0, 0))
register_flops(ops.Sub)(_per_element(1, 0, 1))
register_flops(ops.Mul)(_per_element(1, 1, 1))
register_flops(ops.Neg, ops.Exp, ops.Log, ops.Abs, ops.ReLUFunction)(_per_element(1, 1))
register_flops(ops.Sqrt)(_per_element(1, 2))        # grad / (2 out)
register_flops(ops.TanhFunction)(_per_element(1, 3))        # grad (1 - out out)
register_flops(ops.LeakyReLUFunction)(_per_element(2, 1))   # slope = where(x > 0, ...); x * slope
register_flops(ops.SigmoidFunction)(_per_element(4, 3))     # 0.5 + 0.5 tanh(0.5 x); grad out (1 - out)
register_flops(ops.SiLUFunction)(_per_element(5, 5))        # sigmoid, * x; grad s (1 + x (1 - s))
# TakeAlongAxis gathers what max(dim) / topk chose (the choosing, argmax or a sort, is not an op).
register_flops(ops.Where, ops.Cast, ops.Reshape, ops.Permute, ops.Expand, ops.Cat,
               ops.Stack, ops.TakeAlongAxis)(lambda inputs, out, options, need: (0, 0))


@register_flops(ops.Div)
def _div(inputs, out, options, need):
    n = out.size  # grad_a = grad / b is computed either way; grad_b = -grad_a * a / b
    return n, n + (3 * n if need[1] else 0)


@register_flops(ops.Maximum, ops.Minimum)
def _maximum(inputs, out, options, need):
    n = out.size  # the tie-share mask (compare, equal, halve, add) and the max; backward splits
    return 5 * n, 2 * n  # grad into share and grad - share, whichever input asked


@register_flops(ops.Pow)
def _pow(inputs, out, options, need):
    n = out.size  # grad b a**(b-1): subtract, power, 2 multiplies; grad out log(a): 3
    return n, (4 * n if need[0] else 0) + (3 * n if need[1] else 0)


@register_flops(ops.Clip)
def _clip(inputs, out, options, need):
    bounds = (options.get("low") is not None) + (options.get("high") is not None)
    return 3 * bounds * out.size, out.size  # per bound: compare, and, clamp; grad * inside


@register_flops(ops.GELUFunction)
def _gelu(inputs, out, options, need):
    n = out.size
    if options.get("approximate", "none") == "tanh":
        return 9 * n, 13 * n
    return 5 * n, 7 * n  # x Phi(x), erf counted as one function; grad (cdf + x pdf)


# ----- reductions and softmax ----------------------------------------------------------------

def _rows(x: np.ndarray, axis) -> int:
    """How many independent rows a softmax along `axis` normalises."""
    return x.size // x.shape[axis] if x.ndim else 1


@register_flops(ops.Sum)
def _sum(inputs, out, options, need):
    return inputs[0].size - out.size, 0


@register_flops(ops.Mean)
def _mean(inputs, out, options, need):
    return inputs[0].size, out.size  # n - o adds and o divides; backward divides the grad


@register_flops(ops.Max)
def _max(inputs, out, options, need):
    n, o = inputs[0].size, out.size  # max, ties (==), their count, the share division
    return 4 * n - 2 * o, n


@register_flops(ops.SoftmaxFunction)
def _softmax(inputs, out, options, need):
    n, rows = out.size, _rows(inputs[0], options.get("axis", -1))
    return 5 * n - 2 * rows, 4 * n - rows  # max, subtract, exp, sum, divide


@register_flops(ops.LogSoftmaxFunction)
def _log_softmax(inputs, out, options, need):
    n, rows = out.size, _rows(inputs[0], options.get("axis", -1))
    return 5 * n - rows, 4 * n - rows  # max, subtract, exp, sum, log per row, subtract


# ----- matrix products -----------------------------------------------------------------------

@register_flops(ops.MatMul)
def _matmul(inputs, out, options, need):
    product = 2 * out.size * inputs[0].shape[-1]
    return product, product * (need[0] + need[1])


@register_flops(ops.LinearFunction)
def _linear(inputs, out, options, need):
    x, weight, *bias = inputs
    rows, (features_out, features_in) = x.size // x.shape[-1], weight.shape
    product = 2 * rows * features_in * features_out
    forward = product + (rows * features_out if bias else 0)
    backward = product * (need[0] + need[1]) + ((rows - 1) * features_out if bias and need[2] else 0)
    return forward, backward


@register_flops(conv.Conv2dFunction)
def _conv2d(inputs, out, options, need):
    x, weight, *bias = inputs
    taps = int(np.prod(weight.shape[1:]))  # C/groups * kh * kw multiply-adds per output
    product = 2 * out.size * taps
    forward = product + (out.size if bias else 0)
    n, channels = x.shape[:2]
    kh, kw = weight.shape[2:]
    fold = kh * kw * channels * n * out.shape[2] * out.shape[3]  # col2im adds every column back
    backward = (product + fold if need[0] else 0) + (product if need[1] else 0)
    if bias and need[2]:
        backward += out.size - out.shape[1]
    return forward, backward


@register_flops(attention_weights.AttentionWeights)
def _attention_weights(inputs, out, options, need):
    q = inputs[0]
    scores, rows = out.size, out.size // out.shape[-1]
    product = 2 * scores * q.shape[-1]
    forward = product + scores + 5 * scores - 2 * rows  # q k^T, scale, softmax
    backward = 4 * scores - rows + scores + product * (need[0] + need[1])
    return forward, backward


# ----- normalisation -------------------------------------------------------------------------

def _normalize(n: int, groups: int) -> int:
    """`norm.normalize`: mean, centre, square, mean, then +eps, sqrt, 1/ per group, scale."""
    return 5 * n + 3 * groups


@register_flops(norm.LayerNormFunction)
def _layer_norm(inputs, out, options, need):
    x, *params = inputs
    n = x.size
    groups = n // int(np.prod(x.shape[x.ndim - options["normalized_ndim"]:]))
    affine = bool(params)
    forward = _normalize(n, groups) + (2 * n if affine else 0)
    backward = (n if affine else 0) + (7 * n if need[0] else 0)
    if affine:
        backward += n if need[1] else 0  # grad * x_hat; the bias gradient is grad itself
    return forward, backward


@register_flops(norm.BatchNormFunction)
def _batch_norm(inputs, out, options, need):
    x, *params = inputs
    n, channels = x.size, x.shape[1]
    affine = bool(params)
    if options["training"]:
        forward = _normalize(n, channels) + 8 * channels  # + the running-estimate updates
        grad_x = 7 * n
    else:
        forward = 2 * n + 3 * channels
        grad_x = n
    forward += 2 * n if affine else 0
    backward = (n if affine else 0) + (grad_x if need[0] else 0)
    if affine:
        backward += (2 * n - channels if need[1] else 0) + (n - channels if need[2] else 0)
    return forward, backward


# ----- pooling -------------------------------------------------------------------------------

@register_flops(pool.MaxPool2dFunction)
def _max_pool(inputs, out, options, need):
    taps = int(np.prod(options["window"].kernel))
    return (taps - 1) * out.size, 4 * taps * out.size  # winner search, masks, fold


@register_flops(pool.AvgPool2dFunction)
def _avg_pool(inputs, out, options, need):
    taps = int(np.prod(options["window"].kernel))
    return taps * out.size, (taps + 1) * out.size


@register_flops(pool.AdaptiveAvgPool2dFunction)
def _adaptive_avg_pool(inputs, out, options, need):
    (h, w), (oh, ow) = inputs[0].shape[2:], out.shape[2:]
    images = out.size // (oh * ow)
    return 2 * images * oh * (h * w + w * ow), 2 * images * h * (oh * ow + ow * w)


# ----- lookups and losses --------------------------------------------------------------------

@register_flops(ops.Index)
def _index(inputs, out, options, need):
    basic = ops.movement._is_basic(options["key"])
    return 0, (0 if basic else out.size)  # np.add.at adds each picked gradient


@register_flops(embedding.EmbeddingFunction)
def _embedding(inputs, out, options, need):
    ids = options["indices"].reshape(-1)
    repeats = ids.size - np.unique(ids).size  # reduceat adds each repeated row into its run
    return 0, repeats * inputs[0].shape[1]


def _reduction(per_item: int, reduction: str) -> int:
    return {"mean": per_item, "sum": per_item - 1}.get(reduction, 0)


@register_flops(loss.SoftmaxCrossEntropy)
def _softmax_cross_entropy(inputs, out, options, need):
    rows, classes = inputs[0].shape
    n = rows * classes
    forward = 5 * n - rows + rows  # log-softmax, then -(1 - eps) * the target's log-probability
    backward = n + rows + n  # exp, subtract at the target, scale
    if options.get("label_smoothing"):
        forward += n + rows
        backward += n
    return forward + _reduction(rows, options.get("reduction", "mean")), backward


@register_flops(loss.BCEWithLogits)
def _bce_with_logits(inputs, out, options, need):
    n = inputs[0].size
    return 8 * n + _reduction(n, options.get("reduction", "mean")), 6 * n


@register_flops(loss.BCE)
def _bce(inputs, out, options, need):
    n = inputs[0].size
    return 10 * n + _reduction(n, options.get("reduction", "mean")), 6 * n
