# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="1986 MLP on MNIST")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    import tinytorch.nn.functional as F
    from tinytorch import datasets
    from tinytorch.core import kernels, transforms
    from tinytorch.core.dataloader import DataLoader, TensorDataset
    from tinytorch.core.training import Trainer
    from tinytorch.course import charts, checks, live, measure, progress, recording
    from tinytorch.course.exercises import mlp as exercises
    from tinytorch.course.results import published

    return (
        DataLoader,
        F,
        TensorDataset,
        Trainer,
        charts,
        checks,
        datasets,
        exercises,
        kernels,
        live,
        measure,
        mo,
        nn,
        np,
        progress,
        published,
        recording,
        tinytorch,
        transforms,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # Milestone 1986 · A multi-layer perceptron reads handwriting

    **Goal.** Train a network with a hidden layer on real handwritten digits (MNIST) with
    backpropagation, in your browser, and watch it learn: the loss falling and the accuracy
    rising batch by batch. Then grade it honestly on digits it never saw: its test accuracy,
    which digits it confuses, and the mistakes it makes.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    In 1986 Rumelhart, Hinton and Williams showed that **backpropagation** trains the hidden
    layers Minsky and Papert's single layer lacked (milestone 1969). For a $28 \times 28$
    image flattened to $x \in \mathbb{R}^{784}$, a one-hidden-layer perceptron computes

    $$h = \operatorname{relu}(W_1 x + b_1), \qquad z = W_2 h + b_2, \qquad
    L = -\log \operatorname{softmax}(z)_y ,$$

    and backpropagation is the chain rule applied from the loss backwards:

    $$\delta_2 = \operatorname{softmax}(z) - e_y, \qquad
    \frac{\partial L}{\partial W_2} = \delta_2 h^\top, \qquad
    \delta_1 = (W_2^\top \delta_2) \odot \mathbb{1}[h > 0], \qquad
    \frac{\partial L}{\partial W_1} = \delta_1 x^\top .$$

    A **minibatch** of $B$ images does this for all of them at once, as matrix products:
    about $2 \cdot B \cdot (784 H + 10 H)$ multiply-adds forward and twice that backward.
    Every step nudges all weights against the batch's gradient (here with Adam), every
    **epoch** shows the network each training image once.

    **Honest grading.** The network is scored on MNIST's **test** images, which training
    never touches. A **confusion matrix** counts, for each true digit (row), what
    the network answered (column): the diagonal is right, everything else is a mistake.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## The data
    """)
    return


@app.cell(hide_code=True)
def _(datasets):
    try:
        train_images, train_labels = datasets.load_mnist("train")
        test_images, test_labels = datasets.load_mnist("test")
        mnist_error = None
    except datasets.DatasetError as _error:
        train_images = train_labels = test_images = test_labels = None
        mnist_error = str(_error)
    return mnist_error, test_images, test_labels, train_images, train_labels


@app.cell(hide_code=True)
def _(mnist_error, mo):
    missing_mnist = mo.callout(mo.md(f"""
    **MNIST is not available**, so this app cannot train. On your machine, set the environment
    variable **`TINYTORCH_DATA`** to a data folder holding `mnist/train-images-idx3-ubyte.gz` and
    its three siblings (or connect to the internet, and tinytorch downloads and checks them);
    in the browser, the course site serves them. What the loader said:

    ```text
    {mnist_error}
    ```
    """), kind="danger")
    return (missing_mnist,)


@app.cell(hide_code=True)
def _(charts, missing_mnist, mo, np, test_images, train_images, train_labels):
    mo.stop(train_images is None, missing_mnist)
    pixel_mean = float(train_images[:10_000].mean() / 255)
    pixel_std = float(train_images[:10_000].std() / 255)
    _first = [int(np.flatnonzero(train_labels == _d)[0]) for _d in range(10)]
    _counts = np.bincount(train_labels, minlength=10)
    mo.vstack([
        mo.md(f"**{len(train_images):,}** training and {len(test_images):,} test images of "
              f"{train_images.shape[1]}×{train_images.shape[2]} pixels (uint8, 0 to 255). Pixel mean "
              f"{pixel_mean:.4f} and std {pixel_std:.4f} (measured on 10,000 training images) "
              "feed `Normalize`. The first of each digit:"),
        mo.hstack([mo.image(charts.png(train_images[i], scale=2), caption=str(train_labels[i]))
                   for i in _first], justify="start"),
        charts.bar([{"digit": str(d), "training images": int(c)} for d, c in enumerate(_counts)],
                   "digit", "training images", title="images per digit", height=160),
    ])
    return pixel_mean, pixel_std


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: train on MNIST

    Choose a run and press **Train**. The training images after the ones used for training
    are held out: the accuracy curve is measured on some of them while training runs. Press
    **■ Stop training** (it appears above the progress bar) to end training early; the
    network keeps what it has learned and is graded all the same, marked as stopped.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    run_length = mo.ui.radio(
        options={"quick: 784-128-10, 2 epochs (under a minute in the browser)": "quick",
                 "long: 784-128-10, 6 epochs, cosine learning-rate decay (about 3x longer)": "long"},
        value="quick: 784-128-10, 2 epochs (under a minute in the browser)", label="run")
    run_length
    return (run_length,)


@app.cell(hide_code=True)
def _(run_length):
    budget = {
        "quick": {"hidden": 128, "epochs": 2, "batch_size": 128, "lr": 2e-3, "samples": 55_000},
        "long": {"hidden": 128, "epochs": 6, "batch_size": 128, "lr": 2e-3, "samples": 55_000,
                 "cosine": True},
    }[run_length.value]
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell(hide_code=True)
def _(budget, pixel_mean, pixel_std, tinytorch, train_images, train_labels, transforms):
    # Plumbing for the training cell below: the pixel scaling, and the held-out images the live
    # display's accuracy curve is measured on (the training images after the ones trained on).
    normalize = transforms.Compose([transforms.ToFloat(), transforms.Normalize(pixel_mean, pixel_std)])
    _held_out = slice(budget["samples"], budget["samples"] + 1_000)

    def validate(net):
        with tinytorch.no_grad():
            _scores = net(tinytorch.tensor(normalize(train_images[_held_out]))).numpy()
        return {"accuracy": float((_scores.argmax(axis=1) == train_labels[_held_out]).mean())}

    return normalize, validate


@app.cell
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    budget,
    live,
    missing_mnist,
    mo,
    nn,
    normalize,
    progress,
    tinytorch,
    train_button,
    train_images,
    train_labels,
    validate,
):
    mo.stop(not train_button.value, progress.waiting("train the network"))
    mo.stop(train_images is None, missing_mnist)
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, budget["hidden"]), nn.ReLU(),
                          nn.Linear(budget["hidden"], 10))
    optimizer = tinytorch.optim.Adam(model.parameters(), lr=budget["lr"])
    scheduler = (tinytorch.optim.lr_scheduler.CosineAnnealingLR(optimizer, budget["epochs"])
                 if budget.get("cosine") else None)
    _n = budget["samples"]
    loader = DataLoader(TensorDataset(train_images[:_n], train_labels[:_n]), batch_size=budget["batch_size"],
                        shuffle=True, seed=0, transform=normalize)
    training = live.LiveTraining(len(loader) * budget["epochs"], batch_size=budget["batch_size"],
                                 validate=validate)
    trainer = Trainer(model, optimizer, scheduler=scheduler, callbacks=[training])
    trainer.fit(loader, epochs=budget["epochs"], interruptible=True)
    mo.vstack([training.view(), mo.md(f"{model.num_parameters():,} parameters; the accuracy curve is "
                                      "measured on 1,000 held-out training images.")])
    return loader, model, optimizer, scheduler, trainer, training


@app.cell(hide_code=True)
def _(model, normalize, np, test_images, tinytorch):
    model.eval()
    with tinytorch.no_grad():
        _logits = np.concatenate([model(tinytorch.tensor(normalize(test_images[i:i + 1000]))).numpy()
                                  for i in range(0, len(test_images), 1000)])
    test_predictions = _logits.argmax(axis=1)
    _shifted = np.exp(_logits - _logits.max(axis=1, keepdims=True))
    test_confidence = (_shifted / _shifted.sum(axis=1, keepdims=True)).max(axis=1)
    return test_confidence, test_predictions


@app.cell(hide_code=True)
def _(charts, mo, np, published, recording, test_labels, test_predictions, training):
    test_accuracy = float((test_predictions == test_labels).mean())
    results = {"test_accuracy": test_accuracy, "train_seconds": training.seconds, "stopped": training.stopped,
               "batches_done": training.done, "batches_total": training.total}
    _confusion = np.bincount(10 * test_labels + test_predictions, minlength=100).reshape(10, 10)
    _per_digit = np.diag(_confusion) / _confusion.sum(axis=1)
    _off = _confusion - np.diag(np.diag(_confusion))
    _t, _p = np.unravel_index(_off.argmax(), _off.shape)
    mo.vstack([
        mo.callout(mo.md(f"## Test accuracy: {test_accuracy:.2%}"
                         + (f" (stopped after {training.done:,} of {training.total:,} batches)"
                            if training.stopped else "") + "\n\n"
                         f"{int((test_predictions == test_labels).sum()):,} of {len(test_labels):,} test "
                         "images right, none of them seen in training."),
                   kind="success" if test_accuracy >= 0.95 else "info"),
        published(results),
        recording.milestone("milestone_1986_mlp",  # the bar (milestone_goals): 95% of the test digits
                            {"test_accuracy": test_accuracy, "train_seconds": round(training.seconds, 1)}),
        mo.hstack([
            charts.heatmap(_confusion, x_title="predicted", y_title="true digit", annotate=True,
                           width=340, title="confusion matrix (test set)"),
            mo.vstack([mo.md(f"""
            Hardest digit: **{int(_per_digit.argmin())}** ({_per_digit.min():.1%} right);
            easiest: **{int(_per_digit.argmax())}** ({_per_digit.max():.1%}).

            Most common mistake: a true **{_t}** read as **{_p}**, {_off.max()} times.
            """)]),
        ], justify="start"),
    ])
    return results, test_accuracy


@app.cell(hide_code=True)
def _(charts, mo, np, test_confidence, test_images, test_labels, test_predictions):
    _wrong = np.flatnonzero(test_predictions != test_labels)
    _worst = _wrong[np.argsort(-test_confidence[_wrong])][:24]
    mo.vstack([
        mo.md(f"**The {len(_worst)} most confident mistakes** (of {len(_wrong)}): true digit → "
              "the network's answer, with the probability it gave that answer."),
        mo.hstack([mo.image(charts.png(test_images[i], scale=3),
                            caption=f"{test_labels[i]} → {test_predictions[i]} ({test_confidence[i]:.0%})")
                   for i in _worst], justify="start", wrap=True),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** The confusion matrix: given the predicted and the actual classes (integer
    arrays of equal length), return a `num_classes × num_classes` array of counts whose entry
    `[i, j]` is the number of samples of true class `i` predicted as class `j`.
    """)
    return


@app.cell
def _():
    def confusion_matrix(predicted, actual, num_classes):
        # Your code here: start from zeros and count each (actual, predicted) pair.
        raise NotImplementedError

    return (confusion_matrix,)


@app.cell(hide_code=True)
def _(checks, confusion_matrix, exercises, mo):
    checks.feedback(exercises.CONFUSION, confusion_matrix, app="milestone_1986_mlp")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** The training step that 1986 made possible: compute the cross-entropy
    loss of `model(x)` against `y` (`tinytorch.nn.functional.cross_entropy`), backpropagate it,
    update the weights with `optimizer`, and return the loss as a Python float. The checks
    compare your weights after one and two steps with the reference's, from the same start.
    """)
    return


@app.cell
def _(F):
    def train_step(model, optimizer, x, y):
        # Your code here: loss = F.cross_entropy(...), clear old gradients, backward, step;
        # return the loss as a float.
        raise NotImplementedError

    return (train_step,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, train_step):
    checks.feedback(exercises.TRAIN_STEP, train_step, app="milestone_1986_mlp")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: where a training step spends its time

    One step is: fetch and normalise a batch, run the network forward (and the loss),
    backpropagate, and let Adam update the weights. Press the button to time each part on
    your machine for a fresh network of the size chosen above, at three batch sizes.
    """)
    return


@app.cell(hide_code=True)
def _():
    timing_settings = {"batch_sizes": (32, 128, 512), "repeat": 3}
    return (timing_settings,)


@app.cell(hide_code=True)
def _(mo):
    timing_button = mo.ui.run_button(label="Time the parts of a step")
    timing_button
    return (timing_button,)


@app.cell(hide_code=True)
def _(
    F,
    charts,
    kernels,
    measure,
    mo,
    nn,
    np,
    progress,
    budget,
    timing_button,
    timing_settings,
    tinytorch,
    train_images,
    train_labels,
    transforms,
):
    mo.stop(not timing_button.value, progress.waiting("time forward, backward and the update"))
    _h = budget["hidden"]
    _rng = np.random.default_rng(0)
    if train_images is None:  # timing needs no real digits: random pixels cost the same
        _images, _labels = _rng.integers(0, 256, (1024, 28, 28), dtype=np.uint8), _rng.integers(0, 10, 1024)
    else:
        _images, _labels = train_images, train_labels
    _prep = transforms.Compose([transforms.ToFloat(), transforms.Normalize(0.13, 0.31)])
    _rows, _flops = [], {}
    with mo.status.progress_bar(total=len(timing_settings["batch_sizes"]), title="timing") as _bar:
        for _b in timing_settings["batch_sizes"]:
            _net = nn.Sequential(nn.Flatten(), nn.Linear(784, _h), nn.ReLU(), nn.Linear(_h, 10))
            _opt = tinytorch.optim.Adam(_net.parameters(), lr=1e-3)
            _idx = _rng.permutation(len(_images))[:_b]
            _x, _y = tinytorch.tensor(_prep(_images[_idx])), tinytorch.tensor(_labels[_idx])

            def _data(b=_b):  # a random batch (a DataLoader draws one permutation per epoch instead)
                i = _rng.integers(0, len(_images), b)
                return tinytorch.tensor(_prep(_images[i])), tinytorch.tensor(_labels[i])

            def _forward(net=_net, x=_x, y=_y):
                return F.cross_entropy(net(x), y)

            def _forward_backward(net=_net, x=_x, y=_y):
                net.zero_grad()
                F.cross_entropy(net(x), y).backward()

            _forward_backward()
            _r = timing_settings["repeat"]
            _t = {"data": measure.best_time(_data, repeat=_r),
                  "forward": measure.best_time(_forward, repeat=_r)}
            _t["backward"] = max(measure.best_time(_forward_backward, repeat=_r) - _t["forward"], 0.0)
            _t["update"] = measure.best_time(_opt.step, repeat=_r)
            _rows += [{"batch size": str(_b), "µs per image": 1e6 * _t[k] / _b, "part": k} for k in _t]
            _flops[_b] = 3 * 2 * _b * (784 * _h + _h * 10) / (_t["forward"] + _t["backward"]) / 1e9
            _bar.update()
    _per_image = {r["batch size"]: 0.0 for r in _rows}
    for _r in _rows:
        _per_image[_r["batch size"]] += _r["µs per image"]
    _chosen = str(budget["batch_size"])
    _chosen = _chosen if _chosen in _per_image else next(iter(_per_image))
    mo.hstack([
        charts.stacked_bar(_rows, "batch size", "µs per image", "part",
                           title=f"one training step, per image (784-{_h}-10)"),
        mo.vstack([mo.md(f"""
        Matrix multiplies use the **{kernels.active_matmul_kernel()}** kernel here. Forward plus
        backward reach **{max(_flops.values()):.1f} GFLOP/s** at the best batch size.

        At batch {_chosen}, a step costs **{_per_image[_chosen]:.1f} µs per image**, so an epoch of
        {budget["samples"]:,} images should take about
        **{_per_image[_chosen] * budget["samples"] / 1e6:.1f} s** on this machine.
        Small batches pay the fixed costs (Python, creating tensors, the optimizer's loop over
        the parameters) more often per image; large batches spend their time in the matrix
        multiplies.
        """)]),
    ], justify="start")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - An MLP is layers of `Linear` and a nonlinearity; backpropagation gets every weight's
      gradient from one backward pass, so hidden layers can be trained.
    - Minibatches, an optimizer and a couple of epochs are all it takes: the test accuracy
      you measured above is on digits the network had never seen.
    - Grade on held-out data; the confusion matrix and the confident mistakes say *how* it
      fails (many of its mistakes are digits a person would hesitate over too).
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("milestone-1986")
    return


if __name__ == "__main__":
    app.run()
