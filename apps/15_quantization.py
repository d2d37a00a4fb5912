# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="15 Quantization")


@app.cell(hide_code=True)
def _():
    import platform

    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.course import charts, checks, digits_mlp, live, measure, model_size, progress
    from tinytorch.course import quantization_error as errors
    from tinytorch.course.exercises import quantization as exercises
    from tinytorch.course.results import published
    from tinytorch.perf.quantization import quantize_dynamic, set_compute

    return (
        charts,
        checks,
        digits_mlp,
        errors,
        exercises,
        live,
        measure,
        mo,
        model_size,
        np,
        platform,
        progress,
        published,
        quantize_dynamic,
        set_compute,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 15 · Quantization

    **Goal.** Train a small network here, then store its weights in 8 bits (and 4) instead of
    32, and measure what that really buys and costs: the **bytes** of the arrays and of the
    saved file, the **accuracy** on digits the network never saw, and the **error** each
    weight picked up. Compare one scale per weight matrix with one per row, write symmetric
    INT8 quantization yourself, and time integer inference on this machine.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A float32 weight costs 4 bytes, but the weights of one layer span a small range, and 255
    evenly spaced levels across it keep almost all of what the network knows. **Symmetric INT8**
    quantization picks a step (the *scale*) so that the largest weight lands on the last level,
    and rounds every weight to the nearest level:

    $$s = \frac{\max |W|}{127}, \qquad q = \operatorname{clip}\big(\operatorname{round}(W / s),
    -127, 127\big) \in \text{int8}, \qquad \hat W = q \cdot s .$$

    Rounding moves each weight by at most $s/2$, and $0$ stays exactly $0$. The stored model is
    the int8 array $q$ (one byte per weight) **plus** the scale and the float32 bias of every
    layer, plus whatever the file format adds: close to 4× smaller, never exactly.

    **Per tensor or per channel.** One scale for a whole matrix takes its step from the largest
    weight anywhere in it; a row (one output neuron) whose weights are all small then sees only
    a few of the 255 levels. One scale **per row** gives every neuron its own grid, for the
    price of one float32 per row. With **4 bits** (15 levels, two weights per byte) the grid is
    17× coarser and that choice starts to matter.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## The data

    The 8×8 handwritten digits that ship inside tinytorch (1,797 of them, scanned at 8×8 pixels
    of 0 to 16): a fifth is held out as test digits, which grade the float model and every
    quantized copy of it alike.
    """)
    return


@app.cell(hide_code=True)
def _(charts, digits_mlp, mo):
    split = digits_mlp.load_split()
    mo.vstack([
        mo.md(f"**{len(split.train_y):,}** training and **{len(split.test_y):,}** test digits; "
              "the first ten test digits:"),
        mo.hstack([mo.image(charts.png((split.test_x[_i].reshape(8, 8) * 255).astype("uint8"), scale=4),
                            caption=str(split.test_y[_i])) for _i in range(10)], justify="start"),
    ])
    return (split,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: train a network, then quantize it

    A multi-layer perceptron 64 → 128 → 128 → 10 with ReLU, trained with Adam. Press
    **Train** (a few seconds, in the browser too).
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the Train and Measure buttons (the tests shrink it).
    budget = {"hidden": (128, 128), "epochs": 10, "batch_size": 64, "lr": 3e-3, "timing_rows": 1000,
              "timing_repeat": 5}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell
def _(budget, digits_mlp, live, mo, progress, split, tinytorch, train_button):
    mo.stop(not train_button.value, progress.waiting("train the network"))
    tinytorch.manual_seed(0)
    model = digits_mlp.mlp(budget["hidden"])
    _batches = -(-len(split.train_y) // budget["batch_size"]) * budget["epochs"]
    training = live.LiveTraining(_batches, batch_size=budget["batch_size"], validate=lambda m: {
        "test accuracy": digits_mlp.accuracy(m, split.test_x, split.test_y)})
    digits_mlp.fine_tune(model, split, budget["epochs"], lr=budget["lr"], batch_size=budget["batch_size"],
                         callbacks=[training])
    training.view()
    return model, training


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    Now four quantized copies of the trained network (the float model itself is unchanged):
    8 and 4 bits, one scale per weight matrix or one per row. Each copy is **saved to a file
    and loaded back**, and it is the loaded copy that is graded, so the bytes below are the
    bytes that really hold the accuracy beside them.
    """)
    return


@app.cell
def _(model, quantize_dynamic):
    schemes = {
        "int8, per tensor": dict(bits=8, per_channel=False),
        "int8, per channel": dict(bits=8, per_channel=True),
        "int4, per tensor": dict(bits=4, per_channel=False),
        "int4, per channel": dict(bits=4, per_channel=True),
    }
    quantized = {name: quantize_dynamic(model, **options) for name, options in schemes.items()}
    return (quantized,)


@app.cell(hide_code=True)
def _(digits_mlp, errors, mo, model, model_size, published, quantized, split, training):
    _test = (split.test_x, split.test_y)
    _rows = [{"model": "float32", "accuracy": digits_mlp.accuracy(model, *_test),
              "array bytes": model_size.array_bytes(model), "file bytes": model_size.float_file_bytes(model),
              "rms weight error": 0.0}]
    for _name, _q in quantized.items():
        _file, _loaded = model_size.stored_quantized(_q, model)
        _rows.append({"model": _name, "accuracy": digits_mlp.accuracy(_loaded, *_test),
                      "array bytes": model_size.array_bytes(_q), "file bytes": _file,
                      "rms weight error": errors.rms(errors.weight_errors(model, _q))})
    _by = {r["model"]: r for r in _rows}
    _f, _q8 = _by["float32"], _by["int8, per channel"]
    results = {
        "float_accuracy": _f["accuracy"], "int8_accuracy": _q8["accuracy"],
        "accuracy_drop_points": 100 * (_f["accuracy"] - _q8["accuracy"]),
        "float_array_bytes": _f["array bytes"], "int8_array_bytes": _q8["array bytes"],
        "array_bytes_ratio": _q8["array bytes"] / _f["array bytes"],
        "float_file_bytes": _f["file bytes"], "int8_file_bytes": _q8["file bytes"],
        "file_bytes_ratio": _q8["file bytes"] / _f["file bytes"],
        "int8_per_tensor_accuracy": _by["int8, per tensor"]["accuracy"],
        "int4_accuracy": _by["int4, per channel"]["accuracy"],
        "int4_file_bytes": _by["int4, per channel"]["file bytes"],
        "rms_error_per_tensor": _by["int8, per tensor"]["rms weight error"],
        "rms_error_per_channel": _q8["rms weight error"],
        "test_digits": len(split.test_y), "stopped": training.stopped,
    }
    _stopped = "*(Training was stopped early: these grade what it had learned.)*" if training.stopped else ""
    _table = "| model | test accuracy | array bytes | / float32 | file bytes | / float32 | rms weight error |"
    _table += "\n|---|---|---|---|---|---|---|\n" + "\n".join(
        f"| {r['model']} | {r['accuracy']:.2%} | {r['array bytes']:,} "
        f"| {r['array bytes'] / _f['array bytes']:.3f} "
        f"| {r['file bytes']:,} | {r['file bytes'] / _f['file bytes']:.3f} | {r['rms weight error']:.2e} |"
        for r in _rows)
    mo.vstack([mo.md(_table), mo.md(f"""
    INT8 per channel keeps **{results['int8_accuracy']:.2%}** against the float model's
    **{results['float_accuracy']:.2%}** ({results['accuracy_drop_points']:+.2f} points of drop; one test
    digit is {100 / len(split.test_y):.2f} points) in **{results['array_bytes_ratio']:.3f}** of the bytes
    (arrays) and **{results['file_bytes_ratio']:.3f}** of the file. Why not 0.25: every layer keeps its
    float32 bias and scales, and the `.npz` file spends a few hundred bytes of headers per array, a
    large share of a model this small.
    {_stopped}

    **The same technique on a bigger model, natively** (recorded on the project's machine,
    docs/benchmarks-optimization-size.md): the 1986 MLP (784-512-256-10, MNIST, 10,000 test digits)
    goes from 98.59% to 98.56% with INT8 per channel, its file from 2,146,058 to 545,672 bytes
    (**0.254**); INT4 per channel 98.54% at 0.130. Reproduce with
    `python -m milestones.mlp_1986 --save mlp.npz` then
    `python bench/bench_optimization.py --only quant --mlp-checkpoint mlp.npz`.
    """), published(results)])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Where the error goes

    Each quantized weight minus the float weight it stands for, for one layer. Rounding to a
    grid of step $s$ spreads the errors evenly over $[-s/2, s/2]$: the histogram's width **is**
    the step. Per channel, the rows with small weights get a finer step, so most errors are
    smaller.
    """)
    return


@app.cell(hide_code=True)
def _(errors, mo, model, quantized):
    _errors = errors.weight_errors(model, quantized["int8, per channel"])
    _shapes = {_name: _e.shape for _name, _e in _errors.items()}
    _layers = {f"layer {_i + 1} ({_s[1]} → {_s[0]})": _name for _i, (_name, _s) in enumerate(_shapes.items())}
    layer_choice = mo.ui.dropdown(options=_layers, value=next(iter(_layers)), label="layer")
    bits_choice = mo.ui.radio(options={"8 bits": "int8", "4 bits": "int4"}, value="8 bits", inline=True)
    mo.hstack([layer_choice, bits_choice], justify="start")
    return bits_choice, layer_choice


@app.cell(hide_code=True)
def _(bits_choice, charts, errors, layer_choice, mo, model, np, quantized):
    _series = {_scheme: errors.weight_errors(model, quantized[f"{bits_choice.value}, {_scheme}"])
               [layer_choice.value]
               for _scheme in ("per tensor", "per channel")}
    _weight = dict(model.named_modules())[layer_choice.value].weight.data
    _ranges = errors.row_ranges(_weight)
    _levels = 127 if bits_choice.value == "int8" else 7  # the largest integer of the grid
    mo.vstack([
        mo.hstack([
            charts.line(errors.histogram_records(_series), "error", "share of weights", color="scheme",
                        title=f"quantized − float, {layer_choice.selected_key}, {bits_choice.value[-1]} bits",
                        width=380, height=220),
            charts.line([{"row, sorted": _i, "max |w|": float(_r)} for _i, _r in enumerate(np.sort(_ranges))],
                        "row, sorted", "max |w|", title="largest |w| of each row", width=260, height=220),
        ], justify="start", wrap=True),
        mo.md(f"The rows' largest weights run from **{_ranges.min():.3f}** to **{_ranges.max():.3f}**. "
              f"With one scale for the matrix, the row with the smallest weights uses only about "
              f"**{2 * round(_levels * _ranges.min() / _ranges.max()) + 1}** of the "
              f"{2 * _levels + 1} levels; "
              f"per channel every row uses all of them. RMS error here: per tensor "
              f"**{errors.rms({'w': _series['per tensor']}):.2e}**, per channel "
              f"**{errors.rms({'w': _series['per channel']}):.2e}**."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Symmetric INT8 quantization. `w` is a float32 array (a weight matrix: rows
    are output neurons). Return `(q, scale)`: `q` int8 in $[-127, 127]$ and `scale` float32, with
    $s = \max|W| / 127$ and $q = \operatorname{round}(W/s)$. With `per_channel=True`, one scale
    per row (`scale` of shape `(rows,)`), each row divided by its own. A row of zeros must not
    divide by zero.
    """)
    return


@app.cell
def _(np):
    def quantize_int8(w, per_channel=False):
        # Your code here: the scale(s), then round, clip and cast to int8.
        raise NotImplementedError

    return (quantize_int8,)


@app.cell(hide_code=True)
def _(checks, exercises, quantize_int8):
    checks.feedback(exercises.QUANTIZE, quantize_int8, app="15_quantization")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** And back: `dequantize_int8(q, scale)` returns the float32 weights
    $q \cdot s$, where `scale` is one number or one per row of `q`.
    """)
    return


@app.cell
def _(np):
    def dequantize_int8(q, scale):
        # Your code here: float32 q times the scale (a per-row scale multiplies its own row).
        raise NotImplementedError

    return (dequantize_int8,)


@app.cell(hide_code=True)
def _(checks, dequantize_int8, exercises):
    checks.feedback(exercises.DEQUANTIZE, dequantize_int8, app="15_quantization")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: is INT8 faster here?

    Quantization is sold as smaller **and** faster. Press the button to time inference of the
    float model and of its INT8 copy on a batch of digits, two ways: true integer arithmetic
    (int8 × int8 products summed in int32, one rescale per output, what int8 hardware does)
    and dequantize-on-the-fly (int8 weights turned back into float32 for a float product: the
    memory saving, without integer arithmetic).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    time_button = mo.ui.run_button(label="Measure inference time")
    time_button
    return (time_button,)


@app.cell(hide_code=True)
def _(budget, live, mo, platform, progress, time_button):
    mo.stop(not time_button.value, progress.waiting("time float32 and INT8 inference"))
    where = ("in this browser (Pyodide: WebAssembly, NumPy without BLAS, one thread)" if live.in_browser()
             else f"natively on this machine ({platform.system()} {platform.machine()}, NumPy with its BLAS)")
    batch_rows = budget["timing_rows"]
    return batch_rows, where


@app.cell
def _(batch_rows, budget, measure, model, np, quantize_dynamic, set_compute, split, tinytorch):
    _x = tinytorch.tensor(np.resize(split.test_x, (batch_rows, split.test_x.shape[1])))
    variants = {"float32": model,
                "int8, int32 accumulation": quantize_dynamic(model, compute="int8"),
                "int8, dequantize on the fly": set_compute(quantize_dynamic(model), "float")}
    seconds = dict.fromkeys(variants, float("inf"))
    with tinytorch.no_grad():
        for _round in range(budget["timing_repeat"]):  # interleaved: a busier moment slows all three
            for _name, _m in variants.items():
                seconds[_name] = min(seconds[_name], measure.best_time(lambda _m=_m: _m(_x), repeat=1))
    return (seconds,)


@app.cell(hide_code=True)
def _(batch_rows, charts, mo, published, seconds, where):
    speed_results = {"batch": batch_rows, "float_ms": 1e3 * seconds["float32"],
                     "int8_ms": 1e3 * seconds["int8, int32 accumulation"],
                     "dequantized_ms": 1e3 * seconds["int8, dequantize on the fly"]}
    speed_results["int8_over_float"] = speed_results["int8_ms"] / speed_results["float_ms"]
    speed_results["dequantized_over_float"] = speed_results["dequantized_ms"] / speed_results["float_ms"]
    mo.vstack([
        charts.bar([{"model": _short, "ms per batch": 1e3 * seconds[_k]} for _k, _short in (
            ("float32", "float32"), ("int8, int32 accumulation", "int8 integer"),
            ("int8, dequantize on the fly", "int8 dequantized"))], "model", "ms per batch",
            title=f"inference on {batch_rows:,} digits (best of interleaved rounds)", width=300),
        mo.md(f"""
        Measured {where}: float32 **{speed_results['float_ms']:.2f} ms**, INT8 with integer arithmetic
        **{speed_results['int8_ms']:.2f} ms** (**{speed_results['int8_over_float']:.2f}×** the float time),
        dequantized on the fly **{speed_results['dequantized_ms']:.2f} ms**
        ({speed_results['dequantized_over_float']:.2f}×).

        **Recorded natively on the project's machine** (docs/benchmarks-optimization-size.md, 1986 MLP,
        batch of 1,000, NumPy with OpenBLAS pinned to one thread): float32 17.7 ms, integer INT8 265.2 ms
        (**15.0× slower**), dequantized 23.0 ms (1.30×); PyTorch's fbgemm int8 kernels on the same
        weights: **2.2× faster** than float32. Command: `python bench/bench_optimization.py --only quant
        --mlp-checkpoint mlp.npz`. NumPy has no int8 matrix kernel: its integer products run in its
        own loops while float32 goes to BLAS. In the browser float32 has no BLAS either, which is why
        the gap here is a different size. Quantization's speed-up needs integer instructions NumPy
        does not reach; the memory saving above is real everywhere.
        """),
        published(speed_results),
    ])
    return (speed_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Symmetric INT8 stores $q = \operatorname{round}(W/s)$ with $s = \max|W|/127$: one byte per
      weight, every weight within $s/2$ of where it was, 0 exactly 0.
    - The real saving is measured in bytes of arrays and files: close to 4× (8× for INT4), less
      for a small model, whose biases, scales and file headers weigh relatively more.
    - One scale per row gives rows of small weights a finer grid (a narrower error histogram);
      it matters more as the bits get fewer.
    - Accuracy barely moves at 8 bits. Speed is another matter: it needs integer kernels, which
      NumPy lacks, as the timing shows.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-15")
    return


if __name__ == "__main__":
    app.run()
