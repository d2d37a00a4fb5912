# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="1957 Perceptron")


@app.cell(hide_code=True)
def _():
    import time

    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.course import charts, checks, perceptron, progress, recording
    from tinytorch.course.exercises import perceptron as exercises

    return charts, checks, exercises, mo, np, perceptron, progress, recording, time, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # Milestone 1957 · The perceptron

    **Goal.** Watch Frank Rosenblatt's perceptron learn, one mistake at a time: see *why*
    each update moves the line the right way, see it stop on data a line can separate, and
    see it never stop on data no line can separate. Then write the rule yourself.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    In 1957 Rosenblatt, at the Cornell Aeronautical Laboratory, proposed a machine that
    *learns* to classify: it weighs its inputs, adds them up, and fires if the sum is
    positive. For a point $x \in \mathbb{R}^2$ with label $y \in \{-1, +1\}$:

    $$\hat y = \operatorname{sign}(w \cdot x + b) = \begin{cases} +1 & w \cdot x + b > 0 \\
    -1 & \text{otherwise} \end{cases}$$

    The boundary $w \cdot x + b = 0$ is a line; $w$ points to the $+1$ side. The
    **learning rule** visits the points one by one and changes the weights only on a
    mistake, that is when $y\,(w \cdot x + b) \le 0$:

    $$w \leftarrow w + \eta\, y\, x, \qquad b \leftarrow b + \eta\, y$$

    Why this helps: after the update the same point scores

    $$y\,(w' \cdot x + b') = y\,(w \cdot x + b) + \eta\,(\lVert x \rVert^2 + 1),$$

    strictly more than before, so the line moves toward getting it right.

    **Convergence theorem** (Novikoff, 1962). Write $\tilde x = (x, 1)$. If some unit
    vector $\tilde w^*$ separates the data with margin $\gamma$
    ($y\, \tilde w^* \cdot \tilde x \ge \gamma$ for every point) and every
    $\lVert \tilde x \rVert \le R$, the perceptron makes at most $(R / \gamma)^2$ updates,
    whatever the order of the points and whatever $\eta$. If no line separates the data,
    there is always a mistake left, so it never stops.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: the perceptron, update by update

    Choose a data set. tinytorch runs the rule from $w = 0, b = 0$, sweeping the points
    in a fixed order until a whole sweep (an **epoch**) makes no mistake, or 40 epochs
    pass. Then step through the updates with the slider: the ringed point is the mistake
    that drives the *next* update.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    data_kind = mo.ui.dropdown(
        options={"separable": 0.0, "not separable (10% of labels flipped)": 0.1},
        value="separable", label="data")
    n_points = mo.ui.slider(start=10, stop=100, step=10, value=40, label="points", show_value=True)
    margin = mo.ui.slider(start=0.02, stop=0.4, step=0.02, value=0.1, label="margin around the true line",
                          show_value=True)
    learning_rate = mo.ui.dropdown(options={"0.01": 0.01, "0.1": 0.1, "1": 1.0}, value="0.1",
                                   label="learning rate η")
    data_seed = mo.ui.slider(start=0, stop=20, value=0, label="seed", show_value=True)
    mo.vstack([mo.hstack([data_kind, learning_rate], justify="start"),
               mo.hstack([n_points, margin, data_seed], justify="start")])
    return data_kind, data_seed, learning_rate, margin, n_points


@app.cell(hide_code=True)
def _(data_kind, data_seed, exercises, margin, n_points, np):
    points, labels, true_line = exercises.separable_points(n_points.value, data_seed.value, margin.value)
    if data_kind.value:
        _flip = np.random.default_rng(data_seed.value + 1000).choice(
            len(labels), max(1, round(data_kind.value * len(labels))), replace=False)
        labels = labels.copy()
        labels[_flip] *= -1
    return labels, points, true_line


@app.cell
def _(labels, learning_rate, perceptron, points):
    trajectory = perceptron.train(points, labels, learning_rate.value)
    return (trajectory,)


@app.cell(hide_code=True)
def _(mo, trajectory):
    _total = len(trajectory["updates"])
    step = mo.ui.slider(start=0, stop=_total, value=min(3, _total), label="weights after update",
                        show_value=True, full_width=True)
    step
    return (step,)


@app.cell(hide_code=True)
def _(charts, labels, mo, np, points, step, tinytorch, trajectory):
    _updates = trajectory["updates"]
    if step.value < len(_updates):
        _next = _updates[step.value]
        _w, _b = _next["w"], _next["b"]
    else:
        _next, _w, _b = None, trajectory["w"], trajectory["b"]

    def _predict(grid):
        return tinytorch.where(tinytorch.tensor(grid) @ tinytorch.tensor(_w) + _b > 0, 1, -1).numpy()

    _chart = charts.decision_regions(_predict, points, labels,
                                      title=f"after {step.value} updates: w = {np.round(_w, 3).tolist()}, "
                                            f"b = {_b:.3f}")
    _wrong = int((_predict(points) != labels).sum())
    if _next is not None:
        _i, _x, _y = _next["index"], points[_next["index"]], _next["y"]
        _chart = _chart + charts.rings(_x)
        _text = mo.md(rf"""
        **Next: update {step.value + 1}** (epoch {_next["epoch"]}). Point {_i},
        $x = ({_x[0]:.3f}, {_x[1]:.3f})$, label $y = {_y:+d}$, scores
        $w \cdot x + b = {_next["score"]:.3f}$, so $y\,(w \cdot x + b) \le 0$: a mistake.

        $w \leftarrow w + \eta y x = ({_w[0]:.3f}, {_w[1]:.3f}) {_next["new_b"] - _b:+.3g} \cdot
        ({_x[0]:.3f}, {_x[1]:.3f}) = ({_next["new_w"][0]:.3f}, {_next["new_w"][1]:.3f})$

        $b \leftarrow b + \eta y = {_b:.3f} {_next["new_b"] - _b:+.3g} = {_next["new_b"]:.3f}$

        Right now {_wrong} of {len(labels)} points are on the wrong side.
        """)
    elif trajectory["converged"]:
        _text = mo.callout(mo.md(
            f"**Converged.** After {len(_updates)} updates a whole epoch (epoch "
            f"{len(trajectory['mistakes'])}) made no mistake: every point is on its side."), kind="success")
    else:
        _last = [r["mistakes"] for r in trajectory["mistakes"][-10:]]
        _text = mo.callout(mo.md(
            f"**Not converged.** After {len(trajectory['mistakes'])} epochs and {len(_updates)} updates "
            f"the last 10 epochs still made between {min(_last)} and {max(_last)} mistakes each. "
            f"With these weights {_wrong} of {len(labels)} points are on the wrong side."), kind="warn")
    mo.hstack([_chart, mo.vstack([_text])], justify="start", widths=[1, 1])
    return


@app.cell(hide_code=True)
def _(charts, labels, mo, np, points, trajectory, true_line):
    _normal, _offset = true_line
    _unit = np.append(_normal, _offset) / np.hypot(1.0, _offset)
    _augmented = np.hstack([points, np.ones((len(points), 1))])
    _gamma = float((labels * (_augmented @ _unit)).min())
    _radius = float(np.linalg.norm(_augmented, axis=1).max())
    if _gamma > 0:
        _out = mo.md(rf"""
        **The theorem, checked on this data.** The line the data was drawn from separates it
        with margin $\gamma = {_gamma:.3f}$, and $R = {_radius:.3f}$, so at most
        $(R/\gamma)^2 = {(_radius / _gamma) ** 2:,.0f}$ updates; the run above made
        **{len(trajectory["updates"])}**. The bound is a worst case: real runs stay far below it.
        """)
    else:
        _out = mo.md(rf"""
        **No margin.** The flipped labels put {int((labels * (_augmented @ _unit) < 0).sum())}
        points on the wrong side of the line the data was drawn from: $\gamma \le 0$, the
        theorem promises nothing, and the mistakes per epoch never reach 0. The line keeps
        being dragged back and forth by the points it cannot all satisfy.
        """)
    mo.hstack([charts.line(trajectory["mistakes"], "epoch", "mistakes", title="mistakes (updates) per epoch",
                           width=330, height=180), mo.vstack([_out])], justify="start", widths=[1, 1])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.accordion({"Question: change the learning rate. Why does the number of updates not change?": mo.md(
        r"""
        Starting from $w = 0, b = 0$, every weight vector the rule ever reaches is $\eta$ times a
        sum of $y_i \tilde x_i$. Scaling all weights by $\eta$ does not move the line
        $w \cdot x + b = 0$, so the same points are mistakes in the same order: only the size
        of the numbers changes. (With a non-zero start, $\eta$ would matter.)
        """)})
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    Both functions get tinytorch tensors: `w` of shape `(2,)` and a number `b`.

    **Exercise 1.** Predict: return $+1$ for every row of `x` (shape `(n, 2)`) whose score
    $w \cdot x + b$ is positive and $-1$ for every other row, as a tensor or array of shape
    `(n,)`. (`x @ w` computes all the scores at once; `tinytorch.where(condition, a, b)`
    picks between two values.)
    """)
    return


@app.cell
def _():
    def predict(w, b, x):
        # Your code here: the score of every row is x @ w + b; return +1 where it is > 0, else -1.
        raise NotImplementedError

    return (predict,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, predict):
    checks.feedback(exercises.PREDICT, predict, app="milestone_1957_perceptron")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Rosenblatt's rule for one point `x` (shape `(2,)`) with label `y`
    ($\pm 1$): if $y\,(w \cdot x + b) \le 0$ return the updated pair
    $(w + \eta y x,\; b + \eta y)$, otherwise return `w, b` unchanged. The last check
    trains a perceptron with your update until it makes no mistake.
    """)
    return


@app.cell
def _():
    def update(w, b, x, y, lr):
        # Your code here: test for a mistake, then move w and b toward the point (or not).
        raise NotImplementedError

    return (update,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, update):
    checks.feedback(exercises.UPDATE, update, app="milestone_1957_perceptron")
    return


@app.cell(hide_code=True)
def _(exercises, predict, recording, update):
    # The milestone's bar (tinytorch.course.milestone_goals): every check of both exercises passes.
    recording.milestone_from_checks("milestone_1957_perceptron",
                                    [exercises.PREDICT.run(predict), exercises.UPDATE.run(update)])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: updates against the margin

    The theorem says the number of updates grows at most like $1/\gamma^2$ as the margin
    $\gamma$ shrinks. Press the button to train on 10 fresh data sets of 100 points for each
    margin, count the updates the perceptron really makes, and time it on your machine.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Count updates vs margin")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(charts, exercises, measure_button, mo, np, perceptron, progress, time):
    mo.stop(not measure_button.value, progress.waiting("count updates against the margin"))
    _margins, _seeds = [0.4, 0.2, 0.1, 0.05, 0.025, 0.0125], range(10)
    _rows, _visits, _seconds, _converged, _within = [], 0, 0.0, 0, 0
    with mo.status.progress_bar(total=len(_margins) * len(_seeds), title="training perceptrons") as _bar:
        for _margin in _margins:
            _updates, _bounds = [], []
            for _seed in _seeds:
                _x, _y, (_normal, _offset) = exercises.separable_points(100, 100 + _seed, _margin)
                _aug = np.hstack([_x, np.ones((len(_x), 1))])
                _gamma = (_y * (_aug @ np.append(_normal, _offset))).min() / np.hypot(1.0, _offset)
                _start = time.perf_counter()
                _run = perceptron.train(_x, _y, 1.0, max_epochs=1000)
                _seconds += time.perf_counter() - _start
                _visits += len(_x) * len(_run["mistakes"])
                _updates.append(len(_run["updates"]))
                _bounds.append((np.linalg.norm(_aug, axis=1).max() / _gamma) ** 2)
                _converged += _run["converged"]
                _within += _updates[-1] <= _bounds[-1]
                _bar.update()
            _rows += [{"margin": _margin, "updates": float(np.mean(_updates)), "series": "measured (mean)"},
                      {"margin": _margin, "updates": float(np.max(_updates)), "series": "measured (worst)"},
                      {"margin": _margin, "updates": float(np.mean(_bounds)), "series": "bound (R/γ)²"}]
    _slope = np.polyfit(np.log([r["margin"] for r in _rows if r["series"] == "measured (mean)"]),
                        np.log([r["updates"] for r in _rows if r["series"] == "measured (mean)"]), 1)[0]
    _runs = len(_margins) * len(_seeds)
    results = {"runs": _runs, "converged": _converged, "within_bound": _within, "slope": float(_slope),
               "visits_per_second": _visits / _seconds}
    mo.vstack([
        charts.line(_rows, "margin", "updates", color="series", log_x=True, log_y=True,
                    title="updates to converge (100 points, 10 data sets per margin)"),
        mo.md(f"{_converged} of {len(_margins) * len(_seeds)} runs converged, {_within} within their "
              f"bound. Fitted slope of the measured mean on the log-log "
              f"chart: **{_slope:.2f}** (the bound's is -2). Speed on this machine: "
              f"**{_visits / _seconds:,.0f} point visits per second** with tinytorch tensors "
              f"({_visits:,} visits in {_seconds:.2f} s)."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A perceptron is a line, $\operatorname{sign}(w \cdot x + b)$; learning means moving it.
    - Rosenblatt's rule changes the weights only on a mistake, by $\eta\, y\, x$: each update
      raises that point's score by $\eta(\lVert x \rVert^2 + 1)$.
    - On separable data it stops after at most $(R/\gamma)^2$ updates; on data no line
      separates it never stops, and its final line depends on where it happened to halt.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("milestone-1957")
    return


if __name__ == "__main__":
    app.run()
