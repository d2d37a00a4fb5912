# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="1969 XOR")


@app.cell(hide_code=True)
def _():
    import time

    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch.core.training import Trainer
    from tinytorch.course import charts, checks, progress, recording
    from tinytorch.course.exercises import xor as exercises

    return Trainer, charts, checks, exercises, mo, nn, np, progress, recording, time, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # Milestone 1969 · XOR and the hidden layer

    **Goal.** See for yourself why no single-layer network can compute XOR, and how one
    hidden layer fixes it: train both with tinytorch on the same points, measure their
    accuracy, and look at what the hidden layer does to the data. Then build an XOR
    network by hand, weight by weight.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    XOR is 1 when exactly one input is on:

    | $x_1$ | $x_2$ | XOR |
    |---|---|---|
    | 0 | 0 | 0 |
    | 0 | 1 | 1 |
    | 1 | 0 | 1 |
    | 1 | 1 | 0 |

    **No line does it.** A single layer says 1 when $w_1 x_1 + w_2 x_2 + b > 0$. The four
    rows demand $b \le 0$, $\;w_2 + b > 0$, $\;w_1 + b > 0$ and $w_1 + w_2 + b \le 0$. Add
    the middle two: $w_1 + w_2 + 2b > 0$, so $w_1 + w_2 + b > -b \ge 0$, contradicting the
    last. At best a line gets 3 of the 4 corners right. In *Perceptrons* (1969) Minsky and
    Papert proved limits like this one for single-layer perceptrons, and interest (and
    funding) for neural networks collapsed for a decade.

    **A hidden layer does it.** Compute new features first, then draw the line in *their*
    space:

    $$h = \operatorname{relu}(W_1 x + b_1), \qquad y = W_2 h + b_2 .$$

    With $h_1 = \operatorname{relu}(x_1 + x_2)$ and $h_2 = \operatorname{relu}(x_1 + x_2 - 1)$,
    the corners land at $h = (0,0), (1,0), (1,0), (2,1)$, and $y = h_1 - 2h_2$ gives
    $0, 1, 1, 0$. Without the nonlinearity it would not work: $W_2(W_1 x + b_1) + b_2$ is
    again a single line. What was missing in 1969 was a way to *learn* $W_1$; that came
    with backpropagation (milestone 1986).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: one layer against two

    tinytorch trains a single linear layer (2 inputs, 2 class scores) and a network with a
    hidden layer on the same points: full batch, Adam, cross-entropy, 300 steps each, from
    the same seed. The backgrounds show what each predicts everywhere; the titles give
    the accuracy measured on the points.
    """)
    return


@app.cell(hide_code=True)
def _(mo, nn):
    per_corner = mo.ui.dropdown(options={"4 (just the corners)": 1, "100": 25, "200": 50},
                                value="100", label="points")
    noise = mo.ui.slider(start=0.0, stop=0.3, step=0.02, value=0.12, label="noise", show_value=True)
    hidden = mo.ui.dropdown(options={"2": 2, "3": 3, "4": 4, "8": 8}, value="2", label="hidden units")
    activation = mo.ui.dropdown(options={"tanh": nn.Tanh, "ReLU": nn.ReLU}, value="tanh",
                                label="activation")
    seed = mo.ui.slider(start=0, stop=20, value=0, label="seed", show_value=True)
    mo.vstack([mo.hstack([per_corner, noise, seed], justify="start"),
               mo.hstack([hidden, activation], justify="start")])
    return activation, hidden, noise, per_corner, seed


@app.cell
def _(Trainer, nn, np, tinytorch):
    def train_xor(points, labels, hidden, activation, seed, steps=300, lr=0.05):
        """A single linear layer (hidden=0) or a 2-hidden-2 network, trained full batch with
        Adam on cross-entropy. Returns the model and the Trainer's history (one row a step)."""
        tinytorch.manual_seed(seed)
        if hidden:
            model = nn.Sequential(nn.Linear(2, hidden), activation(), nn.Linear(hidden, 2))
        else:
            model = nn.Linear(2, 2)
        trainer = Trainer(model, tinytorch.optim.Adam(model.parameters(), lr=lr))
        trainer.fit([(tinytorch.tensor(points), tinytorch.tensor(labels))], epochs=steps)
        return model, trainer.history

    def predict(model, points):
        """The class with the higher score, for each point."""
        with tinytorch.no_grad():
            return model(tinytorch.tensor(np.asarray(points, dtype=np.float32))).numpy().argmax(axis=1)

    def accuracy(model, points, labels):
        return float((predict(model, points) == labels).mean())

    return accuracy, predict, train_xor


@app.cell(hide_code=True)
def _(exercises, noise, per_corner, seed):
    points, labels = exercises.xor_points(per_corner.value, noise.value, seed.value)
    fresh_points, fresh_labels = exercises.xor_points(250, noise.value, seed.value + 1000)
    return fresh_labels, fresh_points, labels, points


@app.cell
def _(activation, hidden, labels, points, seed, train_xor):
    linear_model, linear_history = train_xor(points, labels, 0, None, seed.value)
    mlp, mlp_history = train_xor(points, labels, hidden.value, activation.value, seed.value)
    return linear_history, linear_model, mlp, mlp_history


@app.cell(hide_code=True)
def _(
    accuracy,
    activation,
    charts,
    fresh_labels,
    fresh_points,
    hidden,
    labels,
    linear_model,
    mlp,
    mo,
    points,
    predict,
):
    _name = f"2-{hidden.value}-2, {activation.selected_key}"
    _rows = [{"model": _label, "train": accuracy(_model, points, labels),
              "fresh": accuracy(_model, fresh_points, fresh_labels)}
             for _label, _model in (("single layer", linear_model), (f"hidden layer ({_name})", mlp))]
    mo.vstack([
        mo.hstack([
            charts.decision_regions(lambda g: predict(linear_model, g), points, labels,
                                     title=f"single layer: {_rows[0]['train']:.0%} right"),
            charts.decision_regions(lambda g: predict(mlp, g), points, labels,
                                     title=f"hidden layer ({_name}): {_rows[1]['train']:.0%} right"),
        ], justify="start"),
        mo.md(f"| model | accuracy on the {len(labels)} training points | on {len(fresh_labels):,} fresh "
              "points from the same distribution |\n|---|---|---|\n"
              + "\n".join(f"| {r['model']} | {r['train']:.1%} | {r['fresh']:.1%} |" for r in _rows)),
    ])
    return


@app.cell(hide_code=True)
def _(charts, linear_history, mlp_history, mo):
    _rows = [{"step": h["epoch"] + 1, "loss": h["train_loss"], "model": _name}
             for _name, _history in (("single layer", linear_history), ("hidden layer", mlp_history))
             for h in _history[::5] + _history[-1:]]
    _final = linear_history[-1]["train_loss"]
    mo.vstack([
        charts.line(_rows, "step", "loss", color="model", title="cross-entropy while training"),
        mo.md(rf"""
        The single layer's loss flattens at **{_final:.3f}**; $\ln 2 = 0.693$ is the loss of
        answering 50/50 everywhere, which is where a line ends up on the four symmetric
        corners: any tilt it tries costs as much on one corner as it gains on another.
        """),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### What the hidden layer does

    The output layer is still just a line; what changes is the space it draws it in. With
    **2 hidden units** you can see that space: each point plotted at its hidden activations
    $(h_1, h_2)$, and the output layer's line there. The four clusters have moved so that
    a line separates them. (Not every seed gets there: when the hidden layer's accuracy
    above is below 100%, look at how the clusters sit here. Measure it counts how often
    that happens.)
    """)
    return


@app.cell(hide_code=True)
def _(charts, hidden, labels, mlp, mo, np, points, predict, tinytorch):
    if hidden.value == 2:
        with tinytorch.no_grad():
            _h = mlp[1](mlp[0](tinytorch.tensor(points))).numpy()
        _view = charts.decision_regions(lambda g: predict(mlp[2], g), _h, labels, axis_titles=("h1", "h2"),
                                        title="the points in hidden space, and the output layer's line")
        _right = float((predict(mlp[2], _h) == labels).mean())
        _out = mo.hstack([_view, mo.md(f"In hidden space the output layer's line gets **{_right:.0%}** "
                                       f"of the {len(labels)} points right. Hidden activations range "
                                       f"over [{np.min(_h):.2f}, {np.max(_h):.2f}].")], justify="start")
    else:
        _out = mo.callout(mo.md("Set **hidden units** to 2 to see the hidden space in two dimensions."),
                          kind="info")
    _out
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** Choose the weights of a network $y = W_2\,\operatorname{relu}(W_1 x + b_1) + b_2$
    that computes XOR: it says 1 where $y > 0.5$. Use tinytorch's layout, one row per
    output: `W1` has shape `(hidden, 2)`, `b1` `(hidden,)`, `W2` `(1, hidden)`, `b2` `(1,)`.
    The checks load your weights into a tinytorch network and evaluate it on the four
    corners and on noisy points near them. Try it without the Concept section's answer first.
    """)
    return


@app.cell
def _():
    def xor_weights():
        # Your code here: return W1, b1, W2, b2 (NumPy arrays or nested lists).
        # Hint: one hidden unit can detect "at least one input on", another "both on".
        raise NotImplementedError

    return (xor_weights,)


@app.cell(hide_code=True)
def _(charts, checks, exercises, mo, np, recording, xor_weights):
    # the milestone's bar (tinytorch.course.milestone_goals): every check of the exercise passes
    _recorded = recording.milestone_from_checks("milestone_1969_xor",
                                                [exercises.XOR_WEIGHTS.run(xor_weights)])
    _views = [checks.feedback(exercises.XOR_WEIGHTS, xor_weights, app="milestone_1969_xor"),
              *([_recorded] if _recorded is not None else [])]
    if checks.all_passed(checks.run_checks(exercises.XOR_WEIGHTS.checks[:1], xor_weights)):  # shapes fit
        _net = exercises.hand_network(*xor_weights())
        _views.append(charts.decision_regions(
            lambda g: exercises.network_says(_net, g), exercises.CORNERS,
            np.array(exercises.XOR), title="your network's answer everywhere"))
    mo.vstack(_views)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: how often does training find XOR?

    Gradient descent does not always find the solution you built by hand: from some
    starting weights a small network gets stuck with one corner wrong. Press the button to
    train each width from several seeds on the four corners and count how often it reaches
    100% accuracy, timing the training steps on your machine.
    """)
    return


@app.cell(hide_code=True)
def _():
    budget = {"widths": (0, 2, 3, 4, 8), "seeds": 6, "steps": 200}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Train from many seeds")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(
    accuracy,
    activation,
    charts,
    exercises,
    measure_button,
    budget,
    mo,
    progress,
    time,
    train_xor,
):
    mo.stop(not measure_button.value, progress.waiting("train every width from many seeds"))
    _corners, _xor = exercises.xor_points(1, 0.0)
    _s = budget
    _flops = 3 * 2 * len(_corners) * (2 * max(_s["widths"]) + 2 * max(_s["widths"]))
    _rows, _steps, _seconds = [], 0, 0.0
    with mo.status.progress_bar(total=len(_s["widths"]) * _s["seeds"], title="training") as _bar:
        for _width in _s["widths"]:
            _solved, _accuracies = 0, []
            for _seed in range(_s["seeds"]):
                _start = time.perf_counter()
                _model, _ = train_xor(_corners, _xor, _width, activation.value, _seed, steps=_s["steps"])
                _seconds += time.perf_counter() - _start
                _steps += _s["steps"]
                _accuracies.append(accuracy(_model, _corners, _xor))
                _solved += _accuracies[-1] == 1.0
                _bar.update()
            _rows.append({"model": f"{_width} hidden" if _width else "single layer",
                          "solved XOR (% of seeds)": 100 * _solved / _s["seeds"],
                          "mean accuracy": sum(_accuracies) / len(_accuracies)})
    results = {"rows": _rows, "ms_per_step": 1000 * _seconds / _steps}
    mo.vstack([
        charts.bar(_rows, "model", "solved XOR (% of seeds)",
                   title=f"{activation.selected_key} networks reaching 100% on the 4 corners "
                         f"({_s['seeds']} seeds, {_s['steps']} Adam steps)"),
        mo.md("| model | seeds that solved XOR | mean accuracy |\n|---|---|---|\n" + "\n".join(
            f"| {r['model']} | {r['solved XOR (% of seeds)']:.0f}% | {r['mean accuracy']:.1%} |"
            for r in _rows)),
        mo.md(f"{_steps:,} training steps in {_seconds:.2f} s: **{1000 * _seconds / _steps:.2f} ms per "
              f"step** on this machine. A step of the widest network does only about {_flops:,} "
              "floating-point operations (4 points, forward and backward), microseconds of arithmetic: "
              "nearly all of that time is Python overhead."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A single layer draws one line; XOR needs two, so a single layer is stuck at 3 of 4
      corners at best (and at 50% with cross-entropy on the symmetric corners).
    - A hidden layer with a nonlinearity re-maps the points so that a line separates them;
      without the nonlinearity, two layers collapse into one.
    - Weights that solve XOR exist (you built some), but gradient descent from a random
      start does not always find them; more hidden units make it find them far more often.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("milestone-1969")
    return


if __name__ == "__main__":
    app.run()
