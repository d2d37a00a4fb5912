"""Module 05 exercises: write the backward of an op (and let gradcheck judge it), and find the
order in which backward must visit the graph.

The learner's backward exercise is a `Function` subclass, applied with
`tinytorch.core.tensor.apply` exactly as tinytorch applies its own ops.
"""

import sys

import numpy as np

import tinytorch
from tinytorch.core.autograd import Function
from tinytorch.core.tensor import apply
from tinytorch.course.checks import Check, Exercise, expect_close, expect_equal
from tinytorch.nn import functional as F


class SiLUSolution(Function):
    """f(x) = x * sigmoid(x). Product rule: f'(x) = s + x * s * (1 - s), with s = sigmoid(x)."""

    def forward(self, x):
        self.x = x
        self.s = 1 / (1 + np.exp(-x))
        return x * self.s

    def backward(self, grad):
        s = self.s
        return grad * (s + self.x * s * (1 - s))


def _float64(values) -> tinytorch.Tensor:
    return tinytorch.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def _grad_of(op, values, upstream) -> np.ndarray:
    """d(sum(upstream * op(x)))/dx, where op maps a tensor to a tensor."""
    x = _float64(values)
    (op(x) * tinytorch.tensor(upstream)).sum().backward()
    if x.grad is None:
        raise AssertionError("x has no gradient after backward(): did backward return None?")
    return x.grad.numpy()


def _forward_unchanged(candidate):
    x = tinytorch.tensor(np.linspace(-5, 5, 11))
    expect_close(apply(candidate, x), F.silu(x), "forward(x)")


def _passes_gradcheck(candidate):
    x = _float64([-3.0, -0.5, 0.0, 0.7, 2.5])
    tinytorch.gradcheck(lambda t: apply(candidate, t), x)  # its AssertionError is the message


def _matches_tinytorch(candidate):
    values = np.linspace(-6, 6, 25)
    upstream = np.ones_like(values)
    expect_close(_grad_of(lambda t: apply(candidate, t), values, upstream),
                 _grad_of(F.silu, values, upstream), "the gradient at x in [-6, 6]", rtol=1e-6)


def _uses_incoming_gradient(candidate):
    values, upstream = np.array([-1.0, 0.5, 2.0]), np.array([3.0, -2.0, 0.5])
    expect_close(_grad_of(lambda t: apply(candidate, t), values, upstream),
                 _grad_of(F.silu, values, upstream), "the gradient when the output is scaled by "
                 f"{upstream.tolist()}", rtol=1e-6)


def _works_on_a_matrix(candidate):
    values = np.random.default_rng(0).normal(size=(3, 4))
    upstream = np.random.default_rng(1).normal(size=(3, 4))
    expect_close(_grad_of(lambda t: apply(candidate, t), values, upstream),
                 _grad_of(F.silu, values, upstream), "the gradient of a (3, 4) input", rtol=1e-6)


SILU_BACKWARD = Exercise(
    name="SILU_BACKWARD",
    checks=(
        Check("forward still computes `x * sigmoid(x)`", _forward_unchanged,
              "The exercise is backward: keep forward as it was given."),
        Check("tinytorch.gradcheck agrees (finite differences)", _passes_gradcheck,
              "Differentiate `x * s(x)` with the product rule: `s(x) + x * s'(x)`, and `s' = s * (1 - s)`."),
        Check("equals the gradient of tinytorch's own SiLU", _matches_tinytorch,
              "Use what forward saved: self.x and self.s."),
        Check("multiplies by the incoming gradient (chain rule)", _uses_incoming_gradient,
              "backward gets dL/dy as `grad`; return dL/dx = `grad * dy/dx`."),
        Check("works elementwise on a matrix", _works_on_a_matrix,
              "Use NumPy elementwise operations only, so any shape works."),
    ),
    solution=SiLUSolution,
)


def backward_order_solution(root) -> list:
    """Every tensor reachable from `root` through `_ctx.inputs`, each once, each listed before
    the tensors it was computed from (so before it is visited, all its users have been)."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:  # depth-first with an explicit stack: a deep graph must not hit the recursion limit
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if node._ctx is not None:
            stack.extend((parent, False) for parent in node._ctx.inputs if id(parent) not in seen)
    return order[::-1]  # post-order lists inputs first; backward needs the reverse


def _graphs():
    """Named graphs to order: (description, root)."""
    a = tinytorch.tensor(0.5, requires_grad=True)
    b = tinytorch.tensor(-1.5, requires_grad=True)
    chain = (a * 2).tanh().exp()
    diamond = (a * b) + (a * a)
    h = a * 3  # h feeds the output directly and through two more ops: a skip connection
    skip = (h.tanh() * 2) + h
    return {"a chain": chain, "a diamond (a used twice)": diamond, "a skip connection": skip}


def _reachable(root) -> dict:
    nodes, todo = {}, [root]
    while todo:
        node = todo.pop()
        if id(node) not in nodes:
            nodes[id(node)] = node
            todo.extend(node._ctx.inputs if node._ctx is not None else ())
    return nodes


def _check_order(root, order, what):
    if order is None:
        raise AssertionError(f"{what}: got None: did the function forget to `return`?")
    ids = [id(t) for t in order]
    nodes = _reachable(root)
    if len(ids) != len(set(ids)):
        raise AssertionError(f"{what}: a tensor appears more than once ({len(ids)} entries, "
                             f"{len(set(ids))} different)")
    expect_equal(len(ids), len(nodes), f"{what}: the number of tensors listed")
    if set(ids) != set(nodes):
        raise AssertionError(f"{what}: the list holds tensors that are not in the graph")
    if ids[0] != id(root):
        raise AssertionError(f"{what}: the first tensor is not the root (the output itself)")
    position = {i: k for k, i in enumerate(ids)}
    for node in order:
        for parent in node._ctx.inputs if node._ctx is not None else ():
            if position[id(parent)] < position[id(node)]:
                raise AssertionError(
                    f"{what}: an input of {node._ctx.name} is listed before it; its gradient "
                    f"would be used before {node._ctx.name} had added its part")


def _order_case(name):
    def test(candidate):
        root = _graphs()[name]
        _check_order(root, candidate(root), name)
    return test


def _deep_chain(candidate):
    x = tinytorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(1200):
        y = y * 1.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(min(limit, 1000))  # Python's default (and the browser's), even if raised here
    try:
        order = candidate(y)
    finally:
        sys.setrecursionlimit(limit)
    _check_order(y, order, "a chain of 1200 ops")


BACKWARD_ORDER = Exercise(
    name="BACKWARD_ORDER",
    checks=(
        Check("a chain", _order_case("a chain"), "Start at the root and follow `t._ctx.inputs`; "
              "a leaf has `t._ctx is None`."),
        Check("a diamond (a used twice)", _order_case("a diamond (a used twice)"),
              "List each tensor once: remember the ids (`id(t)`) you have seen."),
        Check("a skip connection", _order_case("a skip connection"),
              "Breadth-first order is not enough here: a tensor may only come after ALL its users. "
              "Do a depth-first post-order (inputs first), then reverse it."),
        Check("a chain of 1200 ops", _deep_chain,
              "Recursion this deep hits Python's limit: use an explicit stack."),
    ),
    solution=backward_order_solution,
)
