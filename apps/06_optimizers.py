# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="06 Optimizers")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch.course import charts, checks, measure, progress
    from tinytorch.course.exercises import optimizers as exercises

    alt = charts.altair()  # imported after tinytorch.course: quicker in the browser

    return alt, charts, checks, exercises, measure, mo, nn, np, progress, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 06 · Optimizers

    **Goal.** By the end of this module you can say how SGD, momentum and Adam turn the same
    gradients into different paths, why a learning rate that is too large diverges and one
    too small crawls, write a momentum step and an Adam step yourself, and say what each
    optimizer costs in memory: Adam keeps two extra numbers for every weight.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    Training minimises a loss $L(w)$ with its gradient $g_t = \nabla L(w_t)$. Three update rules:

    **SGD** steps straight downhill: $\quad w_{t+1} = w_t - \eta\, g_t$.
    In a long narrow valley the steep direction limits $\eta$ (past $\eta = 2/\lambda_{\max}$, with
    $\lambda_{\max}$ the steepest curvature, it diverges) and the shallow direction then crawls.

    **Momentum** keeps a velocity, a running sum of past gradients, so consistent directions
    build up speed and zig-zags cancel:

    $$v_{t+1} = \mu\, v_t + g_t, \qquad w_{t+1} = w_t - \eta\, v_{t+1}.$$

    **Adam** keeps running averages of the gradient and of its square, corrects their start at
    zero, and divides: each weight gets its own step size, about $\eta$ whatever the scale of
    its gradient:

    $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,$$
    $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}, \quad
    w_{t+1} = w_t - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.$$

    **Memory.** For $P$ parameters in float32: weights $4P$ bytes, gradients $4P$, and state:
    nothing for SGD, $4P$ for momentum ($v$), $8P$ for Adam ($m$ and $v$).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: three optimizers on one surface

    Each path is a real `tinytorch.optim` optimizer moving a `Parameter` of shape `(2,)`,
    with the gradient from `backward()`. Pick a surface, then move the learning rates.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    surface = mo.ui.dropdown(
        options={
            "narrow valley: f = (x² + 25 y²) / 2": {
                "f": lambda x, y: 0.5 * (x**2 + 25 * y**2), "start": (-4.5, 1.2),
                "x": (-5.0, 5.0), "y": (-2.0, 2.0), "minimum": (0.0, 0.0), "f_min": 0.0,
                "lr": 0.05, "adam_lr": 0.1},
            "Rosenbrock's banana: f = (1 − x)² + 100 (y − x²)²": {
                "f": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, "start": (-1.2, 1.0),
                "x": (-2.0, 2.0), "y": (-1.0, 3.0), "minimum": (1.0, 1.0), "f_min": 0.0,
                "lr": 0.001, "adam_lr": 0.1},
            "saddle: f = x² + y⁴/4 − y²/2": {
                "f": lambda x, y: x**2 + y**4 / 4 - y**2 / 2, "start": (2.0, 0.001),
                "x": (-2.5, 2.5), "y": (-2.0, 2.0), "minimum": (0.0, 1.0), "f_min": -0.25,
                "lr": 0.1, "adam_lr": 0.1},
        },
        value="narrow valley: f = (x² + 25 y²) / 2", label="loss surface")
    surface
    return (surface,)


@app.cell(hide_code=True)
def _(alt):
    # One colour per optimizer, the same in every chart below.
    optimizer_colors = alt.Scale(domain=["SGD", "SGD + momentum", "Adam"],
                                 range=["#4fc3f7", "#ff9800", "#ff4fd8"])
    return (optimizer_colors,)


@app.cell(hide_code=True)
def _(mo, surface):
    _rates = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
    lr = mo.ui.slider(steps=_rates, value=surface.value["lr"], label="SGD / momentum η", show_value=True)
    momentum = mo.ui.slider(0.0, 0.99, 0.01, value=0.9, label="momentum μ", show_value=True)
    adam_lr = mo.ui.slider(steps=_rates, value=surface.value["adam_lr"], label="Adam η", show_value=True)
    beta1 = mo.ui.slider(0.0, 0.99, 0.01, value=0.9, label="β₁", show_value=True)
    beta2 = mo.ui.slider(steps=[0.9, 0.99, 0.999, 0.9999], value=0.999, label="β₂", show_value=True)
    steps = mo.ui.slider(10, 500, 10, value=200, label="steps", show_value=True)
    mo.vstack([mo.hstack([lr, momentum, steps], justify="start"),
               mo.hstack([adam_lr, beta1, beta2], justify="start")])
    return adam_lr, beta1, beta2, lr, momentum, steps


@app.cell
def _(nn, np):
    def trajectory(make_optimizer, spec: dict, steps: int) -> list[dict]:
        """Where an optimizer takes the point (x, y) on spec's surface, step by step; stops early
        if it runs off (a learning rate too large diverges)."""
        p = nn.Parameter(np.array(spec["start"], dtype=np.float64))
        optimizer = make_optimizer([p])
        path = []
        for step in range(steps + 1):
            loss = spec["f"](p[0], p[1])
            path.append({"step": step, "x": float(p.data[0]), "y": float(p.data[1]), "f": loss.item()})
            if step == steps or not np.isfinite(loss.item()) or np.abs(p.data).max() > 1e3:
                break
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return path

    return (trajectory,)


@app.cell
def _(adam_lr, beta1, beta2, lr, momentum, steps, surface, tinytorch, trajectory):
    _optimizers = {
        "SGD": lambda ps: tinytorch.optim.SGD(ps, lr=lr.value),
        "SGD + momentum": lambda ps: tinytorch.optim.SGD(ps, lr=lr.value, momentum=momentum.value),
        "Adam": lambda ps: tinytorch.optim.Adam(ps, lr=adam_lr.value, betas=(beta1.value, beta2.value)),
    }
    paths = {name: trajectory(make, surface.value, steps.value) for name, make in _optimizers.items()}
    return (paths,)


@app.cell(hide_code=True)
def _(alt, charts, mo, np, optimizer_colors, paths, steps, surface, tinytorch):
    _spec = surface.value
    _xs, _ys = np.linspace(*_spec["x"], 60), np.linspace(*_spec["y"], 50)
    with tinytorch.no_grad():
        _grid = _spec["f"](tinytorch.tensor(_xs[None, :]), tinytorch.tensor(_ys[:, None])).numpy()
    _marks = [{"x": _spec["start"][0], "y": _spec["start"][1], "label": "start"},
              {"x": _spec["minimum"][0], "y": _spec["minimum"][1], "label": "minimum"}]
    _background = charts.landscape(np.log1p(_grid - _grid.min()), _xs, _ys, marks=_marks, width=340,
                                   title="colour: log(1 + f − min f)")
    _rows = [{**r, "optimizer": name} for name, path in paths.items() for r in path]
    _path = alt.Chart(charts.fast_data(_rows)).encode(x="x:Q", y="y:Q", order="step:Q", detail="optimizer:N")
    _colors = alt.Color("optimizer:N", scale=optimizer_colors)
    _halo = _path.mark_line(clip=True, strokeWidth=4.5, color="black", opacity=0.7)
    _lines = _path.mark_line(clip=True, strokeWidth=2, point=alt.OverlayMarkDef(size=14, clip=True)).encode(
        color=_colors, tooltip=["optimizer:N", "step:Q", "f:Q"])
    _gap = [{"step": r["step"], "f − min f": max(r["f"] - _spec["f_min"], 1e-16), "optimizer": r["optimizer"]}
            for r in _rows]
    _summary = "\n".join(
        f"| {name} | {len(path) - 1} | {path[-1]['f']:.4g} | "
        f"{np.hypot(path[-1]['x'] - _spec['minimum'][0], path[-1]['y'] - _spec['minimum'][1]):.3g} | "
        f"{'**diverged**' if len(path) - 1 < steps.value else ''} |" for name, path in paths.items())
    mo.vstack([
        mo.hstack([(_background + _halo + _lines).resolve_scale(color="independent"),
                   charts.line(_gap, "step", "f − min f", color="optimizer", log_y=True,
                               title="distance to the minimum value", width=260)
                   .encode(color=alt.Color("optimizer:N", scale=optimizer_colors, legend=None))],
                  justify="start"),
        mo.md("| optimizer | steps | final f | distance to the minimum | |\n|---|---|---|---|---|\n"
              + _summary),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    Things to try: the narrow valley's steep direction has curvature 25, so SGD is stable only
    below $\eta = 2/25 = 0.08$: try 0.02 (smooth, slow along x), 0.05 (zig-zags across the
    valley) and 0.1 (diverges). Set momentum to 0 and its path is plain SGD's.
    On the banana, SGD crawls along the valley floor where momentum rolls. On the saddle the
    gradient starts tiny: SGD waits dozens of steps to escape, Adam's normalised step does not.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### What the optimizer's state costs

    An MLP for MNIST-sized inputs, $784 \to w \to w \to 10$, one training step with each
    optimizer, then `optimizer.memory()`: the bytes held by the weights, their gradients and the
    optimizer's own state, measured on the arrays themselves.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    width = mo.ui.slider(steps=[32, 64, 128, 256, 512, 1024], value=256, label="hidden width w",
                         show_value=True)
    width
    return (width,)


@app.cell(hide_code=True)
def _(charts, mo, nn, tinytorch, width):
    _optimizers = {
        "SGD": lambda ps: tinytorch.optim.SGD(ps, lr=0.01),
        "SGD + momentum": lambda ps: tinytorch.optim.SGD(ps, lr=0.01, momentum=0.9),
        "Adam": lambda ps: tinytorch.optim.Adam(ps, lr=1e-3),
    }
    _x, _y = tinytorch.randn(32, 784), tinytorch.tensor([i % 10 for i in range(32)])
    _rows, _totals = [], {}
    for _name, _make in _optimizers.items():
        _model = nn.Sequential(nn.Linear(784, width.value), nn.ReLU(), nn.Linear(width.value, width.value),
                               nn.ReLU(), nn.Linear(width.value, 10))
        _optimizer = _make(_model.parameters())
        nn.functional.cross_entropy(_model(_x), _y).backward()
        _optimizer.step()
        _memory = _optimizer.memory()
        _rows += [{"optimizer": _name, "MB": _bytes / 1e6, "held by": _part.replace("_", " ")}
                  for _part, _bytes in _memory.items()]
        _totals[_name] = {k: v / _memory["parameters"] for k, v in _memory.items()}
    _adam = _totals["Adam"]
    _big_model = 7e9 * _model.parameters().__next__().element_size() / 1e9
    mo.vstack([
        charts.stacked_bar(_rows, "optimizer", "MB", "held by",
                           title=f"{_model.num_parameters():,} parameters"),
        mo.md("In units of the parameters' own bytes (measured):\n\n"
              "| optimizer | weights + state | + gradients |\n|---|---|---|\n" + "\n".join(
                  f"| {n} | {t['parameters'] + t['optimizer_state']:.2f}× | {sum(t.values()):.2f}× |"
                  for n, t in _totals.items())
              + f"\n\nAdam needs **{_adam['parameters'] + _adam['optimizer_state']:.2f}×** the parameter "
              f"memory (**{sum(_adam.values()):.2f}×** with the gradients): for a 7-billion-parameter "
              f"model in float32, {_big_model:.0f} GB of weights need "
              f"{_big_model * sum(_adam.values()):.0f} GB to train with Adam."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** One step of SGD with momentum on NumPy arrays. Return the new weights and
    the new velocity; the checks run your step several times and compare with
    `tinytorch.optim.SGD(momentum=...)`.
    """)
    return


@app.cell
def _():
    def momentum_step(w, g, velocity, lr, momentum):
        # Your code here: update the velocity, then the weights. Return (w, velocity).
        raise NotImplementedError

    return (momentum_step,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, momentum_step):
    checks.feedback(exercises.MOMENTUM, momentum_step, app="06_optimizers")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** One step of Adam. `t` is the step number, 1 on the first step; `m` and `v`
    start at zeros. Return the new `(w, m, v)`, checked against `tinytorch.optim.Adam` over
    several steps.
    """)
    return


@app.cell
def _():
    def adam_step(w, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        # Your code here: update m and v, correct their bias, then step w (np.sqrt is available).
        raise NotImplementedError

    return (adam_step,)


@app.cell(hide_code=True)
def _(adam_step, checks, exercises, mo):
    checks.feedback(exercises.ADAM, adam_step, app="06_optimizers")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: step time and state bytes against model size

    One `optimizer.step()` on a single parameter tensor of $P$ numbers, for growing $P$. Every
    step reads and writes each weight, so time should grow linearly with $P$; Adam does the most
    arithmetic per weight. Press the button to measure it on *your* machine.
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the measurement below (the tests shrink it).
    budget = {"sizes": (1_000, 10_000, 100_000, 1_000_000)}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure optimizer steps")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(alt, budget, charts, measure, measure_button, mo, nn, optimizer_colors, progress, tinytorch):
    mo.stop(not measure_button.value, progress.waiting("measure"))
    _optimizers = {
        "SGD": lambda ps: tinytorch.optim.SGD(ps, lr=1e-3),
        "SGD + momentum": lambda ps: tinytorch.optim.SGD(ps, lr=1e-3, momentum=0.9),
        "Adam": lambda ps: tinytorch.optim.Adam(ps, lr=1e-3),
    }
    _rows = []
    for _n in mo.status.progress_bar(budget["sizes"], title="measuring"):
        for _name, _make in _optimizers.items():
            _p = nn.Parameter(tinytorch.randn(_n))
            _p.grad = tinytorch.randn(_n)
            _optimizer = _make([_p])
            _optimizer.step()  # the first step creates the state
            _seconds = measure.best_time(_optimizer.step, repeat=3)
            _rows.append({"parameters": _n, "optimizer": _name, "microseconds": 1e6 * _seconds,
                          "state bytes per parameter": _optimizer.memory()["optimizer_state"] / _n})
    _n = budget["sizes"][-1]
    _big = {r["optimizer"]: r for r in _rows if r["parameters"] == _n}
    _state = {name: r["state bytes per parameter"] for name, r in _big.items()}
    _colors = alt.Color("optimizer:N", scale=optimizer_colors)
    results = {"adam_to_sgd_step_time": _big["Adam"]["microseconds"] / _big["SGD"]["microseconds"],
               "state_bytes_per_parameter": _state}
    mo.vstack([
        mo.hstack([charts.line(_rows, "parameters", "microseconds", color="optimizer", log_x=True,
                               log_y=True, title="time of one step", width=280).encode(color=_colors),
                   charts.line(_rows, "parameters", "state bytes per parameter", color="optimizer",
                               log_x=True, title="optimizer state", width=280)
                   .encode(color=alt.Color("optimizer:N", scale=optimizer_colors, legend=None))]),
        mo.md(f"At {_n:,} parameters an Adam step takes "
              f"**{_big['Adam']['microseconds'] / _big['SGD']['microseconds']:.1f}×** as long as an SGD "
              f"step ({_big['Adam']['microseconds']:,.0f} µs against {_big['SGD']['microseconds']:,.0f} µs) "
              f"and holds **{_state['Adam']:.0f} bytes** of state per parameter "
              f"({_state['Adam'] * _n / 1e6:.1f} MB), {_state['Adam'] / _state['SGD + momentum']:.0f}× "
              "what momentum keeps: every step reads and writes all of it."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - SGD's learning rate is capped by the steepest direction; momentum accumulates a velocity
      that speeds up consistent directions and damps zig-zags.
    - Adam scales each weight's step by a running RMS of its gradient, with bias correction
      for the averages' start at zero.
    - State costs memory: nothing for SGD, one copy of the weights for momentum, two for Adam,
      which is the ratio `optimizer.memory()` measured above.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-06")
    return


if __name__ == "__main__":
    app.run()
