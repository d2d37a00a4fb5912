# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="07 Training")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch.core.dataloader import DataLoader, TensorDataset
    from tinytorch.core.training import Trainer
    from tinytorch.course import charts, checks, live, measure, progress, toy
    from tinytorch.course.exercises import training as exercises

    alt = charts.altair()  # imported after tinytorch.course: quicker in the browser

    return (
        DataLoader,
        TensorDataset,
        Trainer,
        alt,
        charts,
        checks,
        exercises,
        live,
        measure,
        mo,
        nn,
        np,
        progress,
        tinytorch,
        toy,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 07 · Training

    **Goal.** By the end of this module you can write the training loop from memory, read
    training and validation curves, and tell from them whether a model is **under-fitting**
    (too simple to fit even its training data) or **over-fitting** (memorising its training
    points instead of learning the pattern), and what to change in each case.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    Training minimises the average loss over the training set,
    $\;L(\theta) = \frac{1}{N}\sum_{i=1}^{N} \ell\big(f_\theta(x_i), y_i\big)$,
    one **mini-batch** $B$ at a time:

    $$\theta \leftarrow \theta - \eta\, \nabla_\theta \frac{1}{|B|}
    \sum_{i \in B} \ell\big(f_\theta(x_i), y_i\big)$$

    In code, every step is the same five lines: **forward** (`model(x)`), **loss**,
    **backward**, optimizer **step**, **zero_grad**. One pass over the training set is an
    **epoch**.

    What we want is low loss on points the model has *not* seen. So part of the data is held
    out as a **validation set** and evaluated (without gradients) after each epoch. The gap
    between the two curves is the **generalisation gap**:

    - **Under-fitting**: training and validation accuracy are both poor. The model lacks
      capacity (a straight line cannot separate spirals). Add layers or width, train longer.
    - **Over-fitting**: training accuracy reaches 100% while validation loss rises. The model
      has more capacity than its data can constrain. Get more data, use a smaller model, add
      regularisation, or stop early at the best validation epoch.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: a training playground

    Pick a scenario (it fills in the settings), change anything, then press **Train**. The
    decision boundary and the curves redraw while tinytorch's `Trainer` runs; **■ Stop
    training** (above the progress bar) ends training cleanly after the current batch, and the
    model keeps what it has learned.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    preset = mo.ui.dropdown(
        options={
            "moons, a small MLP": dict(data="moons", noise=0.2, points=200, train_fraction=0.5, width=16,
                                       depth=2, activation="relu", lr=0.01, epochs=100, batch_size=32),
            "under-fitting: a linear model on spirals": dict(
                data="spirals", noise=0.1, points=400, train_fraction=0.5, width=16, depth=0,
                activation="relu", lr=0.01, epochs=100, batch_size=32),
            "spirals, a deeper MLP": dict(data="spirals", noise=0.1, points=400, train_fraction=0.5,
                                          width=32, depth=3, activation="relu", lr=0.01, epochs=150,
                                          batch_size=32),
            "over-fitting: 20 training points, a big model": dict(
                data="moons", noise=0.25, points=200, train_fraction=0.1, width=128, depth=3,
                activation="relu", lr=0.01, epochs=200, batch_size=32),
        },
        value="moons, a small MLP", label="scenario")
    preset
    return (preset,)


@app.cell(hide_code=True)
def _(mo, preset, toy):
    _p = preset.value
    controls = mo.ui.dictionary({
        "data": mo.ui.dropdown(list(toy.KINDS), value=_p["data"], label="dataset"),
        "noise": mo.ui.slider(0.0, 0.5, 0.05, value=_p["noise"], label="noise", show_value=True),
        "points": mo.ui.slider(50, 1000, 50, value=_p["points"], label="points", show_value=True),
        "train_fraction": mo.ui.slider(0.1, 0.9, 0.05, value=_p["train_fraction"], label="share for training",
                                       show_value=True),
        "depth": mo.ui.slider(0, 4, 1, value=_p["depth"], label="hidden layers (0: linear)", show_value=True),
        "width": mo.ui.slider(steps=[2, 4, 8, 16, 32, 64, 128], value=_p["width"], label="width",
                              show_value=True),
        "activation": mo.ui.dropdown(["relu", "tanh", "sigmoid", "gelu"], value=_p["activation"],
                                     label="activation"),
        "lr": mo.ui.slider(steps=[1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3], value=_p["lr"],
                           label="Adam η", show_value=True),
        "epochs": mo.ui.slider(10, 500, 10, value=_p["epochs"], label="epochs", show_value=True),
        "batch_size": mo.ui.slider(steps=[8, 16, 32, 64, 128, 256], value=_p["batch_size"],
                                   label="batch size", show_value=True),
    })
    _rows = [("data", "noise", "points", "train_fraction"), ("depth", "width", "activation", "batch_size"),
             ("lr", "epochs")]
    mo.vstack([mo.hstack([controls[k] for k in row], justify="start", gap=2, wrap=True) for row in _rows])
    return (controls,)


@app.cell(hide_code=True)
def _(controls, toy):
    _s = controls.value
    points, labels = toy.make_2d(_s["data"], _s["points"], _s["noise"], seed=0)
    train_set, val_set = toy.split(points, labels, _s["train_fraction"])
    return labels, points, train_set, val_set


@app.cell
def _(nn):
    ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}

    def make_model(settings: dict):
        """2 inputs -> `depth` hidden layers of `width` -> 2 class scores; depth 0 is linear."""
        layers, size = [], 2
        for _ in range(settings["depth"]):
            layers += [nn.Linear(size, settings["width"]), ACTIVATIONS[settings["activation"]]()]
            size = settings["width"]
        return nn.Sequential(*layers, nn.Linear(size, 2))

    return (make_model,)


@app.cell(hide_code=True)
def _(alt, charts, labels, mo, points, tinytorch, train_set):
    def boundary(model):
        """The boundary the model draws now, training points ringed (one image: fast to redraw)."""
        def predict(grid):
            with tinytorch.no_grad():
                return model.eval()(tinytorch.tensor(grid)).argmax(axis=1).numpy()

        ringed = (alt.Chart(charts.fast_data([{"x": float(a), "y": float(b)} for a, b in train_set[0]]))
                  .mark_point(filled=False, color="black", strokeWidth=0.8, size=70)
                  .encode(x="x:Q", y="y:Q"))
        chart = charts.decision_regions(predict, points, labels, resolution=60) + ringed
        model.train()
        return chart

    def playground(model, history: list, status: str = ""):
        """The boundary and the per-epoch curves so far, under a status line."""
        curves = charts.training_curves(history) if history else mo.md("*no epoch yet*")
        return mo.vstack(([mo.md(status)] if status else []) + [boundary(model), curves])

    return (playground,)


@app.cell(hide_code=True)
def _(controls, make_model, mo, playground, tinytorch, train_set, val_set):
    tinytorch.manual_seed(0)
    _model = make_model(controls.value)
    mo.vstack([
        mo.md(f"{len(train_set[0])} training points (ringed) and {len(val_set[0])} validation points; "
              f"a model of {_model.num_parameters():,} parameters. Before training, its random "
              "weights draw this boundary:"),
        playground(_model, [], ""),
    ])
    return


@app.cell(hide_code=True)
def _():
    # Workload limits of the buttons below (the tests shrink them).
    budget = {"max_epochs": 500, "measure_points": 1024, "batch_sizes": (8, 16, 32, 64, 128, 256),
              "widths": (16, 128)}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    budget,
    controls,
    live,
    make_model,
    mo,
    playground,
    progress,
    tinytorch,
    train_button,
    train_set,
    val_set,
):
    mo.stop(not train_button.value, progress.waiting("train"))
    _s = controls.value
    epochs = min(_s["epochs"], budget["max_epochs"])
    tinytorch.manual_seed(0)
    model = make_model(_s)
    train_loader = DataLoader(TensorDataset(*train_set), batch_size=_s["batch_size"], shuffle=True)
    val_loader = DataLoader(TensorDataset(*val_set), batch_size=1024)
    trainer = Trainer(model, tinytorch.optim.Adam(model.parameters(), lr=_s["lr"]))
    training = live.LiveTraining(len(train_loader) * epochs, batch_size=_s["batch_size"], show_loss=False,
                                 extra=lambda _: [playground(model, trainer.history)])
    trainer.callbacks.append(training)
    history = trainer.fit(train_loader, val_loader, epochs=epochs, interruptible=True)
    training.view()
    return history, model, training


@app.cell(hide_code=True)
def _(history, mo, training):
    mo.stop(not history, mo.md(training.status() + ", before the first epoch ended."))
    _last = history[-1]
    _best = min(history, key=lambda h: h["val_loss"])
    if _last["train_accuracy"] < 0.85:
        _verdict = ("**Under-fitting**: the model cannot even fit its training points "
                    f"({_last['train_accuracy']:.0%}). Give it more capacity: hidden layers, width.")
    elif (_last["val_loss"] > 1.5 * _best["val_loss"]
          and _last["train_accuracy"] - _last["val_accuracy"] > 0.05):
        _verdict = (f"**Over-fitting**: validation loss was lowest at epoch {_best['epoch'] + 1} "
                    f"({_best['val_loss']:.3f}) and is now {_last['val_loss']:.3f}, while the training "
                    f"loss fell to {_last['train_loss']:.3f}: since then the model has been memorising "
                    "its training points. More data, a smaller model, or stopping at the best epoch helps.")
    else:
        _verdict = "Training and validation agree: the model learned the pattern, not the points."
    results = {"train_accuracy": _last["train_accuracy"], "val_accuracy": _last["val_accuracy"],
               "epochs": len(history), "stopped": training.stopped}
    mo.md(f"{training.status()}. Training accuracy **{_last['train_accuracy']:.1%}**, validation accuracy "
          f"**{_last['val_accuracy']:.1%}**.\n\n{_verdict}")
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Write one training step: forward, loss, backward, optimizer step, and
    clearing the gradients, in an order that works. Return the batch's loss as a number. The
    checks train the same model with your step and with the reference and compare the weights
    after every step.
    """)
    return


@app.cell
def _():
    def train_step(model, optimizer, loss_fn, x, y) -> float:
        # Your code here: five lines. Remember that backward() adds to .grad.
        raise NotImplementedError

    return (train_step,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, train_step):
    checks.feedback(exercises.TRAIN_STEP, train_step, app="07_training")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Accuracy: the fraction of rows of `logits` (a tensor of shape `(N, C)`)
    whose highest score is at the position of the row's label (`labels`, shape `(N,)`).
    """)
    return


@app.cell
def _():
    def accuracy(logits, labels) -> float:
        # Your code here: logits.numpy() and labels.numpy() give NumPy arrays.
        raise NotImplementedError

    return (accuracy,)


@app.cell(hide_code=True)
def _(accuracy, checks, exercises, mo):
    checks.feedback(exercises.ACCURACY, accuracy, app="07_training")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: the cost of an epoch against the batch size

    One epoch over the same points with batches of different sizes, for a narrow and a wide
    model. Small batches mean many small steps, each paying Python's fixed cost per operation;
    large batches give NumPy bigger arrays per call. Press the button to measure it on *your*
    machine.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure epoch time")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    budget,
    charts,
    make_model,
    measure,
    measure_button,
    mo,
    progress,
    tinytorch,
    toy,
):
    mo.stop(not measure_button.value, progress.waiting("measure"))
    _data = TensorDataset(*toy.make_2d("spirals", budget["measure_points"], 0.1, seed=1))
    _rows = []
    for _width in mo.status.progress_bar(budget["widths"], title="measuring"):
        for _batch in budget["batch_sizes"]:
            _model = make_model({"depth": 2, "width": _width, "activation": "relu"})
            _trainer = Trainer(_model, tinytorch.optim.Adam(_model.parameters(), lr=1e-3))
            _loader = DataLoader(_data, batch_size=_batch, shuffle=True, seed=0)
            _seconds = measure.best_time(lambda t=_trainer, d=_loader: t.train_epoch(d), repeat=2)
            _rows.append({"batch size": _batch, "model": f"width {_width}", "epoch ms": 1e3 * _seconds,
                          "points per second": len(_data) / _seconds})
    _small, _large = budget["batch_sizes"][0], budget["batch_sizes"][-1]
    _ms = {(r["model"], r["batch size"]): r["epoch ms"] for r in _rows}
    _speedup = {m: _ms[(m, _small)] / _ms[(m, _large)] for m, _ in _ms}
    mo.vstack([
        mo.hstack([charts.line(_rows, "batch size", "epoch ms", color="model", log_x=True, log_y=True,
                               title=f"one epoch over {len(_data):,} points", width=330),
                   charts.line(_rows, "batch size", "points per second", color="model", log_x=True,
                               log_y=True, title="throughput", width=330)]),
        mo.md(f"From batch {_small} to batch {_large} an epoch gets "
              + " and ".join(f"**{v:.1f}×** faster ({k})" for k, v in _speedup.items())
              + f", but it also takes {_large // _small}× fewer steps: per epoch, a larger batch buys "
              "speed with fewer updates, which is why the learning rate often grows with it."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Every step: forward, loss, backward, step, zero_grad. The `Trainer` runs exactly that,
      plus evaluation on held-out data after each epoch.
    - Read the two curves together: both poor means under-fitting (more capacity); training
      perfect and validation getting worse means over-fitting (more data, a smaller model,
      regularisation, early stopping).
    - Batch size trades time per epoch against the number of updates per epoch.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-07")
    return


if __name__ == "__main__":
    app.run()
