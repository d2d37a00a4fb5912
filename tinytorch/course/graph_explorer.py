"""The graph explorer of module 05: compute an expression the learner types, run backward, and
describe every tensor of the recorded graph (what made it, its value, its gradient).

Why a sandbox: the expression box is free text in a page anyone can share, so it is parsed
and only arithmetic, a fixed set of functions and methods, and the named tensors are allowed;
no other name, attribute, builtin or statement ever reaches `eval`.
"""

from __future__ import annotations

import ast
import operator

import numpy as np

import tinytorch

METHODS = ("tanh", "sigmoid", "relu", "exp", "log", "sqrt", "abs", "sum", "mean", "max", "min")
FUNCTIONS = {name: operator.methodcaller(name) for name in METHODS} | {
    "maximum": tinytorch.maximum, "minimum": tinytorch.minimum}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Load, ast.Attribute,
            ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)
MAX_LENGTH = 300


def evaluate(text: str, tensors: dict):
    """Compute `text` from the named tensors, allowing only arithmetic, the FUNCTIONS and the
    METHODS: no other names, attributes, builtins or Python statements."""
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the expression is too long ({MAX_LENGTH} characters at most)")
    tree = ast.parse(text.strip(), mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ValueError(f"{type(node).__name__} is not allowed here")
        if isinstance(node, ast.Attribute) and node.attr not in METHODS:
            raise ValueError(f".{node.attr} is not allowed; methods: {', '.join(METHODS)}")
        if isinstance(node, ast.Name) and node.id not in tensors and node.id not in FUNCTIONS:
            raise NameError(f"unknown name {node.id!r}; use {', '.join(tensors)} or a function")
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ValueError(f"only numbers may appear as constants, not {node.value!r}")
            node.value = float(node.value)  # 9 ** 9 ** 9 as floats overflows at once
    return eval(compile(tree, "<expression>", "eval"), {"__builtins__": {}}, FUNCTIONS | tensors)


def short(array) -> str:
    """A value or gradient in a few characters: 0.462 or [0.5, -1, 2]."""
    a = np.asarray(array)
    if a.size == 1:
        return f"{a.item():.4g}"
    return "[" + ", ".join(f"{x:.3g}" for x in a.ravel()[:4]) + (", …" if a.size > 4 else "") + "]"


def parse_vector(text: str) -> np.ndarray:
    """"0.5, -1, 2" as a float32 vector; anything else that is not a number is an error."""
    try:
        return np.array([float(part) for part in text.split(",") if part.strip()], dtype=np.float32)
    except ValueError:
        raise ValueError(f"v must be numbers separated by commas, not {text!r}") from None


def leaves(a: float, b: float, c: float, v: str) -> dict:
    """The named inputs, fresh each time (gradients accumulate on a tensor that is reused)."""
    return {"a": tinytorch.tensor(a, requires_grad=True), "b": tinytorch.tensor(b, requires_grad=True),
            "c": tinytorch.tensor(c, requires_grad=True),
            "v": tinytorch.tensor(parse_vector(v), requires_grad=True)}


def _walk(root):
    """Every tensor of the graph behind `root` once, following `_ctx.inputs`."""
    todo, seen = [root], set()
    while todo:
        t = todo.pop()
        if id(t) not in seen:
            seen.add(id(t))
            yield t
            todo.extend(t._ctx.inputs if t._ctx is not None else ())


def retain_all(root) -> None:
    """Ask every tensor of the graph to keep its .grad (by default only the inputs do)."""
    for t in _walk(root):
        t.retain_grad()


def graph_records(root, names: dict):
    """Every tensor in the graph behind `root` as a node record, and every input -> user link
    as an edge (twice for an input used twice). `names` maps id(tensor) -> its name."""
    nodes, edges = [], []
    for t in _walk(root):
        if t is root:
            kind, label = "output L", "L = " + (t._ctx.name if t._ctx else "input")
        elif t._ctx is not None:
            kind, label = "operation", t._ctx.name
        else:
            kind, label = ("input", names[id(t)]) if id(t) in names else ("constant", "constant")
        grad = short(t.grad.data) if t.grad is not None else "none"
        nodes.append({"id": id(t), "kind": kind, "text": f"{label}\nvalue {short(t.data)}\ngrad {grad}"})
        edges += [(id(parent), id(t)) for parent in (t._ctx.inputs if t._ctx is not None else ())]
    return nodes, edges


def explore(text: str, inputs: dict):
    """Compute `text` from `inputs`, run backward keeping every gradient, and return
    (output, nodes, edges) for drawing. A non-scalar output is back-propagated from ones (the
    gradient of its sum); an expression that uses no input is an error saying so."""
    out = evaluate(text, inputs)
    if not isinstance(out, tinytorch.Tensor) or not out.requires_grad:
        raise ValueError("the expression does not depend on " + ", ".join(inputs))
    retain_all(out)
    out.backward(np.ones(out.shape, dtype=out.dtype), retain_graph=True)  # keep it to draw
    nodes, edges = graph_records(out, {id(t): n for n, t in inputs.items()})
    return out, nodes, edges
