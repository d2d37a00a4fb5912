# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="02 Activations")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    import tinytorch.nn.functional as F
    from tinytorch.course import charts, checks, measure, progress
    from tinytorch.course.exercises import activations as exercises

    return F, charts, checks, exercises, measure, mo, nn, np, progress, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 02 · Activations

    **Goal.** By the end of this module you can sketch every common activation and its
    derivative, say which ones let gradients through and where, spot a layer whose ReLUs have
    died, and explain why a softmax that subtracts the max is the only safe one.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A layer computes $z = xW^\top + b$; on its own a stack of such layers is still one linear
    map. An **activation** $f$, applied to each element of $z$, bends it. Backpropagation
    needs its derivative: an activation's backward receives $\partial L / \partial y$ and
    returns $\partial L / \partial x = \partial L / \partial y \cdot f'(x)$, elementwise.

    | activation | $f(x)$ | $f'(x)$ |
    |---|---|---|
    | ReLU | $\max(x, 0)$ | $1$ for $x > 0$, else $0$ |
    | LeakyReLU | $x$ for $x > 0$, else $\alpha x$ | $1$ or $\alpha$ |
    | Sigmoid | $\sigma(x) = \dfrac{1}{1 + e^{-x}}$ | $\sigma(x)\,(1 - \sigma(x)) \le \tfrac14$ |
    | Tanh | $\tanh x$ | $1 - \tanh^2 x$ |
    | GELU | $x\,\Phi(x)$, $\Phi$ the normal CDF | $\Phi(x) + x\,\varphi(x)$ |
    | GELU (tanh) | $\tfrac12 x\,(1 + \tanh[\sqrt{2/\pi}\,(x + 0.044715\,x^3)])$ | chain rule |
    | SiLU | $x\,\sigma(x)$ | $\sigma(x)\,\left(1 + x\,(1 - \sigma(x))\right)$ |

    **Softmax** turns a vector of scores into probabilities. With $m = \max_j x_j$,

    $$\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},
    \qquad \frac{\partial s_i}{\partial x_j} = s_i\,(\delta_{ij} - s_j).$$

    The two forms are equal in exact arithmetic, but only the second is safe in float32, whose
    largest number is about $3.4 \times 10^{38} = e^{88.7}$: $e^{89}$ is already `inf`.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: every activation and its derivative

    The curves are tinytorch's forward pass; the derivatives are **tinytorch's backward**:
    `y = f(x); y.backward(ones)` fills `x.grad` with $f'(x)$ at every point. Softmax is not
    elementwise, so it is shown as the first output of a softmax over the logits $(x, 0, 1)$.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    shown = mo.ui.multiselect(
        options=["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "GELU (tanh)", "SiLU", "Softmax"],
        value=["ReLU", "Sigmoid", "GELU"], label="activations")
    x_range = mo.ui.slider(start=1, stop=10, step=0.5, value=4, label="x from -r to r, r =",
                              show_value=True)
    leaky_slope = mo.ui.slider(start=0.0, stop=0.5, step=0.01, value=0.1, label="LeakyReLU slope α",
                                show_value=True)
    mo.hstack([shown, x_range, leaky_slope], justify="start")
    return leaky_slope, shown, x_range


@app.cell(hide_code=True)
def _(mo, x_range):
    x_mark = mo.ui.slider(start=-x_range.value, stop=x_range.value, step=x_range.value / 40,
                          value=x_range.value / 4, label="mark x =", show_value=True)
    x_mark
    return (x_mark,)


@app.cell(hide_code=True)
def _(F, tinytorch):
    def activation_table(slope: float) -> dict:
        """Each activation as a function of a 1-d tensor, the way the explorer plots it."""
        def softmax_first(t):
            logits = tinytorch.stack([t, tinytorch.zeros_like(t), tinytorch.ones_like(t)], axis=1)
            return F.softmax(logits, axis=1)[:, 0]

        return {
            "ReLU": F.relu, "LeakyReLU": lambda t: F.leaky_relu(t, slope), "Sigmoid": F.sigmoid,
            "Tanh": F.tanh, "GELU": F.gelu, "GELU (tanh)": lambda t: F.gelu(t, approximate="tanh"),
            "SiLU": F.silu, "Softmax": softmax_first,
        }

    def value_and_derivative(fn, xs):
        """f(x) from the forward pass and f'(x) from the backward pass, both by tinytorch."""
        x = tinytorch.tensor(xs, requires_grad=True)
        y = fn(x)
        y.backward(tinytorch.ones_like(y))
        return y.numpy(), x.grad.numpy()

    return activation_table, value_and_derivative


@app.cell(hide_code=True)
def _(
    activation_table,
    charts,
    leaky_slope,
    mo,
    np,
    shown,
    value_and_derivative,
    x_mark,
    x_range,
):
    _fns = activation_table(leaky_slope.value)
    _xs = np.linspace(-x_range.value, x_range.value, 401, dtype=np.float32)
    _curves, _marks, _table = [], [], []
    for _name in shown.value:
        _y, _dy = value_and_derivative(_fns[_name], _xs)
        _curves += [{"x": float(a), "f": float(b), "slope": float(c), "activation": _name}
                    for a, b, c in zip(_xs, _y, _dy, strict=True)]
        _ym, _dym = value_and_derivative(_fns[_name], np.array([x_mark.value], dtype=np.float32))
        _marks.append({"x": x_mark.value, "f": float(_ym[0]), "slope": float(_dym[0]), "activation": _name})
        _table.append(f"| {_name} | {_ym[0]:.4f} | {_dym[0]:.4f} |")
    mo.vstack([
        mo.hstack([
            charts.marked_line(_curves, "x", "f", _marks, color="activation", title="f(x): forward"),
            charts.marked_line(_curves, "x", "slope", _marks, color="activation",
                               title="f'(x): x.grad after backward"),
        ]),
        mo.md(f"At x = {x_mark.value:g}:\n\n| activation | f(x) | f'(x) |\n|---|---|---|\n"
              + "\n".join(_table)) if _table else mo.md("Pick at least one activation."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    What to notice: the sigmoid's slope never exceeds 0.25, so ten sigmoid layers can shrink a
    gradient by $0.25^{10} \approx 10^{-6}$; tanh's is at most 1 but both flatten to 0 for large
    $|x|$ (**saturation**). ReLU passes a gradient of exactly 1 or exactly 0. GELU and SiLU are
    smooth ReLUs that dip slightly below zero and have a small negative slope on the left.

    ### Dead ReLUs

    A ReLU unit whose pre-activation is negative for *every* input outputs 0 for every input,
    and its backward multiplies by 0: its weights get no gradient, so it can never recover.
    Below, a `Linear(16, 64)` + ReLU sees a batch of 256 random inputs. Shift all its biases
    down (as a bad initialisation or a too-large learning-rate step can) and watch units die.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    bias_shift = mo.ui.slider(start=-3.0, stop=1.5, step=0.1, value=-1.3, label="bias shift",
                              show_value=True)
    bias_shift
    return (bias_shift,)


@app.cell(hide_code=True)
def _(nn, tinytorch):
    tinytorch.manual_seed(0)
    dead_inputs = tinytorch.randn(256, 16)
    dead_layer = nn.Linear(16, 64)
    return dead_inputs, dead_layer


@app.cell(hide_code=True)
def _(F, bias_shift, charts, dead_inputs, dead_layer, mo, np, tinytorch):
    _z = dead_layer(dead_inputs).detach()
    _sweep = [{"bias shift": float(s), "dead units (%)": 100 * float((F.relu(_z + float(s)).amax(0) == 0)
                                                                     .numpy().mean())}
              for s in np.round(np.arange(-3.0, 1.51, 0.1), 1)]
    # The chosen shift, as a real layer: forward, then backward, then look at the weight gradients.
    _w = tinytorch.tensor(dead_layer.weight.numpy(), requires_grad=True)
    _b = tinytorch.tensor(dead_layer.bias.numpy() + bias_shift.value, requires_grad=True)
    _h = F.relu(F.linear(dead_inputs, _w, _b))
    _h.sum().backward()
    _dead = (_h.amax(0) == 0).numpy()
    _no_grad = np.abs(_w.grad.numpy()).sum(axis=1) == 0
    _mark = [{"bias shift": bias_shift.value, "dead units (%)": 100 * float(_dead.mean())}]
    mo.vstack([
        mo.md(f"**{int(_dead.sum())} of 64 units never fire** on these 256 inputs. After "
              f"`backward()`, **{int(_no_grad.sum())} weight rows have a gradient of exactly 0**: "
              "the same units, which no optimizer step can move."),
        mo.hstack([
            charts.marked_line(_sweep, "bias shift", "dead units (%)", _mark,
                               title="units that never fire, as the biases shift", width=300),
            charts.landscape(_h.numpy()[:32], np.arange(64), np.arange(32), x_title="unit",
                             y_title="input", value_title="output", scheme="blues", width=420, height=210,
                             title="ReLU outputs, 32 inputs x 64 units: dead units are blank columns"),
        ]),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Softmax overflow

    Multiply four fixed logits $(2, 1, 0.5, -1)$ by a growing scale and take the softmax in
    float32 two ways: the textbook $e^{x_i} / \sum_j e^{x_j}$ in NumPy, and tinytorch's
    `F.softmax`, which subtracts the max first. Past a scale of about 44, $e^{2 \cdot 45}$ is
    `inf`, and `inf / inf` is `nan`; slide below 44 and the two agree.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    logit_scale = mo.ui.slider(start=1, stop=150, step=1, value=50, label="logit scale",
                               show_value=True)
    logit_scale
    return (logit_scale,)


@app.cell(hide_code=True)
def _(F, charts, logit_scale, mo, np, tinytorch):
    _base = np.array([2.0, 1.0, 0.5, -1.0], dtype=np.float32)

    def _both(scale):
        z = _base * np.float32(scale)
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            naive = e / e.sum()
        return z, e, naive, F.softmax(tinytorch.tensor(z)).numpy()

    _sweep = []
    for _s in range(1, 151):
        _, _, _naive, _stable = _both(_s)
        _sweep += [{"scale": _s, "finite outputs": int(np.isfinite(_naive).sum()), "softmax": "naive NumPy"},
                   {"scale": _s, "finite outputs": int(np.isfinite(_stable).sum()), "softmax": "tinytorch"}]
    _z, _e, _naive, _stable = _both(logit_scale.value)
    _marks = [r for r in _sweep if r["scale"] == logit_scale.value]
    _rows = "\n".join(f"| {a:g} | {b:.4g} | {c:.4g} | {d:.4g} |"
                      for a, b, c, d in zip(_z, _e, _naive, _stable, strict=True))
    mo.vstack([
        mo.md(f"At scale {logit_scale.value}, the logits are {_z.tolist()}:"),
        mo.hstack([
            mo.md(f"| logit | naive $e^x$ | naive softmax | tinytorch softmax |\n|---|---|---|---|\n{_rows}\n"
                  f"| **sum** | {_e.sum():.4g} | {_naive.sum():.4g} | {_stable.sum():.4g} |"),
            charts.marked_line(_sweep, "scale", "finite outputs", _marks, color="softmax", width=300,
                               title="how many of the 4 outputs are finite"),
        ], align="center"),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Write the sigmoid's forward *and* backward, as a tinytorch op does: return
    `(y, grad_x)` where `y = sigmoid(x)` and `grad_x = grad * dy/dx` for an upstream gradient
    `grad`. It must work for any float32 input, `x = -1000` included, and keep float32. The
    checks run with NumPy's overflow warnings turned into errors.
    """)
    return


@app.cell
def _(np):
    def sigmoid_forward_backward(x: np.ndarray, grad: np.ndarray) -> tuple:
        # Your code here. Forward: y = 1 / (1 + e^-x), but never compute e^(big number).
        # Backward: the chain rule, grad times the sigmoid's local derivative.
        raise NotImplementedError

    return (sigmoid_forward_backward,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, sigmoid_forward_backward):
    checks.feedback(exercises.SIGMOID, sigmoid_forward_backward, app="02_activations")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Write a softmax along `axis` that never overflows and never divides 0 by 0,
    whatever the scale of each row.
    """)
    return


@app.cell
def _(np):
    def stable_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
        # Your code here: exponentiate, then divide by the sum along `axis`, safely.
        raise NotImplementedError

    return (stable_softmax,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, stable_softmax):
    checks.feedback(exercises.SOFTMAX, stable_softmax, app="02_activations")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: what an activation costs per element

    Every activation reads its input once and writes its output once, so all of them should
    cost about the same per element... unless the maths is expensive. ReLU is one comparison;
    the exact GELU evaluates a polynomial and an exponential. Press the button to time
    tinytorch's forward pass of each on your machine, from tiny to large inputs.
    """)
    return


@app.cell(hide_code=True)
def _():
    # The workload (tests/apps/quick.py shrinks it for the pressed-button test).
    budget = {"sizes": [2**k for k in range(8, 19, 2)]}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure activation time vs size")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(
    F,
    budget,
    activation_table,
    charts,
    measure,
    measure_button,
    mo,
    progress,
    tinytorch,
):
    mo.stop(not measure_button.value, progress.waiting("measure"))
    _fns = {k: v for k, v in activation_table(0.01).items() if k != "Softmax"}
    _fns["Softmax (rows of 64)"] = lambda t: F.softmax(t.reshape(-1, 64))
    _rows = []
    for _name, _fn in _fns.items():
        def _make(n, fn=_fn):
            x = tinytorch.randn(n)
            return lambda: fn(x)

        _rows += measure.scaling(_make, budget["sizes"], label=_name)
    for _row in _rows:
        _row["ns per element"] = _row["seconds"] / _row["n"] * 1e9
    _largest = {r["label"]: r["ns per element"] for r in _rows if r["n"] == budget["sizes"][-1]}
    _ranked = sorted(_largest, key=_largest.get)
    results = {"ns_per_element": _largest, "cheapest": _ranked[0], "dearest": _ranked[-1]}
    mo.vstack([
        charts.line(_rows, "n", "ns per element", color="label", log_x=True, log_y=True, width=520,
                    title="forward time per element (best of 3)"),
        mo.md(f"At n = {budget['sizes'][-1]:,}: cheapest **{_ranked[0]}** "
              f"({_largest[_ranked[0]]:.2f} ns/element), dearest **{_ranked[-1]}** "
              f"({_largest[_ranked[-1]]:.2f} ns/element, "
              f"{_largest[_ranked[-1]] / _largest[_ranked[0]]:.1f}x). Small inputs cost far more per "
              "element: there the fixed overhead of each call (Python, the autograd wrapper) dominates."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - An activation's backward multiplies the upstream gradient by $f'(x)$: sigmoid and tanh
      saturate (slope near 0), ReLU passes 1 or 0, GELU and SiLU are smooth in between.
    - A ReLU unit that never fires gets no gradient and stays dead: watch the biases.
    - Softmax must subtract the max: $e^{89}$ overflows float32, and `inf / inf` is `nan`.
    - Per element, activations are cheap next to a matrix multiply, and the exotic ones cost
      a few times more than ReLU.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-02")
    return


if __name__ == "__main__":
    app.run()
