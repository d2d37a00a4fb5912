# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="04 Losses")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn.functional as F
    from tinytorch.course import charts, checks, measure, progress
    from tinytorch.course.exercises import losses as exercises

    return F, charts, checks, exercises, measure, mo, np, progress, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 04 · Losses

    **Goal.** By the end of this module you can say why classifiers are trained with
    cross-entropy rather than squared error, read a loss landscape, and compute
    cross-entropy so that logits of 1000 give a finite loss and a finite gradient.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A loss turns the model's output and the right answer into one number; its gradient says how
    to change the output to lower it.

    **Mean squared error**, for regression: $\displaystyle \mathrm{MSE} = \frac1N \sum_n (\hat y_n - y_n)^2$,
    with gradient $\frac2N(\hat y_n - y_n)$: proportional to the error.

    **Cross-entropy**, for classification: the model outputs **logits** $z \in \mathbb{R}^C$,
    softmax turns them into probabilities, and the loss is minus the log-probability of the
    right class $t$:

    $$\mathrm{CE}(z, t) = -\log \frac{e^{z_t}}{\sum_j e^{z_j}} = -z_t + \log \sum_j e^{z_j},
    \qquad \frac{\partial\, \mathrm{CE}}{\partial z_j} = \mathrm{softmax}(z)_j - [j = t].$$

    A confidently wrong model ($z_t \ll \max_j z_j$) gets a loss that grows linearly and a
    gradient near $-1$ on $z_t$: it keeps being pushed. Squared error on the probabilities
    instead multiplies by the softmax's slope, which is near 0 exactly there.

    **Log-sum-exp.** With $m = \max_j z_j$, $\log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}$:
    every exponent is $\le 0$, so nothing overflows, and the log is never taken of a
    probability that has been rounded to 0. tinytorch's `F.cross_entropy` is one fused op that
    does exactly this, and whose backward is simply $\mathrm{softmax}(z) - \mathrm{onehot}(t)$.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: the loss as one logit moves

    Three classes, the right one is class 0. Its logit $z$ moves along the x-axis; the other
    two logits are fixed at $(c, 0)$. Both losses and their gradients with respect to $z$
    come from tinytorch (`F.cross_entropy`, and `F.mse_loss` of `F.softmax` against the
    one-hot target), the gradients from `backward()`.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    other_logit = mo.ui.slider(start=-4.0, stop=6.0, step=0.5, value=2.0, label="competing logit c",
                               show_value=True)
    z_mark = mo.ui.slider(start=-10.0, stop=10.0, step=0.25, value=-4.0, label="mark z =",
                          show_value=True)
    mo.hstack([other_logit, z_mark], justify="start")
    return other_logit, z_mark


@app.cell(hide_code=True)
def _(F, np, tinytorch):
    def one_logit_losses(zs, other: float) -> dict:
        """For each z: CE and MSE-on-probabilities of logits (z, other, 0) with class 0 right,
        and each loss's derivative with respect to z (from backward)."""
        base = np.stack([zs, np.full_like(zs, other), np.zeros_like(zs)], axis=1).astype(np.float32)
        target = np.zeros(len(zs), dtype=np.int64)
        onehot = np.eye(3, dtype=np.float32)[target]
        out = {}
        for name in ("cross-entropy", "MSE on probabilities"):
            logits = tinytorch.tensor(base, requires_grad=True)
            if name == "cross-entropy":
                per_row = F.cross_entropy(logits, target, reduction="none")
            else:
                per_row = F.mse_loss(F.softmax(logits, axis=1), onehot, reduction="none").sum(axis=1)
            per_row.sum().backward()  # rows are independent: each row's gradient is its own
            out[name] = (per_row.numpy(), logits.grad.numpy()[:, 0])
        return out

    return (one_logit_losses,)


@app.cell(hide_code=True)
def _(charts, mo, np, one_logit_losses, other_logit, z_mark):
    _zs = np.linspace(-10, 10, 201, dtype=np.float32)
    _curves = [{"z": float(z), "loss": float(l), "dloss/dz": float(g), "loss function": name}
               for name, (ls, gs) in one_logit_losses(_zs, other_logit.value).items()
               for z, l, g in zip(_zs, ls, gs, strict=True)]
    _at = one_logit_losses(np.array([z_mark.value], dtype=np.float32), other_logit.value)
    _marks = [{"z": z_mark.value, "loss": float(ls[0]), "dloss/dz": float(gs[0]), "loss function": name}
              for name, (ls, gs) in _at.items()]
    _ce, _mse = _at["cross-entropy"], _at["MSE on probabilities"]
    mo.vstack([
        mo.hstack([
            charts.marked_line(_curves, "z", "loss", _marks, color="loss function", width=260,
                               title="loss"),
            charts.marked_line(_curves, "z", "dloss/dz", _marks, color="loss function", width=260,
                               title="its gradient with respect to z"),
        ]),
        mo.md(f"At z = {z_mark.value:g}: cross-entropy {_ce[0][0]:.3f} with gradient "
              f"**{_ce[1][0]:.3f}**; MSE {_mse[0][0]:.3f} with gradient **{_mse[1][0]:.4f}**. "
              "Slide z far left, a confidently wrong model: cross-entropy keeps a gradient near -1, "
              "while squared error's gradient fades towards 0 and learning stalls."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### A loss landscape

    A tiny model, logistic regression on one feature: $p(y = 1 \mid x) = \sigma(w x + b)$, with
    40 points, class 0 around $x = -1$ and class 1 around $x = +1$. Each cell below is the loss
    of the whole dataset at one $(w, b)$, computed by tinytorch for every cell at once:
    cross-entropy (`F.binary_cross_entropy_with_logits`) and squared error of $\sigma(wx + b)$
    against the labels. The dot is a model you can move; its gradient comes from `backward()`.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    spread = mo.ui.slider(start=0.2, stop=2.0, step=0.1, value=1.0, label="class spread (std)",
                          show_value=True)
    probe_w = mo.ui.slider(start=-6.0, stop=6.0, step=0.25, value=-4.0, label="model w", show_value=True)
    probe_b = mo.ui.slider(start=-6.0, stop=6.0, step=0.25, value=1.0, label="model b", show_value=True)
    mo.hstack([spread, probe_w, probe_b], justify="start")
    return probe_b, probe_w, spread


@app.cell(hide_code=True)
def _(F, np, spread, tinytorch):
    tinytorch.manual_seed(0)
    _noise = tinytorch.randn(40).numpy()
    landscape_x = np.concatenate([-1 + spread.value * _noise[:20], 1 + spread.value * _noise[20:]])
    landscape_y = np.repeat(np.array([0.0, 1.0], dtype=np.float32), 20)

    def landscape_losses(w, b) -> dict:
        """Mean loss over the data for each (w, b) pair (tensors of shape (G, 1))."""
        logits = w * tinytorch.tensor(landscape_x[None, :].astype(np.float32)) + b
        y = np.broadcast_to(landscape_y, logits.shape)
        return {
            "cross-entropy": F.binary_cross_entropy_with_logits(logits, y, reduction="none").mean(axis=1),
            "squared error": F.mse_loss(F.sigmoid(logits), y, reduction="none").mean(axis=1),
        }

    return (landscape_losses,)


@app.cell(hide_code=True)
def _(charts, landscape_losses, mo, np, probe_b, probe_w, tinytorch):
    _ws = np.linspace(-6, 6, 41, dtype=np.float32)
    _bs = np.linspace(-6, 6, 41, dtype=np.float32)
    _gw, _gb = np.meshgrid(_ws, _bs)  # rows follow b, columns follow w
    with tinytorch.no_grad():
        _grid = landscape_losses(tinytorch.tensor(_gw.reshape(-1, 1)), tinytorch.tensor(_gb.reshape(-1, 1)))
    _w = tinytorch.tensor([[probe_w.value]], requires_grad=True)
    _b = tinytorch.tensor([[probe_b.value]], requires_grad=True)
    _maps, _table = [], []
    for _name, _losses in _grid.items():
        _values = _losses.numpy().reshape(41, 41)
        _i, _j = np.unravel_index(np.argmin(_values), _values.shape)
        _w.grad = _b.grad = None
        _at = landscape_losses(_w, _b)[_name].sum()
        _at.backward()
        _marks = [{"x": float(_ws[_j]), "y": float(_bs[_i]), "label": "lowest cell"},
                  {"x": probe_w.value, "y": probe_b.value, "label": "your model"}]
        _maps.append(charts.landscape(_values, _ws, _bs, x_title="w", y_title="b", title=_name,
                                      marks=_marks, width=260))
        _norm = float(np.hypot(_w.grad.item(), _b.grad.item()))
        _table.append(f"| {_name} | {_at.item():.3f} | {_w.grad.item():+.4f} | {_b.grad.item():+.4f} | "
                      f"{_norm:.4f} |")
    mo.vstack([
        mo.hstack(_maps, justify="start"),
        mo.md(f"At your model (w = {probe_w.value:g}, b = {probe_b.value:g}):\n\n"
              "| loss | value | dL/dw | dL/db | gradient length |\n|---|---|---|---|---|\n"
              + "\n".join(_table) + "\n\nWith w negative the model is confidently wrong. Cross-entropy's "
              "bowl slopes all the way down to the minimum; squared error has flat plateaus where the "
              "sigmoid saturates, and its gradient there is tiny."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Naive vs stable cross-entropy on large logits

    Two examples with logits $s \cdot (1, 0, -3)$ (right class: the last) and
    $s \cdot (0.5, 1, 0)$ (right class: the middle), in float32, three ways:

    - **naive** NumPy: $p = e^z / \sum e^z$, loss $= -\log p_t$, gradient $(p - \mathrm{onehot}) / N$;
    - **softmax, then log**: tinytorch's stable `F.softmax`, then `.log()`, then `F.nll_loss`,
      with backward;
    - **fused**: tinytorch's `F.cross_entropy` (log-sum-exp), with backward.

    Grow the scale: once the right class trails by about 103 (float32's smallest number is
    $e^{-103}$), its probability rounds to 0 and $-\log 0 = \infty$, and the backward of that log
    divides by 0; past 89, $e^z$ itself overflows and the naive version turns to `nan`.
    """)
    return


@app.cell(hide_code=True)
def _(F, np, tinytorch):
    def naive_cross_entropy(logits: np.ndarray, target: np.ndarray):
        """The textbook formula, straight in NumPy: (mean loss, gradient)."""
        n = len(target)
        with np.errstate(all="ignore"):
            e = np.exp(logits)
            p = e / e.sum(axis=1, keepdims=True)
            loss = -np.log(p[np.arange(n), target]).mean()
            grad = p.copy()
            grad[np.arange(n), target] -= 1
        return float(loss), grad / n

    def softmax_then_log(logits: tinytorch.Tensor, target: np.ndarray):
        """Stable softmax, but the log is taken of probabilities: unfused, three graph nodes."""
        with np.errstate(all="ignore"):
            return F.nll_loss(F.softmax(logits, axis=1).log(), target)

    def with_gradient(loss_fn, logits: np.ndarray, target: np.ndarray):
        """A tinytorch loss and its gradient with respect to the logits."""
        z = tinytorch.tensor(logits, requires_grad=True)
        with np.errstate(all="ignore"):
            loss = loss_fn(z, target)
            loss.backward()
        return float(loss.item()), z.grad.numpy()

    return naive_cross_entropy, softmax_then_log, with_gradient


@app.cell(hide_code=True)
def _(mo):
    ce_scale = mo.ui.slider(start=1, stop=150, step=1, value=40, label="logit scale s", show_value=True)
    ce_scale
    return (ce_scale,)


@app.cell(hide_code=True)
def _(
    F,
    ce_scale,
    charts,
    mo,
    naive_cross_entropy,
    np,
    softmax_then_log,
    with_gradient,
):
    _base = np.array([[1.0, 0.0, -3.0], [0.5, 1.0, 0.0]], dtype=np.float32)
    _target = np.array([2, 1])

    def _three_ways(scale):
        z = _base * np.float32(scale)
        return {"naive NumPy": naive_cross_entropy(z, _target),
                "softmax, then log": with_gradient(softmax_then_log, z, _target),
                "fused F.cross_entropy": with_gradient(F.cross_entropy, z, _target)}

    def _status(value):
        return "finite" if np.all(np.isfinite(value)) else ("nan" if np.any(np.isnan(value)) else "inf")

    _sweep = [{"scale": s, "method": f"{name}: {part}", "result": _status(value)}
              for s in range(1, 151, 2) for name, (loss, grad) in _three_ways(s).items()
              for part, value in (("loss", loss), ("gradient", grad))]
    _now = _three_ways(ce_scale.value)
    _rows = "\n".join(f"| {name} | {loss:.4g} | `{np.array2string(grad[0], precision=3)}` |"
                      for name, (loss, grad) in _now.items())
    mo.vstack([
        mo.md(f"At s = {ce_scale.value}:\n\n| method | mean loss | gradient, first example |\n"
              f"|---|---|---|\n{_rows}"),
        charts.strips(_sweep, "scale", "method", "result", mark_x=ce_scale.value, width=460,
                      colors={"finite": "#59a14f", "inf": "#f28e2b", "nan": "#e15759"},
                      title="is each result finite, as the logit scale grows? (dashed: your s)"),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Compute the mean softmax cross-entropy of `logits` `(N, C)` against integer
    classes `target` `(N,)`, for any logits: the checks include logits of 1000 and a right
    class that trails the others by 200, and turn NumPy's overflow and `log(0)` into errors.
    """)
    return


@app.cell
def _(np):
    def cross_entropy(logits: np.ndarray, target: np.ndarray) -> float:
        # Your code here: the mean over rows of -log softmax(logits)[target], computed stably.
        raise NotImplementedError

    return (cross_entropy,)


@app.cell(hide_code=True)
def _(checks, cross_entropy, exercises, mo):
    checks.feedback(exercises.CROSS_ENTROPY, cross_entropy, app="04_losses")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Now its gradient: return $\partial\,\text{loss} / \partial\,\text{logits}$,
    an `(N, C)` array, for the *mean* loss above. tinytorch's backward is the reference.
    """)
    return


@app.cell
def _(np):
    def cross_entropy_grad(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
        # Your code here: softmax minus one-hot, for a mean over N rows.
        raise NotImplementedError

    return (cross_entropy_grad,)


@app.cell(hide_code=True)
def _(checks, cross_entropy_grad, exercises, mo):
    checks.feedback(exercises.CROSS_ENTROPY_GRAD, cross_entropy_grad, app="04_losses")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: what fusing buys

    The fused op computes log-softmax once and keeps one `(N, C)` array for its backward;
    softmax-then-log builds three graph nodes that each keep their own. Press the button to time
    all of them and measure the memory each call allocates, on a batch of 64 as the number of
    classes grows (10 for digits, 50,000 for a language model's vocabulary).
    """)
    return


@app.cell(hide_code=True)
def _():
    # The workload (tests/apps/quick.py shrinks it for the pressed-button test).
    budget = {"classes": [10, 100, 1000, 10000, 50000]}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure cross-entropy time vs classes")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(
    F,
    budget,
    charts,
    measure,
    measure_button,
    mo,
    naive_cross_entropy,
    progress,
    softmax_then_log,
    tinytorch,
):
    mo.stop(not measure_button.value, progress.waiting("measure"))
    _batch = 64

    def _inputs(classes):
        tinytorch.manual_seed(0)
        z = tinytorch.randn(_batch, classes, requires_grad=True)
        return z, (tinytorch.rand(_batch) * classes).long().numpy()

    def _forward_backward(loss_fn):
        def make(classes):
            z, t = _inputs(classes)

            def step():
                z.grad = None
                loss_fn(z, t).backward()

            return step
        return make

    def _naive(classes):
        z, t = _inputs(classes)
        return lambda: naive_cross_entropy(z.numpy(), t)

    def _fused_forward(classes):
        z, t = _inputs(classes)
        return lambda: F.cross_entropy(z.detach(), t)

    _runs = {"naive NumPy (+ gradient)": _naive, "fused, forward": _fused_forward,
             "fused, fwd + bwd": _forward_backward(F.cross_entropy),
             "softmax → log, fwd + bwd": _forward_backward(softmax_then_log)}
    _rows = {label: measure.scaling(make, budget["classes"], label, memory=True)
             for label, make in _runs.items()}
    _times = [{"classes": r["n"], "microseconds": r["seconds"] * 1e6, "method": r["label"]}
              for rows in _rows.values() for r in rows]
    _memory = [{"classes": r["n"], "MB": r["bytes"] / 1e6, "method": r["label"]}
               for rows in _rows.values() for r in rows]
    _fused, _unfused = _rows["fused, fwd + bwd"][-1], _rows["softmax → log, fwd + bwd"][-1]
    _ratio, _speed = _unfused["bytes"] / _fused["bytes"], _unfused["seconds"] / _fused["seconds"]
    results = {"unfused_time_ratio": _speed, "unfused_memory_ratio": _ratio}
    mo.vstack([
        mo.hstack([
            charts.line(_times, "classes", "microseconds", color="method", log_x=True, log_y=True,
                        width=230, title=f"time, batch {_batch} (best of 3)"),
            charts.line(_memory, "classes", "MB", color="method", log_x=True, log_y=True, width=230,
                        title="memory allocated per call (peak)"),
        ], justify="start"),
        mo.md(f"At {budget['classes'][-1]:,} classes, softmax-then-log takes **{_speed:.1f}x** the time and "
              f"allocates **{_ratio:.1f}x** the memory of the fused op, and it still returns inf on the "
              "logits above."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - MSE suits regression; for classification, cross-entropy keeps a useful gradient when the
      model is confidently wrong, where squared error on probabilities stalls.
    - Cross-entropy's gradient with respect to the logits is simply softmax minus one-hot.
    - Never take the log of a softmax: compute log-softmax with log-sum-exp, in one fused op,
      which is both the stable and the cheaper way.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-04")
    return


if __name__ == "__main__":
    app.run()
