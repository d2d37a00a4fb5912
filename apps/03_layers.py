# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="03 Layers")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    import tinytorch.nn.functional as F
    from tinytorch.course import charts, checks, measure, progress
    from tinytorch.course.exercises import layers as exercises

    return F, charts, checks, exercises, measure, mo, nn, np, progress, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 03 · Layers

    **Goal.** By the end of this module you can picture what a `Linear` layer does to its
    inputs (it moves, turns, stretches and shears space, but keeps lines straight), explain why
    stacking them only helps with an activation in between, and count a network's parameters,
    and so its memory, before you build it.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A `Linear(in_features, out_features)` layer holds a weight $W$ of shape
    `(out_features, in_features)`, as in PyTorch, and a bias $b$ of shape `(out_features,)`.
    For a batch $x$ of shape `(N, in_features)`:

    $$y = x W^\top + b, \qquad y_{n,i} = \sum_j x_{n,j}\, W_{i,j} + b_i .$$

    Row $i$ of $W$ holds the weights of output $i$. With two inputs and two outputs, one point
    $(x_1, x_2)$ goes to

    $$\begin{pmatrix} y_1 \\ y_2 \end{pmatrix} =
    \begin{pmatrix} w_{11} & w_{12} \\ w_{21} & w_{22} \end{pmatrix}
    \begin{pmatrix} x_1 \\ x_2 \end{pmatrix} + \begin{pmatrix} b_1 \\ b_2 \end{pmatrix}:$$

    an **affine map**. Straight lines stay straight, parallel lines stay parallel, and every
    area is multiplied by $|\det W|$. Two such layers in a row are still one:
    $W_2(W_1 x + b_1) + b_2 = (W_2 W_1)\,x + (W_2 b_1 + b_2)$. A ReLU between them breaks
    that: it sets negative coordinates to 0, **folding** the plane.

    **Parameters**: $\text{in} \cdot \text{out}$ weights plus $\text{out}$ biases per layer.
    An MLP with sizes $n_0, n_1, \dots, n_L$ has $\sum_{l=1}^{L} (n_{l-1} n_l + n_l)$.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: a Linear layer moves the plane

    A grid of points and the letter F go through a tinytorch `nn.Linear(2, 2)` whose weight
    and bias are the numbers below. Pick a preset, then drag the entries (or double-click
    to type one).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    preset = mo.ui.dropdown(
        options={
            "shear": ([[1.0, 0.8], [0.0, 1.0]], [0.0, 0.0]),
            "rotate 30 degrees": ([[0.87, -0.5], [0.5, 0.87]], [0.0, 0.0]),
            "stretch and shift": ([[1.5, 0.0], [0.0, 0.5]], [0.5, -0.5]),
            "mirror": ([[-1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]),
            "squash onto a line (det 0)": ([[1.0, 0.5], [2.0, 1.0]], [0.0, 0.0]),
            "identity": ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]),
        },
        value="shear", label="preset")
    preset
    return (preset,)


@app.cell(hide_code=True)
def _(mo, preset):
    weight_input = mo.ui.matrix(preset.value[0], min_value=-3, max_value=3, step=0.05, precision=2,
                                row_labels=["out 1", "out 2"], column_labels=["in 1", "in 2"],
                                label="weight W (out x in)")
    bias_input = mo.ui.matrix(preset.value[1], min_value=-2, max_value=2, step=0.05, precision=2,
                              label="bias b")
    mo.hstack([weight_input, bias_input], justify="start", gap=2)
    return bias_input, weight_input


@app.cell(hide_code=True)
def _(np, tinytorch):
    def _segment(a, b, steps=12):
        t = np.linspace(0, 1, steps)[:, None]
        return (1 - t) * np.asarray(a) + t * np.asarray(b)

    def _plane():
        paths = []
        for v in np.linspace(-1, 1, 9):
            paths.append((f"h{v:+.2f}", "grid", _segment((-1, v), (1, v), 17)))
            paths.append((f"v{v:+.2f}", "grid", _segment((v, -1), (v, 1), 17)))
        corners = [(-0.3, -0.6), (-0.3, 0.6), (0.4, 0.6), (0.4, 0.42), (-0.12, 0.42), (-0.12, 0.1),
                   (0.25, 0.1), (0.25, -0.08), (-0.12, -0.08), (-0.12, -0.6), (-0.3, -0.6)]
        letter = np.concatenate([_segment(a, b) for a, b in zip(corners, corners[1:], strict=False)])
        paths.append(("F", "letter F", letter))
        meta = [(name, part, k) for name, part, pts in paths for k in range(len(pts))]
        points = np.concatenate([pts for _, _, pts in paths]).astype(np.float32)
        return tinytorch.tensor(points), meta

    plane_inputs, _meta = _plane()

    def plane_records(points) -> list[dict]:
        """Chart records for the plane's points after some transformation (same order)."""
        return [{"x": float(x), "y": float(y), "path": name, "part": part, "order": k}
                for (x, y), (name, part, k) in zip(points.numpy(), _meta, strict=True)]

    return plane_inputs, plane_records


@app.cell(hide_code=True)
def _(F, bias_input, nn, np, plane_inputs, tinytorch, weight_input):
    plane_layer = nn.Linear(2, 2)
    plane_layer.weight.data[...] = np.asarray(weight_input.value, dtype=np.float32)
    plane_layer.bias.data[...] = np.asarray(bias_input.value, dtype=np.float32).reshape(2)
    with tinytorch.no_grad():
        plane_moved = plane_layer(plane_inputs)
        plane_folded = F.relu(plane_moved)
    plane_extent = float(np.ceil(max(1.0, np.abs(plane_moved.numpy()).max()) * 1.05 * 2) / 2)
    return plane_extent, plane_folded, plane_layer, plane_moved


@app.cell(hide_code=True)
def _(
    charts,
    mo,
    np,
    plane_extent,
    plane_inputs,
    plane_layer,
    plane_moved,
    plane_records,
    tinytorch,
):
    _square = plane_layer(tinytorch.tensor([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])).numpy()
    _area = 0.5 * abs(float(np.dot(_square[:, 0], np.roll(_square[:, 1], -1))
                            - np.dot(_square[:, 1], np.roll(_square[:, 0], -1))))
    mo.vstack([
        mo.hstack([
            charts.paths(plane_records(plane_inputs), plane_extent, color="part", title="input x"),
            charts.paths(plane_records(plane_moved), plane_extent, color="part",
                         title="Linear(2, 2)(x) = x Wᵀ + b"),
        ], justify="start"),
        mo.md(f"The unit square comes out of the layer with area **{_area:.3f}** (= |det W|). "
              "Lines are still lines and the grid is still a grid of parallelograms; a det of 0 "
              "flattens the whole plane onto a line, and no later layer can get the lost "
              "dimension back."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Add a ReLU: the fold

    Now the same layer followed by `ReLU`. Every point with a negative coordinate is pushed onto
    an axis: the plane is folded, and straight lines bend where they cross an axis. That bend
    is what a second layer can build on.
    """)
    return


@app.cell(hide_code=True)
def _(
    F,
    charts,
    mo,
    nn,
    plane_extent,
    plane_folded,
    plane_inputs,
    plane_layer,
    plane_moved,
    plane_records,
    tinytorch,
):
    _clamped = float((plane_moved.numpy() < 0).any(axis=1).mean())
    # Two layers without an activation are one layer: W = W2 W1, b = W2 b1 + b2.
    tinytorch.manual_seed(1)
    _second = nn.Linear(2, 2)
    _merged = nn.Linear(2, 2)
    with tinytorch.no_grad():
        _merged.weight.data[...] = (_second.weight @ plane_layer.weight).numpy()
        _merged.bias.data[...] = (_second.weight @ plane_layer.bias + _second.bias).numpy()
        _linear_gap = float((_second(plane_layer(plane_inputs)) - _merged(plane_inputs)).abs().max().item())
        _relu_gap = float((_second(F.relu(plane_layer(plane_inputs))) - _merged(plane_inputs))
                          .abs().max().item())
    mo.vstack([
        mo.hstack([
            charts.paths(plane_records(plane_moved), plane_extent, color="part", title="Linear(x)"),
            charts.paths(plane_records(plane_folded), plane_extent, color="part",
                         title="ReLU(Linear(x))"),
        ], justify="start"),
        mo.md(f"""
        **{100 * _clamped:.0f}%** of the points had a negative coordinate and were folded onto an axis.

        Put a second random `Linear(2, 2)` after this one and merge the two into a single
        layer with $W = W_2 W_1$, $b = W_2 b_1 + b_2$ (all computed by tinytorch):

        | | largest difference from the merged layer |
        |---|---|
        | `second(layer(x))` | {_linear_gap:.2e} (rounding: they are the same map) |
        | `second(relu(layer(x)))` | {_relu_gap:.3f} |
        """),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Parameters add up

    An MLP for 28 x 28 images: 784 inputs, some hidden layers of the same width, 10 outputs.
    tinytorch builds it and counts with `model.num_parameters()`; each `Linear` is checked
    against $\text{in} \cdot \text{out} + \text{out}$.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mlp_width = mo.ui.slider(steps=[16, 32, 64, 128, 256, 512], value=128, label="hidden width",
                             show_value=True)
    mlp_depth = mo.ui.slider(start=1, stop=6, step=1, value=2, label="hidden layers", show_value=True)
    mo.hstack([mlp_width, mlp_depth], justify="start")
    return mlp_depth, mlp_width


@app.cell
def _(nn):
    def mlp(width: int, depth: int, n_in: int = 784, n_out: int = 10):
        """784 -> width -> ... -> width -> 10, with a ReLU after every hidden Linear."""
        layers, size = [], n_in
        for _ in range(depth):
            layers += [nn.Linear(size, width), nn.ReLU()]
            size = width
        return nn.Sequential(*layers, nn.Linear(size, n_out))

    return (mlp,)


@app.cell(hide_code=True)
def _(charts, mlp, mlp_depth, mlp_width, mo, nn):
    _model = mlp(mlp_width.value, mlp_depth.value)
    _rows, _bars = [], []
    for _name, _layer in _model.named_modules():
        if isinstance(_layer, nn.Linear):
            _counted = sum(p.numel() for p in _layer.parameters())
            _formula = _layer.in_features * _layer.out_features + _layer.out_features
            _rows.append(f"| `{_name}` | {tuple(_layer.weight.shape)} | {tuple(_layer.bias.shape)} | "
                         f"{_counted:,} | {_layer.in_features} x {_layer.out_features} + "
                         f"{_layer.out_features} = {_formula:,} | {'✅' if _counted == _formula else '❌'} |")
            _bars.append({"layer": f"{_name}: {_layer.in_features}→{_layer.out_features}",
                          "parameters": _counted})
    _sweep, _mark = [], []
    for _w in mlp_width.steps:
        _n = mlp(_w, mlp_depth.value).num_parameters()
        _sweep.append({"width": _w, "parameters": _n})
        if _w == mlp_width.value:
            _mark.append(_sweep[-1])
    _bytes = sum(p.nbytes for p in _model.parameters())
    mo.vstack([
        mo.md(f"**{_model.num_parameters():,} parameters** ({_bytes / 1e6:.2f} MB in float32)\n\n"
              "| layer | weight | bias | counted | in x out + out | |\n|---|---|---|---|---|---|\n"
              + "\n".join(_rows)),
        mo.hstack([
            charts.bar(_bars, "layer", "parameters", title="where the parameters are", width=300),
            charts.marked_line(_sweep, "width", "parameters", _mark, log_x=True, log_y=True, width=300,
                               title=f"num_parameters() with {mlp_depth.value} hidden layers"),
        ], justify="start"),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    With one hidden layer the count grows linearly with the width (the $784 \times w$ layer
    dominates). With more hidden layers and wider ones, the $w \times w$ layers take over (the
    curve's slope on the log-log chart approaches 2): there, doubling the width quadruples the
    parameters, the memory, and the work of every forward pass.

    ## Build it

    **Exercise 1.** Write a Linear layer's forward pass. `weight` has tinytorch's (and
    PyTorch's) layout, `(out_features, in_features)`; `bias` is `(out_features,)` or `None`;
    `x` is `(..., in_features)`.
    """)
    return


@app.cell
def _(np):
    def linear_forward(x: np.ndarray, weight: np.ndarray, bias) -> np.ndarray:
        # Your code here: y = x W^T + b. Mind the weight's layout, and bias=None.
        raise NotImplementedError

    return (linear_forward,)


@app.cell(hide_code=True)
def _(checks, exercises, linear_forward, mo):
    checks.feedback(exercises.LINEAR, linear_forward, app="03_layers")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Count the parameters of an MLP from its layer sizes, e.g. `[784, 128, 10]`,
    without building it. `bias=False` means the layers have no bias.
    """)
    return


@app.cell
def _():
    def count_parameters(sizes: list, bias: bool = True) -> int:
        # Your code here: one Linear for each consecutive pair of sizes.
        raise NotImplementedError

    return (count_parameters,)


@app.cell(hide_code=True)
def _(checks, count_parameters, exercises, mo):
    checks.feedback(exercises.COUNT, count_parameters, app="03_layers")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: width costs twice

    A `Linear(w, w)` holds $w^2 + w$ parameters and its forward pass on a batch of $N$ does
    $2 N w^2$ floating-point operations, while its output is only $N \times w$ numbers. Press
    the button to build layers of growing width and measure, on your machine, the forward time
    (batch of 64), the parameter memory, and the memory the forward pass allocates.
    """)
    return


@app.cell(hide_code=True)
def _():
    # The workload (tests/apps/quick.py shrinks it for the pressed-button test).
    budget = {"widths": [128, 256, 512, 1024, 2048]}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure forward time and memory vs width")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(budget, charts, measure, measure_button, mo, nn, np, progress, tinytorch):
    mo.stop(not measure_button.value, progress.waiting("measure"))
    _batch, _params = 64, {}

    def _make(width):
        layer = nn.Linear(width, width)
        _params[width] = sum(p.nbytes for p in layer.parameters())
        x = tinytorch.randn(_batch, width)

        def forward():
            with tinytorch.no_grad():
                return layer(x)

        return forward

    _rows = measure.scaling(_make, budget["widths"], label="forward", memory=True)
    _times = [{"width": r["n"], "milliseconds": r["seconds"] * 1e3} for r in _rows]
    _memory = ([{"width": r["n"], "MB": _params[r["n"]] / 1e6, "what": "parameters"} for r in _rows]
               + [{"width": r["n"], "MB": r["bytes"] / 1e6, "what": "allocated by forward"} for r in _rows])
    _slope = float(np.polyfit(np.log(budget["widths"][-3:]),
                              np.log([r["seconds"] for r in _rows[-3:]]), 1)[0])
    _gflops = 2 * _batch * budget["widths"][-1] ** 2 / _rows[-1]["seconds"] / 1e9
    results = {"time_exponent": _slope, "gflops": _gflops, "rows": _rows}
    mo.vstack([
        mo.hstack([
            charts.line(_times, "width", "milliseconds", log_x=True, log_y=True, width=320,
                        title=f"forward time, batch {_batch} (best of 3)"),
            charts.line(_memory, "width", "MB", color="what", log_x=True, log_y=True, width=320,
                        title="memory"),
        ], justify="start"),
        mo.md(f"Over the widest layers, time grows about as $w^{{{_slope:.1f}}}$ (2 would be pure "
              f"$w^2$ work); the widest runs at **{_gflops:.1f} GFLOP/s**. Parameter memory grows "
              "as $w^2$ too, but what the forward pass allocates (its output, $64 \\times w$ "
              "floats) grows only as $w$: for a wide layer, the weights are what costs memory."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - `Linear` computes $x W^\top + b$ with $W$ of shape `(out, in)`: an affine map that keeps
      lines straight and scales areas by $|\det W|$.
    - Without an activation, stacked layers collapse into one; a ReLU folds the space, and
      that is what depth builds on.
    - A layer has $\text{in} \cdot \text{out} + \text{out}$ parameters: width costs
      quadratically in memory and in time.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-03")
    return


if __name__ == "__main__":
    app.run()
