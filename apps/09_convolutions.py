# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="09 Spatial (convolutions)")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch import datasets
    from tinytorch.core import transforms
    from tinytorch.core.dataloader import DataLoader, TensorDataset
    from tinytorch.core.training import Trainer
    from tinytorch.course import charts, checks, convolution, live, measure, progress
    from tinytorch.course.exercises import convolutions as exercises
    from tinytorch.perf import profiling

    return (
        DataLoader,
        TensorDataset,
        Trainer,
        charts,
        checks,
        convolution,
        datasets,
        exercises,
        live,
        measure,
        mo,
        nn,
        np,
        profiling,
        progress,
        tinytorch,
        transforms,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 09 · Spatial: convolutions

    **Goal.** By the end of this module you can compute a convolution by hand and in one
    vectorised line, say what shape comes out for any kernel, stride and padding, explain why
    a convolution needs thousands of times fewer parameters than a `Linear` layer on the same
    image, and see what the filters of a trained network look for.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A `Linear` layer on a $28 \times 28$ image treats its 784 pixels as an unordered list:
    moving the digit one pixel right gives it an unrelated input. A **convolution** slides one
    small kernel $w$ of $k \times k$ weights over the image and takes a dot product at every
    position (a cross-correlation; deep learning calls it convolution):

    $$y[o, i, j] = b_o + \sum_{c} \sum_{u=0}^{k-1} \sum_{v=0}^{k-1}
    w[o, c, u, v] \; x[c, \, i s + u, \, j s + v] .$$

    The same weights are used at every position (**weight sharing**), and each output reads
    only a $k \times k$ neighbourhood (**locality**). With stride $s$ and zero padding $p$ an
    $H \times W$ image gives

    $$O_H = \left\lfloor \frac{H + 2p - k}{s} \right\rfloor + 1, \qquad
    O_W = \left\lfloor \frac{W + 2p - k}{s} \right\rfloor + 1 .$$

    **Cost.** $C_{out}$ filters over $C_{in}$ channels hold $C_{out} C_{in} k^2 + C_{out}$
    parameters, whatever the image size, and take $2 \, C_{out} O_H O_W C_{in} k^2$ FLOPs.
    A `Linear` layer from the same input to the same output holds one weight per
    (input pixel, output value) pair: $H W C_{in} \cdot O_H O_W C_{out}$.

    **im2col.** Copy every receptive field into a column of one matrix ($C_{in} k^2$ rows,
    one column per output position); the whole convolution is then one matrix product
    $W_{(C_{out} \times C_{in}k^2)} \cdot \text{cols}$, which runs at matrix-multiply speed.
    tinytorch's `Conv2d` does exactly this.
    """)
    return


@app.cell(hide_code=True)
def _(datasets, mo):
    try:
        digit_images, digit_labels = datasets.load_mnist("test")
        digits_note = None
    except datasets.DatasetError as _error:
        digit_images, digit_labels = datasets.load_digits()
        digits_note = mo.callout(mo.md(
            f"**MNIST is not available here**, so the 8×8 UCI digits (shipped with tinytorch) are "
            f"used instead. Set the environment variable `TINYTORCH_DATA` to a data folder holding "
            f"`mnist/` (or go online) for 28×28 MNIST.\n\n```text\n{_error}\n```"), kind="warn")
    digit_max = 255 if digit_images.shape[-1] == 28 else 16
    return digit_images, digit_labels, digit_max, digits_note


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: hand-set kernels on a digit

    Five $3 \times 3$ kernels designed by hand, each slid over the digit (padding 1, so the
    maps keep the image's size). Edge kernels sum to zero: flat regions give 0, and the map
    lights up where brightness changes. Grey is 0, white positive, black negative.
    """)
    return


@app.cell(hide_code=True)
def _(digit_images, digits_note, mo):
    digit_index = mo.ui.slider(start=0, stop=len(digit_images) - 1, value=0, label="test image",
                               show_value=True)
    mo.vstack(([digits_note] if digits_note is not None else []) + [digit_index])
    return (digit_index,)


@app.cell(hide_code=True)
def _(digit_images, digit_index, digit_max, np):
    digit = digit_images[digit_index.value].astype(np.float32) / digit_max
    return (digit,)


@app.cell(hide_code=True)
def _(charts, np):
    def signed_png(feature_map, scale):
        """A map with positive and negative values: 0 grey, +max white, -max black."""
        peak = float(np.abs(feature_map).max()) or 1.0
        return charts.png(0.5 + 0.5 * feature_map / peak, scale=scale)

    return (signed_png,)


@app.cell(hide_code=True)
def _(charts, convolution, digit, digit_index, digit_labels, mo, signed_png):
    _maps = convolution.feature_maps(digit, convolution.kernel_stack())
    _scale = max(2, 112 // digit.shape[-1])
    _label = f"a {digit_labels[digit_index.value]}"
    mo.hstack([mo.image(charts.png(digit, scale=_scale), caption=_label, width=112)]
              + [mo.image(signed_png(m, _scale), caption=name, width=112)
                 for name, m in zip(convolution.KERNELS, _maps, strict=True)],
              justify="start", wrap=True)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: im2col on a small image

    Pixels numbered row by row; each **column** of the matrix below is one output position's
    receptive field, each **row** one kernel tap. `-1` marks a zero from padding. A pixel
    appears in up to $k^2$ columns: im2col trades memory for one large, fast matrix product.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    im2col_size = mo.ui.slider(start=3, stop=6, value=4, label="image size", show_value=True)
    im2col_kernel = mo.ui.slider(start=1, stop=3, value=3, label="kernel k", show_value=True)
    im2col_stride = mo.ui.slider(start=1, stop=2, value=1, label="stride", show_value=True)
    im2col_padding = mo.ui.slider(start=0, stop=1, value=0, label="padding", show_value=True)
    mo.hstack([im2col_size, im2col_kernel, im2col_stride, im2col_padding], justify="start", wrap=True)
    return im2col_kernel, im2col_padding, im2col_size, im2col_stride


@app.cell(hide_code=True)
def _(charts, convolution, im2col_kernel, im2col_padding, im2col_size, im2col_stride, mo, np):
    _n, _k = im2col_size.value, im2col_kernel.value
    _cols = convolution.im2col_indices(_n, _n, _k, im2col_stride.value, im2col_padding.value)
    _taps = [f"({u},{v})" for u in range(_k) for v in range(_k)]
    mo.hstack([
        charts.heatmap(np.arange(_n * _n).reshape(_n, _n), annotate=True, width=30 * _n,
                       title=f"{_n}×{_n} image, pixel numbers"),
        charts.heatmap(_cols, x_title="output position", y_title="kernel tap (u, v)", y_labels=_taps,
                       annotate=True, width=min(620, 30 * _cols.shape[1]),
                       title=f"im2col: {_cols.shape[0]} × {_cols.shape[1]}"),
        mo.md(f"""
        Output {int(np.sqrt(_cols.shape[1]))}×{int(np.sqrt(_cols.shape[1]))}, so
        **{_cols.shape[1]}** columns of **{_cols.shape[0]}** taps: the matrix holds
        {_cols.size} entries for an image of {_n * _n} pixels
        ({_cols.size / (_n * _n):.1f}× the memory).
        """),
    ], justify="start", wrap=True)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: what a trained network's filters look for

    Press **Train** to train a small convolutional network on your machine:
    `Conv2d(1, 8, 5)`, ReLU, 2×2 max-pooling, then one `Linear` layer to the ten digits.
    The eight $5 \times 5$ filters start random; watch them turn into stroke and edge
    detectors, then see the chosen digit through them.
    """)
    return


@app.cell(hide_code=True)
def _():
    budget = {"train_samples": 6000, "test_samples": 2000, "batch_size": 64, "speed_images": 4,
              "linear_batch": 16, "repeat": 3}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_epochs = mo.ui.slider(start=1, stop=3, value=1, label="epochs", show_value=True)
    train_epochs
    return (train_epochs,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell(hide_code=True)
def _(datasets, digit_images, digit_labels):
    def training_digits(n_train, n_test):
        """Training images (MNIST's training set, or the first UCI digits) and test images
        (the ones the picker shows, never trained on)."""
        if digit_images.shape[-1] == 28:
            _x, _y = datasets.load_mnist("train")
            return _x[:n_train], _y[:n_train], digit_images[:n_test], digit_labels[:n_test]
        _split = len(digit_images) * 4 // 5  # the UCI digits are one set: hold out the last fifth
        return (digit_images[:min(n_train, _split)], digit_labels[:min(n_train, _split)],
                digit_images[_split:][:n_test], digit_labels[_split:][:n_test])

    def batches_of(images, size=500):
        return [images[i:i + size] for i in range(0, len(images), size)]

    return batches_of, training_digits


@app.cell
def _(nn, tinytorch):
    def make_cnn(image_size):
        """Conv(1 -> 8, 5x5) -> ReLU -> 2x2 max-pool -> Linear to 10 digits (3x3 on 8x8 digits)."""
        kernel = 5 if image_size >= 20 else 3
        pooled = (image_size - kernel + 1) // 2
        tinytorch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(1, 8, kernel), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(8 * pooled * pooled, 10))

    return (make_cnn,)


@app.cell
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    budget,
    charts,
    digit_images,
    digit_max,
    live,
    make_cnn,
    mo,
    progress,
    signed_png,
    tinytorch,
    train_button,
    train_epochs,
    training_digits,
    transforms,
):
    mo.stop(not train_button.value, progress.waiting("train the network"))
    train_x, train_y, test_x, test_y = training_digits(budget["train_samples"], budget["test_samples"])
    prepare = transforms.Compose([transforms.ToFloat(1 / digit_max), transforms.Normalize(
        float(train_x.mean()) / digit_max, float(train_x.std()) / digit_max)])
    cnn = make_cnn(digit_images.shape[-1])
    _loader = DataLoader(TensorDataset(train_x[:, None], train_y), batch_size=budget["batch_size"],
                         shuffle=True, seed=0, transform=prepare)
    _val_x, _val_y = tinytorch.tensor(prepare(test_x[:250, None])), test_y[:250]

    def _validate(net):
        with tinytorch.no_grad():
            return {"accuracy": float((net(_val_x).numpy().argmax(axis=1) == _val_y).mean())}

    def _filters(view):
        _w = cnn[0].weight.data[:, 0]
        return [mo.md("**the eight filters now**"),
                mo.hstack([mo.image(signed_png(f, 12)) for f in _w], justify="start")]

    training = live.LiveTraining(len(_loader) * train_epochs.value, batch_size=budget["batch_size"],
                                 validate=_validate, validate_every=10, extra=_filters)
    Trainer(cnn, tinytorch.optim.Adam(cnn.parameters(), lr=3e-3), callbacks=[training]).fit(
        _loader, epochs=train_epochs.value, interruptible=True)
    training.view()
    return cnn, prepare, test_x, test_y, training


@app.cell(hide_code=True)
def _(batches_of, cnn, mo, np, prepare, test_x, test_y, tinytorch, training):
    cnn.eval()
    with tinytorch.no_grad():
        _predictions = np.concatenate([cnn(tinytorch.tensor(prepare(b[:, None]))).numpy().argmax(axis=1)
                                       for b in batches_of(test_x)])
    cnn_results = {"test_accuracy": float((_predictions == test_y).mean()), "test_images": len(test_y),
                   "train_seconds": training.seconds, "batches": training.done, "stopped": training.stopped}
    mo.callout(mo.md(
        f"**Test accuracy: {cnn_results['test_accuracy']:.2%}** on {len(test_y):,} test images never "
        f"trained on, after {training.done:,} batches in {training.seconds:.1f} s"
        + (" (stopped early)" if training.stopped else "") + f", with {cnn.num_parameters():,} parameters."),
        kind="success" if cnn_results["test_accuracy"] > 0.9 else "info")
    return (cnn_results,)


@app.cell(hide_code=True)
def _(charts, cnn, digit, digit_images, digit_index, digit_labels, mo, prepare, signed_png, tinytorch):
    with tinytorch.no_grad():
        _maps = cnn[0](tinytorch.tensor(prepare(digit_images[digit_index.value][None, None]))).numpy()[0]
    _scale = max(2, 112 // digit.shape[-1])
    mo.vstack([
        mo.md(f"The test digit chosen above (a {digit_labels[digit_index.value]}) through each trained "
              "filter: the network's first layer output, before ReLU."),
        mo.hstack([mo.image(charts.png(digit, scale=_scale), caption="input")]
                  + [mo.vstack([mo.image(signed_png(w, 12)), mo.image(signed_png(m, _scale))])
                     for w, m in zip(cnn[0].weight.data[:, 0], _maps, strict=True)],
                  justify="start", wrap=True),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1: with loops.** Write `conv2d_loops(x, weight, stride, padding)` for
    `x` of shape $(N, C, H, W)$ and `weight` of shape $(O, C, k_h, k_w)$ (NumPy arrays):
    pad, then for every image, filter and output position take the dot product of the
    receptive field with the filter. Raise `ValueError` when the channels do not match. The
    checks compare your output with tinytorch's `conv2d`.
    """)
    return


@app.cell
def _():
    def conv2d_loops(x, weight, stride=1, padding=0):
        # Your code here: np.pad the last two axes, compute OH and OW, then loop over
        # images b, filters f, and positions i, j: out[b, f, i, j] = sum(field * weight[f]).
        raise NotImplementedError

    return (conv2d_loops,)


@app.cell(hide_code=True)
def _(checks, conv2d_loops, exercises):
    checks.feedback(exercises.CONV2D_LOOPS, conv2d_loops, app="09_convolutions")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2: vectorised.** Now the same function with no Python loop over images,
    filters or positions: take every receptive field at once as a view,
    `np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))` (shape
    $(N, C, H', W', k_h, k_w)$; step it by the stride), and contract it with the weights in one
    `np.einsum` (or `np.tensordot`). A check counts the Python lines your function runs.
    """)
    return


@app.cell
def _():
    def conv2d_vectorised(x, weight, stride=1, padding=0):
        # Your code here: pad, take all receptive fields as one view, then one np.einsum
        # over channels and kernel taps: "ncijkl,ockl->noij".
        raise NotImplementedError

    return (conv2d_vectorised,)


@app.cell(hide_code=True)
def _(checks, conv2d_vectorised, exercises):
    checks.feedback(exercises.CONV2D_VECTORISED, conv2d_vectorised, app="09_convolutions")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Measure your speed-up

    Both versions on the same digits and the five hand-set kernels (padding 1), timed here,
    next to tinytorch's im2col `conv2d`. Your functions are timed once they pass their
    checks; until then the reference solutions stand in, and the table says so.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    speed_button = mo.ui.run_button(label="Time loops against vectorised")
    speed_button
    return (speed_button,)


@app.cell(hide_code=True)
def _(
    budget,
    checks,
    conv2d_loops,
    conv2d_vectorised,
    convolution,
    digit_images,
    digit_max,
    exercises,
    measure,
    mo,
    np,
    progress,
    speed_button,
):
    mo.stop(not speed_button.value, progress.waiting("time both versions"))
    _x = (digit_images[:budget["speed_images"], None] / digit_max).astype(np.float32)
    _w = convolution.kernel_stack()
    _timed = {}
    for _name, _mine, _exercise in (("loops", conv2d_loops, exercises.CONV2D_LOOPS),
                                    ("vectorised", conv2d_vectorised, exercises.CONV2D_VECTORISED)):
        _yours = checks.all_passed(_exercise.run(_mine))
        _fn = _mine if _yours else _exercise.solution
        _timed[_name] = (measure.best_time(lambda f=_fn: f(_x, _w, 1, 1), repeat=budget["repeat"]),
                         "yours" if _yours else "reference solution")
    _timed["tinytorch conv2d (im2col)"] = (
        measure.best_time(lambda: exercises.reference(_x, _w, 1, 1), repeat=budget["repeat"]), "library")
    speedup_results = {"loops_s": _timed["loops"][0], "vectorised_s": _timed["vectorised"][0],
                       "im2col_s": _timed["tinytorch conv2d (im2col)"][0],
                       "speedup": _timed["loops"][0] / _timed["vectorised"][0],
                       "whose": {k: v[1] for k, v in _timed.items()}}
    _rows = "\n".join(f"| {k} | {v[1]} | {1e3 * v[0]:.2f} ms | {_timed['loops'][0] / v[0]:,.0f}× |"
                      for k, v in _timed.items())
    mo.md(f"""
    {len(_x)} images of {_x.shape[-1]}×{_x.shape[-1]}, 5 kernels of 3×3, best of
    {budget["repeat"]}:

    | version | whose | time | speed-up over loops |
    |---|---|---|---|
    {_rows}

    The vectorised version is **{speedup_results["speedup"]:,.0f}× faster** than the loops here:
    the loops pay the Python interpreter for each of the
    {len(_x) * 5 * _x.shape[-1] ** 2:,} output pixels; the einsum pays it once.
    """)
    return (speedup_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: a convolution against a Linear layer on the same image

    `Conv2d(1, 8, 3, padding=1)` and `Linear(784, 8·28·28)` map one image to outputs of the
    same size. Press the button to build both, count their parameters and the FLOPs of a
    forward pass (tinytorch's profiler counts every op as it runs), and time a forward pass
    on a batch of digits.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    cost_button = mo.ui.run_button(label="Count and time both")
    cost_button
    return (cost_button,)


@app.cell(hide_code=True)
def _(
    budget,
    charts,
    cost_button,
    digit_images,
    digit_max,
    measure,
    mo,
    nn,
    np,
    profiling,
    progress,
    tinytorch,
):
    mo.stop(not cost_button.value, progress.waiting("count parameters and FLOPs and time both layers"))
    _side = digit_images.shape[-1]
    _x = tinytorch.tensor((digit_images[:budget["linear_batch"], None] / digit_max).astype(np.float32))
    _layers = {"Conv2d(1, 8, 3, padding=1)": (nn.Conv2d(1, 8, 3, padding=1), _x),
               f"Linear({_side * _side}, {8 * _side * _side})": (nn.Linear(_side * _side, 8 * _side * _side),
                                                                 _x.reshape(len(_x), -1))}
    _rows = []
    for _name, (_layer, _input) in _layers.items():
        with tinytorch.no_grad():
            _seconds = measure.best_time(lambda f=_layer, a=_input: f(a), repeat=budget["repeat"])
        _rows.append({"layer": _name, "parameters": profiling.count_parameters(_layer),
                      "FLOPs per image": profiling.count_flops(_layer, _input[:1]),
                      "ms per batch": 1e3 * _seconds})
    _conv, _linear = _rows
    cost_results = {"conv": _conv, "linear": _linear,
                    "parameter_ratio": _linear["parameters"] / _conv["parameters"],
                    "flop_ratio": _linear["FLOPs per image"] / _conv["FLOPs per image"],
                    "time_ratio": _linear["ms per batch"] / _conv["ms per batch"]}
    mo.vstack([
        mo.md("| layer | parameters | FLOPs per image | forward, batch of "
              f"{len(_x)} |\n|---|---|---|---|\n"
              + "\n".join(f"| `{r['layer']}` | {r['parameters']:,} | {r['FLOPs per image']:,} | "
                          f"{r['ms per batch']:.2f} ms |" for r in _rows)),
        mo.hstack([charts.bar([{"layer": r["layer"].split("(")[0], "parameters": r["parameters"]}
                               for r in _rows], "layer", "parameters", title="parameters", width=200),
                   charts.bar([{"layer": r["layer"].split("(")[0], "FLOPs per image": r["FLOPs per image"]}
                               for r in _rows], "layer", "FLOPs per image", title="FLOPs per image",
                              width=200)], justify="start"),
        mo.md(f"""
        Same input, same output size: the Linear layer needs
        **{cost_results["parameter_ratio"]:,.0f}×** the parameters and
        **{cost_results["flop_ratio"]:,.0f}×** the FLOPs, and measured here it is
        **{cost_results["time_ratio"]:,.1f}×** slower. The convolution's 8 filters see only
        3×3 neighbourhoods and reuse their weights at all {_side * _side} positions; the Linear
        layer learns a separate weight for every pixel and every output, and knows nothing
        about which pixels are neighbours.
        """),
    ])
    return (cost_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A convolution slides one small kernel over the image: local (each output reads a
      $k \times k$ neighbourhood) and shared (the same weights everywhere). Output size
      $\lfloor (H + 2p - k)/s \rfloor + 1$.
    - Hand-set kernels find edges and blur; a trained network's first filters learn similar
      detectors from the data alone.
    - Loops compute it one dot product at a time; a strided view plus one contraction (or
      im2col plus one matrix product) computes it all at once, orders of magnitude faster.
    - Against a `Linear` layer on the same image it costs a tiny fraction of the parameters
      and FLOPs: the reason every image model since 1998 starts with convolutions.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-09")
    return


if __name__ == "__main__":
    app.run()
