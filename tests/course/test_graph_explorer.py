"""Module 05's graph explorer: the expression box evaluates only arithmetic on its named
tensors, the graph walk finds every tensor once with its gradient, and bad input is named."""

import numpy as np
import pytest

import tinytorch
from tinytorch.course import graph_explorer as gx


def _inputs():
    return {n: tinytorch.tensor(v, requires_grad=True) for n, v in (("a", 0.5), ("b", -1.5), ("c", 2.0))}


@pytest.mark.parametrize("text", [
    "a.__class__", "__import__('os')", "(lambda: 1)()", "'text'", "a[0]", "open('x')",
    "[a for a in b]", "a.data", "b.numpy()", "x", "a if b else c", "a.sum(axis=0)", "a + " * 80 + "a",
])
def test_the_expression_box_rejects_anything_but_arithmetic(text):
    with pytest.raises((ValueError, NameError)):
        gx.evaluate(text, _inputs())


def test_the_expression_box_computes_with_tinytorch():
    t = _inputs()
    out = gx.evaluate("(a * b + c).tanh() * a + maximum(a, b) - sigmoid(c) ** 2", t)
    a, b, c = 0.5, -1.5, 2.0
    assert np.isclose(out.item(), np.tanh(a * b + c) * a + max(a, b) - (1 / (1 + np.exp(-c))) ** 2)
    with pytest.raises(OverflowError):  # integer powers are computed as floats: no endless 9**9**9
        gx.evaluate("9 ** 9 ** 9", t)


def test_the_graph_walk_finds_every_tensor_once():
    t = _inputs()
    out, nodes, edges = gx.explore("a * a + b * 2", t)
    kinds = sorted(n["kind"] for n in nodes)
    assert kinds == ["constant", "input", "input", "operation", "operation", "output L"]
    assert len(edges) == 6 and any(edges.count(e) == 2 for e in edges)  # a feeds a * a twice
    a_node = next(n for n in nodes if n["text"].startswith("a\n"))
    assert "grad 1" in a_node["text"]  # d(a*a)/da = 2a = 1 at a = 0.5
    assert out.item() == pytest.approx(0.25 - 3.0)
    assert all(n["text"].rsplit("grad ", 1)[1] != "none" for n in nodes if n["kind"] != "constant")


def test_a_vector_output_is_backpropagated_from_ones():
    inputs = gx.leaves(0.5, -1.0, 2.0, "1, 2, 3")
    out, _, _ = gx.explore("v * a", inputs)
    assert out.shape == (3,)
    assert inputs["a"].grad.item() == pytest.approx(6.0)  # d sum(v * a) / da = sum(v)
    np.testing.assert_allclose(inputs["v"].grad.numpy(), [0.5, 0.5, 0.5])


def test_an_expression_without_inputs_and_a_bad_vector_are_named():
    with pytest.raises(ValueError, match="does not depend on a, b, c"):
        gx.explore("2 * 3", _inputs())
    with pytest.raises(ValueError, match="numbers separated by commas"):
        gx.parse_vector("1, two")


def test_short_keeps_values_short():
    assert gx.short(np.float32(0.46213)) == "0.4621"
    assert gx.short(np.arange(6.0)) == "[0, 1, 2, 3, …]"
