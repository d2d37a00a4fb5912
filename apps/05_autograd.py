# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="05 Autograd")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.core.autograd import Function
    from tinytorch.core.tensor import apply
    from tinytorch.course import charts, checks, graph_explorer, measure, progress
    from tinytorch.course.exercises import autograd as exercises

    return (
        Function,
        apply,
        charts,
        checks,
        exercises,
        graph_explorer,
        measure,
        mo,
        np,
        progress,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 05 · Autograd

    **Goal.** By the end of this module you can draw the graph tinytorch records while it
    computes, say what gradient flows along every edge of it, write the backward pass of a new
    operation and prove it right with a gradient check, and say what recording the graph
    costs in time and in memory.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    Every operation on tensors that require gradients is recorded: the output remembers the
    operation (`t._ctx`) and its inputs (`t._ctx.inputs`). That chain of records **is** the
    computation graph; nothing else is stored.

    `L.backward()` walks the graph from the output $L$ back to the inputs, carrying the
    **adjoint** $\bar v = \partial L / \partial v$ of every node $v$. It starts with
    $\bar L = 1$, and each operation $v = f(u_1, \dots, u_k)$ hands its inputs their share,
    by the **chain rule**:

    $$\bar u_i \mathrel{+}= \bar v \, \frac{\partial f}{\partial u_i}$$

    The $+\!=$ matters: a tensor used twice receives a share along both paths, and its gradient
    is their **sum**. A node can only pass its adjoint on once it has collected every share,
    so backward visits nodes in **reverse topological order**: each node after all of its users.

    One backward pass gives $\partial L/\partial u$ for *every* input at once, at a cost of
    a small multiple of the forward pass (reverse mode). The price is memory: the forward pass
    must keep what backward will need (here, e.g. $\tanh(x)$ for
    $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$) until backward has used it.

    **Gradient check.** A backward formula is easy to get wrong and hard to see wrong. Central
    finite differences estimate each derivative from the forward pass alone,

    $$\frac{\partial L}{\partial x_j} \approx \frac{L(x + \epsilon e_j) - L(x - \epsilon e_j)}{2\epsilon},
    \qquad \text{error } O(\epsilon^2),$$

    and `tinytorch.gradcheck` compares them with autograd, element by element, in float64.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: the graph behind an expression

    Type any expression of the scalars `a`, `b`, `c` and the vector `v`, with `+ - * / **`,
    functions `tanh sigmoid relu exp log sqrt abs sum mean maximum minimum` and methods such as
    `.tanh()` or `.sum()`. tinytorch computes it, runs `backward()`, and every box below shows a
    tensor of the graph: what made it, its **value**, and its **gradient** $\partial L/\partial\,\cdot$.
    Try `a * a`, `(v * a).sigmoid().sum()`, or `maximum(a, b) * c`.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    expression = mo.ui.text(value="(a * b + c).tanh() * a", label="L =", full_width=True)
    a_value = mo.ui.slider(-3, 3, 0.1, value=0.5, label="a", show_value=True)
    b_value = mo.ui.slider(-3, 3, 0.1, value=-1.2, label="b", show_value=True)
    c_value = mo.ui.slider(-3, 3, 0.1, value=0.8, label="c", show_value=True)
    v_text = mo.ui.text(value="0.5, -1, 2", label="v =")
    mo.vstack([expression, mo.hstack([a_value, b_value, c_value, v_text], justify="start")])
    return a_value, b_value, c_value, expression, v_text


@app.cell(hide_code=True)
def _(a_value, b_value, c_value, charts, expression, graph_explorer, mo, v_text):
    try:
        _inputs = graph_explorer.leaves(a_value.value, b_value.value, c_value.value, v_text.value)
        _out, _nodes, _edges = graph_explorer.explore(expression.value, _inputs)
        _grads = ", ".join(f"$\\partial L/\\partial {n}$ = `{graph_explorer.short(t.grad.data)}`"
                           for n, t in _inputs.items() if t.grad is not None)
        _note = ("" if _out.numel() == 1 else
                 " (L is not a scalar, so backward starts from ones: the gradient of L.sum())")
        _view = mo.vstack([
            charts.dag(_nodes, _edges, title=f"L = {expression.value}"),
            mo.md(f"{len(_nodes)} tensors, {len(_edges)} edges{_note}. {_grads}"),
        ])
    except Exception as _error:  # a typo in the expression is a message, not a crash
        _view = mo.callout(mo.md(f"**Cannot compute this.** `{type(_error).__name__}: {_error}`"),
                           kind="warn")
    _view
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    Is every gradient in that graph right? Ask `tinytorch.gradcheck`: it recomputes them from
    the forward pass alone, by finite differences.
    """)
    return


@app.cell(hide_code=True)
def _(a_value, b_value, c_value, expression, graph_explorer, mo, tinytorch, v_text):
    try:
        _inputs = graph_explorer.leaves(a_value.value, b_value.value, c_value.value, v_text.value)
        _names = list(_inputs)
        tinytorch.gradcheck(
            lambda *ts: graph_explorer.evaluate(expression.value, dict(zip(_names, ts, strict=True))),
            *_inputs.values())
        _verdict = mo.callout(mo.md("`tinytorch.gradcheck`: **passed**: autograd and finite "
                                    "differences agree on every input."), kind="success")
    except AssertionError as _error:
        _verdict = mo.callout(mo.md(f"`tinytorch.gradcheck`: **{_error}**. (At a kink, such as relu "
                                    "or abs at 0, the derivative does not exist and the two may differ.)"),
                              kind="warn")
    except Exception as _error:
        _verdict = mo.md(f"*No gradient check: `{type(_error).__name__}: {_error}`*")
    _verdict
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### What gradcheck says when a backward is wrong

    Here is a hand-written op, $\mathrm{softplus}(x) = \log(1 + e^x)$, whose derivative is
    $\sigma(x)$. Pick a backward for it, right or wrong, and see what the check reports.
    """)
    return


@app.cell(hide_code=True)
def _(mo, np):
    softplus_backward = mo.ui.dropdown(
        options={
            "grad * sigmoid(x)  (right)": lambda x, grad: grad / (1 + np.exp(-x)),
            "sigmoid(x)  (forgets the incoming grad)": lambda x, grad: 1 / (1 + np.exp(-x)),
            "grad * exp(x)  (wrong derivative)": lambda x, grad: grad * np.exp(x),
            "grad * sigmoid(x) * 1.001  (0.1% too large)": lambda x, grad: 1.001 * grad / (1 + np.exp(-x)),
        },
        value="grad * exp(x)  (wrong derivative)", label="backward returns")
    softplus_backward
    return (softplus_backward,)


@app.cell(hide_code=True)
def _(Function, apply, charts, mo, np, softplus_backward, tinytorch):
    class _Softplus(Function):
        def forward(self, x):
            self.x = x
            return np.logaddexp(0, x)

        def backward(self, grad):
            return softplus_backward.value(self.x, grad)

    try:
        tinytorch.gradcheck(lambda t: apply(_Softplus, t),
                            tinytorch.tensor(np.array([-2.0, -0.5, 0.3, 1.5]), requires_grad=True))
        _verdict = mo.callout(mo.md("`gradcheck(softplus, x)` → **True**"), kind="success")
    except AssertionError as _error:
        _verdict = mo.callout(mo.md(f"`gradcheck(softplus, x)` → **AssertionError**: {_error}"),
                              kind="danger")

    _x = tinytorch.tensor(np.linspace(-4, 4, 41), requires_grad=True)
    apply(_Softplus, _x).sum().backward()
    _eps = 1e-5
    with tinytorch.no_grad():
        _numeric = (apply(_Softplus, _x + _eps).numpy() - apply(_Softplus, _x - _eps).numpy()) / (2 * _eps)
    _rows = [{"x": float(x), "dL/dx": float(g), "from": "your backward"}
             for x, g in zip(_x.numpy(), _x.grad.numpy(), strict=True)]
    _rows += [{"x": float(x), "dL/dx": float(g), "from": "finite differences"}
              for x, g in zip(_x.numpy(), _numeric, strict=True)]
    mo.vstack([_verdict, charts.line(_rows, "x", "dL/dx", color="from", title="d softplus / dx, L = sum"),
               mo.md("The chart uses an incoming gradient of 1 everywhere, so a backward that ignores "
                     "`grad` looks right in it. gradcheck weights the outputs with random numbers, "
                     "so it catches that too.")])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Write the backward of $\mathrm{SiLU}(x) = x\,\sigma(x)$ (also called swish).
    Forward is given and saves `self.x` and `self.s` $= \sigma(x)$. Return
    $\bar x = \bar y \cdot \frac{d}{dx}\left[x\,\sigma(x)\right]$, with $\bar y$ = `grad`;
    remember $\sigma' = \sigma(1 - \sigma)$. The checks run `tinytorch.gradcheck` on your op and
    compare it with tinytorch's own `silu`.
    """)
    return


@app.cell
def _(Function, np):
    class MySiLU(Function):
        def forward(self, x):
            self.x = x
            self.s = 1 / (1 + np.exp(-x))
            return x * self.s

        def backward(self, grad):
            # Your code here: return grad times the derivative of x * sigmoid(x).
            raise NotImplementedError

    return (MySiLU,)


@app.cell(hide_code=True)
def _(MySiLU, checks, exercises, mo):
    checks.feedback(exercises.SILU_BACKWARD, MySiLU, app="05_autograd")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Find the order backward must visit the graph in. Return every tensor
    reachable from `root` through `t._ctx.inputs` (a leaf has `t._ctx is None`), each once,
    the root first, and every tensor **after all the tensors that use it**.
    """)
    return


@app.cell
def _():
    def backward_order(root) -> list:
        # Your code here: walk t._ctx.inputs from root; mind tensors used twice and deep graphs.
        raise NotImplementedError

    return (backward_order,)


@app.cell(hide_code=True)
def _(backward_order, checks, exercises, mo):
    checks.feedback(exercises.BACKWARD_ORDER, backward_order, app="05_autograd")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: what the graph costs

    A chain of `depth` steps `y = tanh(1.01 * y)` on a vector: how long does backward take
    against forward, and how much memory does the recorded graph hold, against the same
    forward inside `with tinytorch.no_grad():`? Press the button to measure it on *your* machine.
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the measurement below (the tests shrink it).
    budget = {"n": 10_000, "depths": (1, 2, 4, 8, 16, 32)}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure forward, backward and graph memory")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(budget, charts, measure, measure_button, mo, progress, tinytorch):
    mo.stop(not measure_button.value, progress.waiting("measure"))

    def _chain(x, depth):
        def run():
            y = x
            for _ in range(depth):
                y = (y * 1.01).tanh()
            return y.sum()
        return run

    _times, _memory = [], []
    for _depth in mo.status.progress_bar(budget["depths"], title="measuring"):
        _x = tinytorch.randn(budget["n"], requires_grad=True)
        _forward = _chain(_x, _depth)
        _t_forward = measure.best_time(_forward, repeat=3)
        _t_both = measure.best_time(lambda f=_forward: f().backward(), repeat=3)
        with tinytorch.no_grad():
            _t_plain = measure.best_time(_forward, repeat=3)
            _m_plain = measure.peak_bytes(_forward)
        _m_graph = measure.peak_bytes(_forward)
        _times += [{"depth": _depth, "milliseconds": 1e3 * _t, "pass": _name} for _t, _name in
                   ((_t_plain, "forward, no_grad"), (_t_forward, "forward, recording"),
                    (max(_t_both - _t_forward, 0), "backward"))]
        _memory += [{"depth": _depth, "MB": _m / 1e6, "forward": _name}
                    for _m, _name in ((_m_plain, "no_grad"), (_m_graph, "recording"))]
    _deep = budget["depths"][-1]
    _ms = {r["pass"]: r["milliseconds"] for r in _times if r["depth"] == _deep}
    _mb = {r["forward"]: r["MB"] for r in _memory if r["depth"] == _deep}
    results = {"backward_to_forward_time": _ms["backward"] / _ms["forward, recording"],
               "recording_to_plain_time": _ms["forward, recording"] / _ms["forward, no_grad"],
               "graph_megabytes": _mb["recording"], "no_grad_megabytes": _mb["no_grad"]}
    mo.vstack([
        mo.hstack([charts.line(_times, "depth", "milliseconds", color="pass", log_x=True, log_y=True,
                               title=f"time, vector of {budget['n']:,} floats", width=300),
                   charts.line(_memory, "depth", "MB", color="forward", log_x=True, log_y=True,
                               title="peak memory during forward", width=300)]),
        mo.md(f"At depth {_deep}: backward takes **{_ms['backward'] / _ms['forward, recording']:.1f}×** "
              f"the forward pass; recording the graph costs "
              f"**{_ms['forward, recording'] / _ms['forward, no_grad']:.2f}×** the time of a plain "
              f"forward and holds **{_mb['recording']:.2f} MB** against "
              f"**{_mb['no_grad']:.2f} MB** without it: the saved arrays grow with depth, "
              "which is why evaluation runs inside `no_grad()`."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - The graph is the chain of `_ctx.inputs` that every recorded operation leaves behind.
    - Backward visits it in reverse topological order, multiplying by each local derivative
      (chain rule) and **summing** where a tensor was used more than once.
    - A new op needs a forward and a backward; `tinytorch.gradcheck` proves the backward
      against finite differences.
    - Backward costs about as much as forward again, and the graph's saved arrays cost memory
      that grows with depth: `no_grad()` skips both when you do not need gradients.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-05")
    return


if __name__ == "__main__":
    app.run()
