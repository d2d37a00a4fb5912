# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="1998 LeNet reads digits with convolutions")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch import datasets
    from tinytorch.core import spatial, transforms
    from tinytorch.core.dataloader import DataLoader, TensorDataset
    from tinytorch.core.training import StepSchedulePerBatch, Trainer
    from tinytorch.course import charts, checks, grading, image_grid, live, missing_data, progress, recording
    from tinytorch.course.exercises import cnn as exercises
    from tinytorch.course.results import published

    return (
        DataLoader,
        StepSchedulePerBatch,
        TensorDataset,
        Trainer,
        charts,
        checks,
        datasets,
        exercises,
        grading,
        image_grid,
        live,
        missing_data,
        mo,
        nn,
        np,
        progress,
        published,
        recording,
        spatial,
        tinytorch,
        transforms,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # Milestone 1998 · LeNet reads digits with convolutions

    **Goal.** Train a convolutional network, LeCun's LeNet in a small size, on real handwritten
    digits (MNIST) in your browser, aiming at **98% test accuracy within three minutes** of
    training (the live display shows the rate and time left on your machine). Watch its
    first-layer filters take shape while it learns, then grade it honestly on digits it never
    saw: its test accuracy, its confusions and its most confident mistakes. Finally, try the
    same idea on colour photos (CIFAR-10) on a budget you set.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    The 1986 MLP flattens a digit into 784 numbers and learns a separate weight for every
    pixel: a stroke at the top left and the same stroke one pixel lower are unrelated to it.
    LeCun, Bottou, Bengio and Haffner's LeNet (1998) builds in two facts about images instead.

    **Convolution** (weight sharing): one small kernel $K$ of size $k \times k$ slides over the
    image $X$ and takes a dot product at every position,

    $$Y[i, j] = b + \sum_{c} \sum_{u=0}^{k-1} \sum_{v=0}^{k-1} K[c, u, v]\, X[c, i + u, j + v],$$

    so a stroke detector learned anywhere works everywhere, with $k^2$ weights per input
    channel instead of one per pixel. A layer learns several kernels ("filters"), each making
    a feature map. An $H \times W$ input gives an $(H - k + 1) \times (W - k + 1)$ output
    (plus $2p$ with padding $p$).

    **Pooling** keeps the largest value of each $2 \times 2$ block: the maps shrink by half,
    small shifts of the digit stop mattering, and the next layer's $5 \times 5$ kernel sees
    a $14 \times 14$ patch of the original image.

    The network below: conv $5 \times 5$ (6 filters) → ReLU → max-pool → conv $5 \times 5$
    (16 filters) → ReLU → max-pool → a linear layer from the $16 \times 4 \times 4$ features
    to the 10 digits. About 5,000 weights, far fewer than the MLP's 100,000, and better at
    digits, because the structure does part of the learning. Its cost is in the
    convolutions: about 240,000 multiply-adds per image forward, three times that to train.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## The data
    """)
    return


@app.cell(hide_code=True)
def _(datasets, missing_data):
    _mnist, _error = missing_data.try_load(datasets.load_mnist, "train", "test")
    (train_images, train_labels), (test_images, test_labels) = _mnist or ((None, None), (None, None))
    missing_mnist = missing_data.missing_callout(
        "MNIST", "`mnist/train-images-idx3-ubyte.gz` and its three siblings", _error,
        "the course site serves them")
    return missing_mnist, test_images, test_labels, train_images, train_labels


@app.cell(hide_code=True)
def _(missing_mnist, mo, test_images, train_images, transforms):
    mo.stop(train_images is None, missing_mnist)
    pixel_mean = float(train_images[:10_000].mean() / 255)
    pixel_std = float(train_images[:10_000].std() / 255)
    normalize = transforms.Compose([transforms.ToFloat(), transforms.Normalize(pixel_mean, pixel_std)])
    mo.md(f"**{len(train_images):,}** training and {len(test_images):,} test digits of "
          f"{train_images.shape[1]}×{train_images.shape[2]} pixels. A convolution wants a channel "
          f"axis, so each batch is (batch, 1, 28, 28), normalised with the pixel mean {pixel_mean:.4f} "
          f"and std {pixel_std:.4f} (measured on 10,000 training images).")
    return (normalize,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: train LeNet on MNIST

    Choose a run and press **Train**. The live view shows the loss, the accuracy on 500
    held-out training images, and the six first-layer filters as they learn (light: the filter
    responds to ink there, dark: to its absence). **■ Stop training** ends the run early; the
    network is graded all the same, marked as stopped. Training uses Adam with a learning rate
    that follows a cosine from 0.003 down to 0 over the run's batches: large steps early, fine
    ones at the end. The times and accuracies below are measured here, in your session.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    run_choice = mo.ui.radio(
        options={"quick look: 10,000 digits, 1 epoch": "quick",
                 "default: 2 epochs of 59,000 digits (the run aiming at 98%)": "default",
                 "long: 4 epochs of 59,000 digits (twice the default's time)": "long"},
        value="default: 2 epochs of 59,000 digits (the run aiming at 98%)", label="run")
    run_choice
    return (run_choice,)


@app.cell(hide_code=True)
def _(run_choice):
    budget = {
        "quick": {"filters": (6, 16), "samples": 10_000, "epochs": 1, "batch_size": 64, "lr": 3e-3},
        "default": {"filters": (6, 16), "samples": 59_000, "epochs": 2, "batch_size": 64, "lr": 3e-3},
        "long": {"filters": (6, 16), "samples": 59_000, "epochs": 4, "batch_size": 64, "lr": 3e-3},
    }[run_choice.value]
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell
def _(
    DataLoader,
    StepSchedulePerBatch,
    TensorDataset,
    Trainer,
    budget,
    image_grid,
    live,
    missing_mnist,
    mo,
    nn,
    normalize,
    progress,
    spatial,
    tinytorch,
    train_button,
    train_images,
    train_labels,
):
    mo.stop(not train_button.value, progress.waiting("train LeNet"))
    mo.stop(train_images is None, missing_mnist)

    def lenet(filters):
        """Conv 5x5 -> ReLU -> pool, twice, then one Linear layer to the 10 digits."""
        first, second = filters
        return nn.Sequential(
            spatial.Conv2d(1, first, kernel_size=5), nn.ReLU(), spatial.MaxPool2d(2),  # first x 12 x 12
            spatial.Conv2d(first, second, kernel_size=5), nn.ReLU(), spatial.MaxPool2d(2),  # second x 4 x 4
            nn.Flatten(),
            nn.Linear(second * 4 * 4, 10),
        )

    tinytorch.manual_seed(0)
    model = lenet(budget["filters"])
    optimizer = tinytorch.optim.Adam(model.parameters(), lr=budget["lr"])
    _n, _epochs = budget["samples"], budget["epochs"]
    _digits = train_images[:, None]  # (N, 1, 28, 28): one input channel
    _loader = DataLoader(TensorDataset(_digits[:_n], train_labels[:_n]), batch_size=budget["batch_size"],
                         shuffle=True, seed=0, transform=normalize)
    _val_x = tinytorch.tensor(normalize(_digits[_n:_n + 500]))  # held out from training
    _val_y = train_labels[_n:_n + 500]

    def _validate(net):
        with tinytorch.no_grad():
            return {"accuracy": float((net(_val_x).numpy().argmax(axis=1) == _val_y).mean())}

    def _filters(view):
        _w = model[0].weight.numpy()
        return [image_grid.image_grid(image_grid.filter_images(_w), [f"filter {i}" for i in range(len(_w))],
                                      columns=8, scale=8, title="first-layer filters, now")]

    _steps = len(_loader) * _epochs
    _decay = StepSchedulePerBatch(tinytorch.optim.lr_scheduler.CosineAnnealingLR(optimizer, _steps))
    training = live.LiveTraining(_steps, batch_size=budget["batch_size"], validate=_validate,
                                 validate_every=max(_steps // 10, 25), extra=_filters)
    Trainer(model, optimizer, callbacks=[_decay, training]).fit(_loader, epochs=_epochs, interruptible=True)
    training.view()
    return model, training


@app.cell(hide_code=True)
def _(grading, model, normalize, test_images, test_labels, training):
    graded = grading.grade(model, test_images[:, None], test_labels, normalize)
    results = {
        "test_accuracy": graded.accuracy,
        "train_seconds": training.seconds,
        "batches_done": training.done,
        "batches_total": training.total,
        "stopped": training.stopped,
        "parameters": model.num_parameters(),
    }
    return graded, results


@app.cell(hide_code=True)
def _(charts, graded, mo, published, recording, results, training):
    _common = graded.most_common_mistake()
    _per = graded.per_class()
    mo.vstack([
        mo.callout(mo.md(
            f"## Test accuracy: {results['test_accuracy']:.2%}"
            + (f" (stopped after {training.done:,} of {training.total:,} batches)"
               if results["stopped"] else "")
            + f"\n\n{graded.right:,} of {len(graded.labels):,} test digits right, none of them seen in "
            f"training, after **{results['train_seconds']:.1f} s** of training here "
            f"({results['parameters']:,} parameters)."),
            kind="success" if results["test_accuracy"] >= 0.98 else "info"),
        published(results),  # the figures as values, for the browser tests and bench_site.py
        recording.milestone("milestone_1998_cnn",  # the bar (milestone_goals): 98% of the test digits
                            {"mnist_test_accuracy": results["test_accuracy"],
                             "mnist_train_seconds": round(results["train_seconds"], 1)}),
        mo.hstack([
            charts.heatmap(graded.confusion, x_title="predicted", y_title="true digit", annotate=True,
                           width=340, title="confusion matrix (test set)"),
            mo.md(f"""
            Hardest digit: **{int(_per.argmin())}** ({_per.min():.1%} right);
            easiest: **{int(_per.argmax())}** ({_per.max():.1%}).

            """ + (f"Most common mistake: a true **{_common[0]}** read as **{_common[1]}**, "
                   f"{_common[2]} times." if _common else "No mistakes at all.")),
        ], justify="start"),
    ])
    return


@app.cell(hide_code=True)
def _(graded, image_grid, mo, test_images):
    _worst = graded.mistakes(24)
    mo.stop(len(_worst) == 0, mo.md("No mistakes on the test set: nothing to show."))
    mo.vstack([
        mo.md(f"**The {len(_worst)} most confident mistakes** (of {len(graded.labels) - graded.right}): "
              "true digit → the network's answer, with the probability it gave that answer."),
        image_grid.image_grid(
            test_images[_worst],
            [f"{graded.labels[i]} → {graded.predictions[i]} ({graded.confidence[i]:.0%})" for i in _worst],
            columns=8, scale=2,
            tooltips=[f"test image {i}: true {graded.labels[i]}, answered {graded.predictions[i]} "
                      f"with probability {graded.confidence[i]:.1%}" for i in _worst]),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## What the filters learned

    Each first-layer filter is a $5 \times 5$ pattern; its feature map is how strongly each
    part of the digit matches it (after the ReLU, only positive matches survive). Typical
    filters become edge and stroke detectors: light on one side, dark on the other. The
    second layer combines these maps into parts of digits.
    """)
    return


@app.cell(hide_code=True)
def _(graded, image_grid, mo, model, normalize, np, test_images, tinytorch):
    _index = int(np.flatnonzero(graded.predictions == graded.labels)[0]) if graded.right else 0
    with tinytorch.no_grad():
        _digit = tinytorch.tensor(normalize(test_images[_index:_index + 1, None]))
        _maps = model[1](model[0](_digit)).numpy()[0]  # conv, then ReLU
    _weights = model[0].weight.numpy()
    mo.hstack([
        image_grid.image_grid(image_grid.filter_images(_weights),
                              [f"filter {i}" for i in range(len(_weights))], columns=6, scale=10,
                              title="learned 5×5 filters"),
        image_grid.image_grid([test_images[_index] / 255], [f"test digit {_index}"], scale=3, title="input"),
        image_grid.image_grid(image_grid.feature_maps(_maps), [f"map {i}" for i in range(len(_maps))],
                              columns=3, scale=3, title="its feature maps (after ReLU)"),
    ], justify="start", wrap=True)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Harder: CIFAR-10 on a budget you set

    CIFAR-10 is 60,000 colour photos of $32 \times 32$ pixels in ten classes (planes, cars,
    birds, cats, ...). Objects vary in pose, size, colour and background, so it needs more
    filters, more layers and far more computation than digits. The project's native recipe,

    ```text
    python -m milestones.cnn_1998 --dataset cifar10
    ```

    (a VGG-style network of 576,170 parameters, 4 epochs with augmentation, batch norm and a
    one-cycle schedule) measured **82.14%** test accuracy in **16 min 10 s** of training on
    the project's 2-core machine with NumPy and BLAS (docs/benchmarks-architecture.md). The
    browser has one thread and no BLAS, so here you choose a smaller network and a budget: how
    many training photos, how many epochs, how wide. The accuracy you get is measured on the
    test photos, whatever it is; chance is 10%.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    cifar_images = mo.ui.slider(1_000, 50_000, step=1_000, value=5_000, label="training photos",
                                show_value=True)
    cifar_epochs = mo.ui.slider(1, 10, value=2, label="epochs", show_value=True)
    cifar_width = mo.ui.dropdown({"8": 8, "16": 16, "32": 32}, value="8", label="filters in the first layer")
    mo.hstack([cifar_images, cifar_epochs, cifar_width], justify="start")
    return cifar_epochs, cifar_images, cifar_width


@app.cell(hide_code=True)
def _(mo):
    cifar_button = mo.ui.run_button(label="Load CIFAR-10 and run")
    cifar_button
    return (cifar_button,)


@app.cell(hide_code=True)
def _(cifar_epochs, cifar_images, cifar_width):
    cifar_budget = {"samples": cifar_images.value, "epochs": cifar_epochs.value, "width": cifar_width.value,
                    "batch_size": 64, "lr": 2e-3, "test_samples": 10_000}
    return (cifar_budget,)


@app.cell(hide_code=True)
def _(cifar_button, datasets, missing_data, mo, progress, transforms):
    mo.stop(not cifar_button.value, progress.waiting("load CIFAR-10 (170 MB) and train"))
    with mo.status.spinner(title="Loading CIFAR-10 (170 MB; in the browser this takes a while)"):
        _cifar, _error = missing_data.try_load(datasets.load_cifar10, "train", "test")
    mo.stop(_cifar is None, missing_data.missing_callout(
        "CIFAR-10", "`cifar-10/cifar-10-binary.tar.gz` (170 MB)", _error,
        "the course site has it only when built with `python build_site.py --data all` (the one file "
        "is larger than some hosts allow)", kind="warn"))
    cifar_train, cifar_test = _cifar
    cifar_normalize = transforms.Compose([
        transforms.ToFloat(), transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))])
    return cifar_normalize, cifar_test, cifar_train


@app.cell
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    cifar_budget,
    cifar_normalize,
    cifar_train,
    live,
    nn,
    spatial,
    tinytorch,
    transforms,
):
    def small_cnn(width):
        """Three stages of conv 3x3 + batch norm + ReLU + pool (32 -> 16 -> 8 -> 4 pixels),
        then global average pooling and a Linear layer to the 10 classes."""
        stages, channels = [], 3
        for out in (width, 2 * width, 4 * width):
            stages += [spatial.Conv2d(channels, out, 3, padding=1, bias=False), spatial.BatchNorm2d(out),
                       nn.ReLU(), spatial.MaxPool2d(2)]
            channels = out
        return nn.Sequential(*stages, spatial.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 10))

    tinytorch.manual_seed(0)
    cifar_model = small_cnn(cifar_budget["width"])
    _n = cifar_budget["samples"]
    _loader = DataLoader(TensorDataset(cifar_train[0][:_n], cifar_train[1][:_n]),
                         batch_size=cifar_budget["batch_size"], shuffle=True, seed=0,
                         transform=transforms.Compose([transforms.RandomHorizontalFlip(), cifar_normalize]))
    _optimizer = tinytorch.optim.Adam(cifar_model.parameters(), lr=cifar_budget["lr"])
    cifar_training = live.LiveTraining(len(_loader) * cifar_budget["epochs"], title="Training on CIFAR-10",
                                       batch_size=cifar_budget["batch_size"])
    Trainer(cifar_model, _optimizer, callbacks=[cifar_training]).fit(
        _loader, epochs=cifar_budget["epochs"], interruptible=True)
    cifar_training.view()
    return cifar_model, cifar_training


@app.cell(hide_code=True)
def _(
    charts,
    cifar_budget,
    cifar_model,
    cifar_normalize,
    cifar_test,
    cifar_training,
    datasets,
    grading,
    mo,
):
    _k = cifar_budget["test_samples"]
    with mo.status.spinner(title=f"Grading on {_k:,} test photos"):
        cifar_graded = grading.grade(cifar_model, cifar_test[0][:_k], cifar_test[1][:_k], cifar_normalize)
    cifar_results = {
        "test_accuracy": cifar_graded.accuracy,
        "test_photos": len(cifar_graded.labels),
        "train_seconds": cifar_training.seconds,
        "photos": cifar_budget["samples"],
        "epochs_planned": cifar_budget["epochs"],
        "batches_done": cifar_training.done,
        "batches_total": cifar_training.total,
        "stopped": cifar_training.stopped,
        "parameters": cifar_model.num_parameters(),
    }
    _per = cifar_graded.per_class()
    _r = cifar_results
    mo.vstack([
        mo.callout(mo.md(
            f"## CIFAR-10 test accuracy: {_r['test_accuracy']:.2%}"
            + (f" (stopped after {_r['batches_done']:,} of {_r['batches_total']:,} batches)"
               if _r["stopped"] else "")
            + f"\n\nOn {_r['test_photos']:,} test photos, after {_r['train_seconds']:.1f} s of training "
            f"here on {_r['photos']:,} photos ({_r['parameters']:,} parameters). Chance is 10%."),
            kind="info"),
        mo.md(f"""
        | run | test accuracy | training time | where |
        |---|---|---|---|
        | yours | {_r['test_accuracy']:.2%} | {_r['train_seconds']:.0f} s | this session |
        | the native recipe (command above) | 82.14% | 16 min 10 s | 2 CPU cores, NumPy with BLAS |

        Best class: **{datasets.CIFAR10_CLASSES[int(_per.argmax())]}** ({_per.max():.0%} right); hardest:
        **{datasets.CIFAR10_CLASSES[int(_per.argmin())]}** ({_per.min():.0%}).
        """),
        charts.heatmap(cifar_graded.confusion, x_title="predicted", y_title="true class", annotate=True,
                       x_labels=datasets.CIFAR10_CLASSES, y_labels=datasets.CIFAR10_CLASSES, width=360,
                       title="confusion matrix (test photos)"),
    ])
    return (cifar_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Where LeNet's numbers come from: return the height (or width) of a
    convolution's or a pooling layer's output for an input of `size` pixels, a kernel of
    `kernel_size`, a `stride` and `padding` pixels of zeros on each side. Raise `ValueError`
    when the kernel does not fit.
    """)
    return


@app.cell
def _():
    def conv_output_size(size, kernel_size, stride=1, padding=0):
        # Your code here: how many positions can the kernel take along the padded axis?
        raise NotImplementedError

    return (conv_output_size,)


@app.cell(hide_code=True)
def _(checks, conv_output_size, exercises):
    checks.feedback(exercises.OUTPUT_SIZE, conv_output_size, app="milestone_1998_cnn")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Weight sharing in numbers: return how many parameters (weights and
    biases) a `Conv2d(in_channels, out_channels, kernel_size)` has, and then how many a
    `Linear` layer would need to map the same input image (`in_channels × height × width`
    values) to the same output maps (`out_channels × out_height × out_width`, without padding,
    stride 1). Return both as a pair of ints.
    """)
    return


@app.cell
def _():
    def conv_vs_linear_parameters(in_channels, out_channels, kernel_size, height, width):
        # Your code here: (parameters of the convolution, parameters of the equivalent Linear).
        raise NotImplementedError

    return (conv_vs_linear_parameters,)


@app.cell(hide_code=True)
def _(checks, conv_vs_linear_parameters, exercises):
    checks.feedback(exercises.SHARED_WEIGHTS, conv_vs_linear_parameters, app="milestone_1998_cnn")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A convolution shares one small kernel across every position: few weights, and what it
      learns anywhere works everywhere. Pooling shrinks the maps and forgives small shifts.
    - A LeNet of about 5,000 weights beats the 1986 MLP of 100,000 on digits; its cost is in
      the convolutions, which is why the browser's run is a small LeNet.
    - Colour photos need much more: the same recipe, wider and deeper, and more computation
      than a browser tab has to give in a few minutes.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("milestone-1998")
    return


if __name__ == "__main__":
    app.run()
