"""Module 05's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes. Also: the app's expression box
evaluates only arithmetic on its named tensors, and its graph walk finds every tensor."""

import numpy as np
import pytest

import tinytorch
from tests.apps.harness import APPS, run_app
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import autograd

APP = "05_autograd"


def _silu(backward):
    """The exercise's op with another backward(self, grad)."""
    return type("WrongSiLU", (autograd.SiLUSolution,), {"backward": backward})


def _breadth_first(root):
    order, seen, queue = [], set(), [root]
    while queue:
        t = queue.pop(0)
        if id(t) not in seen:
            seen.add(id(t))
            order.append(t)
            queue.extend(t._ctx.inputs if t._ctx is not None else ())
    return order


def _recursive(root):
    order, seen = [], set()

    def visit(t):
        if id(t) in seen:
            return
        seen.add(id(t))
        for parent in t._ctx.inputs if t._ctx is not None else ():
            visit(parent)
        order.append(t)

    visit(root)
    return order[::-1]


def _with_duplicates(root):
    order, stack = [], [root]
    while stack:
        t = stack.pop()
        order.append(t)
        stack.extend(t._ctx.inputs if t._ctx is not None else ())
    return order


CASES = [
    (autograd.SILU_BACKWARD, APP, "MySiLU", [
        _silu(lambda self, grad: grad * self.s),                                  # no product rule
        _silu(lambda self, grad: self.s + self.x * self.s * (1 - self.s)),        # ignores grad
        _silu(lambda self, grad: grad * self.s * (1 - self.s)),                   # sigmoid's derivative
        _silu(lambda self, grad: grad * (self.s - self.x * self.s * (1 - self.s))),  # sign error
        _silu(lambda self, grad: None),                                           # returns nothing
    ]),
    (autograd.BACKWARD_ORDER, APP, "backward_order", [
        _breadth_first,                          # a tensor before one of its users
        _recursive,                              # right order, but recursion overflows on deep graphs
        _with_duplicates,                        # lists a tensor used twice twice
        lambda root: [root],                     # only the root
        lambda root: autograd.backward_order_solution(root)[::-1],  # inputs first
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)


@pytest.fixture(scope="module")
def app_defs():
    return run_app(APPS / f"{APP}.py")[1]


def _inputs():
    return {n: tinytorch.tensor(v, requires_grad=True) for n, v in (("a", 0.5), ("b", -1.5), ("c", 2.0))}


@pytest.mark.parametrize("text", [
    "a.__class__", "__import__('os')", "(lambda: 1)()", "'text'", "a[0]", "open('x')",
    "[a for a in b]", "a.data", "b.numpy()", "x", "a if b else c", "a.sum(axis=0)",
])
def test_the_expression_box_rejects_anything_but_arithmetic(app_defs, text):
    with pytest.raises((ValueError, NameError)):
        app_defs["evaluate"](text, _inputs())


def test_the_expression_box_computes_with_tinytorch(app_defs):
    t = _inputs()
    out = app_defs["evaluate"]("(a * b + c).tanh() * a + maximum(a, b) - sigmoid(c) ** 2", t)
    a, b, c = 0.5, -1.5, 2.0
    assert np.isclose(out.item(), np.tanh(a * b + c) * a + max(a, b) - (1 / (1 + np.exp(-c))) ** 2)
    with pytest.raises(OverflowError):  # integer powers are computed as floats: no endless 9**9**9
        app_defs["evaluate"]("9 ** 9 ** 9", t)


def test_the_graph_walk_finds_every_tensor_once(app_defs):
    t = _inputs()
    out = app_defs["evaluate"]("a * a + b * 2", t)
    app_defs["retain_all"](out)
    out.backward(retain_graph=True)
    nodes, edges = app_defs["graph_records"](out, {id(v): k for k, v in t.items()})
    kinds = sorted(n["kind"] for n in nodes)
    assert kinds == ["constant", "input", "input", "operation", "operation", "output L"]
    assert len(edges) == 6 and any(edges.count(e) == 2 for e in edges)  # a feeds a * a twice
    a_node = next(n for n in nodes if n["text"].startswith("a\n"))
    assert "grad 1" in a_node["text"]  # d(a*a)/da = 2a = 1 at a = 0.5
