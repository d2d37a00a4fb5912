# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="16 Compression")


@app.cell(hide_code=True)
def _():
    import platform

    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.course import charts, checks, digits_mlp, live, model_size, progress, pruning_sweep
    from tinytorch.course.exercises import compression as exercises
    from tinytorch.course.results import published
    from tinytorch.perf import compression
    from tinytorch.perf.quantization import quantize_dynamic

    return (
        charts,
        checks,
        compression,
        digits_mlp,
        exercises,
        live,
        mo,
        model_size,
        np,
        platform,
        progress,
        pruning_sweep,
        published,
        quantize_dynamic,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 16 · Compression

    **Goal.** Make a trained network smaller by throwing most of it away, and measure what that
    costs. Prune its weights with a slider and watch the accuracy, measure the whole
    accuracy-against-sparsity curve for three ways of pruning, store the pruned model in a
    sparse file and weigh it, and find out whether a tiny network learns better from the big
    one's answers (distillation) than from the labels alone. Then write magnitude pruning.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    **Magnitude pruning** sets the weights with the smallest $|w|$ to zero: they contribute least
    to any output. *Global* pruning uses one threshold for the whole network (a big layer can
    lose more than a small one); *per layer* removes the same fraction everywhere, the
    10-output layer too. Right after pruning the accuracy drops; a short **fine-tuning** with
    the zeros held in place (each pruned layer multiplies its weight by a 0/1 mask in every
    forward pass) lets the remaining weights take over.

    **Zeros only save bytes when they are not stored.** A dense float32 matrix of 90% zeros is
    as large as before. A sparse format (CSR: the nonzero values, each one's column index, and
    where each row starts) stores only the survivors, at the price of an index per value.

    **Structured pruning** removes whole neurons (the rows of a layer with the smallest norm,
    and the next layer's columns that read them): a smaller *dense* network, which any kernel
    runs faster, but a coarser cut than choosing weight by weight.

    **Distillation** trains a small *student* on a big *teacher*'s softened predictions,
    $\operatorname{softmax}(z/T)$ at a temperature $T > 1$, mixed with the labels by a weight
    $\alpha$: the teacher's "this 7 looks a bit like a 1" is information the label lacks.
    """)
    return


@app.cell(hide_code=True)
def _(digits_mlp, mo):
    split = digits_mlp.load_split()
    mo.md(f"""
    ## The data and the network

    The 8×8 digits that ship inside tinytorch: **{len(split.train_y):,}** training digits and
    **{len(split.test_y):,}** test digits that grade every pruned copy (one digit is
    {100 / len(split.test_y):.2f} points of accuracy). The network: 64 → 128 → 128 → 10 with
    ReLU. Press **Train** (a few seconds).
    """)
    return (split,)


@app.cell(hide_code=True)
def _():
    # Workload of the buttons (the tests shrink it).
    budget = {"hidden": (128, 128), "epochs": 10, "batch_size": 64, "lr": 3e-3,
              "sparsities": (0.5, 0.8, 0.9, 0.95), "fine_tune_epochs": 2, "fine_tune_lr": 1e-3,
              "student_hidden": (16,), "student_epochs": 20, "student_lr": 2e-3}
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
    dense_accuracy = digits_mlp.accuracy(model, split.test_x, split.test_y)
    mo.vstack([training.view(), mo.md(f"{model.num_parameters():,} parameters, test accuracy "
                                      f"**{dense_accuracy:.2%}**.")])
    return dense_accuracy, model


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: prune with a slider

    Global magnitude pruning of the trained network at the slider's sparsity, graded at once
    (no fine-tuning yet). The picture is the first layer's weights, one row per hidden neuron,
    black where a weight was removed.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    sparsity_slider = mo.ui.slider(0.0, 0.99, step=0.01, value=0.9, label="sparsity", show_value=True)
    sparsity_slider
    return (sparsity_slider,)


@app.cell
def _(compression, model, sparsity_slider):
    pruned = compression.magnitude_prune(model, sparsity_slider.value, scope="global")
    return (pruned,)


@app.cell(hide_code=True)
def _(charts, compression, dense_accuracy, digits_mlp, mo, np, pruned, split):
    slider_accuracy = digits_mlp.accuracy(pruned, split.test_x, split.test_y)
    _layers = [m for m in pruned.modules() if isinstance(m, compression.PrunedLinear)]
    _shares = ", ".join(f"layer {_i + 1}: {1 - _m.weight_mask.data.mean():.0%}"
                        for _i, _m in enumerate(_layers))
    _first = np.abs(_layers[0].weight.data)
    mo.hstack([
        mo.image(charts.png((255 * _first / max(_first.max(), 1e-12)).astype(np.uint8), scale=3),
                 caption="|w| of layer 1 (64 inputs across, 128 neurons down)"),
        mo.md(f"""
        **{compression.sparsity(pruned):.1%}** of the weights are zero ({_shares}: one threshold
        for all, so the layers lose different shares). Test accuracy right after pruning:
        **{slider_accuracy:.2%}**, against {dense_accuracy:.2%} unpruned. Up to some sparsity the
        network barely notices; past it, accuracy falls off a cliff. Fine-tuning moves the cliff:
        the sweep below measures by how much.
        """),
    ], justify="start", align="center")
    return (slider_accuracy,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: accuracy against sparsity

    Press the button to prune the trained network at several sparsities, three ways, and
    grade every copy before and after a short fine-tuning (the same batches for each). The
    horizontal axis is the share of **weights** removed, so the structured cut (a share of the
    neurons) sits where it really lands.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    sweep_button = mo.ui.run_button(label="Measure accuracy against sparsity")
    sweep_button
    return (sweep_button,)


@app.cell
def _(budget, mo, model, progress, pruning_sweep, split, sweep_button):
    mo.stop(not sweep_button.value, progress.waiting("prune, fine-tune and grade at every sparsity"))
    sweep = pruning_sweep.sweep(model, split, budget["sparsities"],
                                fine_tune_epochs=budget["fine_tune_epochs"], lr=budget["fine_tune_lr"],
                                batch_size=budget["batch_size"],
                                progress=lambda steps: mo.status.progress_bar(steps, title="pruning"))
    return (sweep,)


@app.cell(hide_code=True)
def _(charts, dense_accuracy, mo, np, published, slider_accuracy, sparsity_slider, sweep):
    _curves = [{"weights removed": r["weights removed"], "accuracy": r[_when],
                "method": f"{r['method']}, {_label}"}
               for r in sweep for _when, _label in (("accuracy, pruned", "pruned"),
                                                     ("accuracy, fine-tuned", "fine-tuned"))]
    _mark = [{"weights removed": sparsity_slider.value, "accuracy": slider_accuracy,
              "method": "unstructured, global, pruned"}]

    def _series(method, key):
        return [r[key] for r in sweep if r["method"] == method]

    sweep_results = {"dense_accuracy": dense_accuracy, "sparsities": [float(s) for s in _series(
        "unstructured, global", "amount")]}
    for _method, _key in (("unstructured, global", "global"), ("unstructured, per layer", "per_layer"),
                          ("structured (neurons)", "structured")):
        sweep_results[f"{_key}_pruned"] = _series(_method, "accuracy, pruned")
        sweep_results[f"{_key}_fine_tuned"] = _series(_method, "accuracy, fine-tuned")
        sweep_results[f"{_key}_weights_removed"] = _series(_method, "weights removed")
    _g = np.array(sweep_results["global_fine_tuned"])
    _kept = [s for s, a in zip(sweep_results["sparsities"], _g, strict=True) if a >= dense_accuracy - 0.01]
    sweep_results["largest_sparsity_within_1_point"] = max(_kept, default=0.0)
    _cut = next(r for r in sweep if r["method"] == "structured (neurons)")
    _table = "| method | amount | weights removed | accuracy pruned | fine-tuned |\n|---|---|---|---|---|\n"
    _table += "\n".join(f"| {r['method']} | {r['amount']:.2f} | {r['weights removed']:.3f} | "
                       f"{r['accuracy, pruned']:.2%} | {r['accuracy, fine-tuned']:.2%} |" for r in sweep)
    mo.vstack([
        charts.marked_line(_curves, "weights removed", "accuracy", _mark, color="method",
                           title="test accuracy against the share of weights removed (dot: the slider)",
                           width=460, height=280),
        mo.md(f"""
        Global magnitude pruning with fine-tuning keeps within 1 point of the unpruned
        {dense_accuracy:.2%} up to **{sweep_results['largest_sparsity_within_1_point']:.0%}** sparsity here.
        Structured pruning of {_cut['amount']:.0%} of the hidden neurons removes
        **{_cut['weights removed']:.0%}** of the weights (a neuron takes its row and the next layer's
        column with it) and keeps **{_cut['accuracy, fine-tuned']:.2%}** after fine-tuning: compare the
        curves at the same share of weights gone. A coarser cut, the price of a network that stays dense.
        """),
        mo.md(_table),
        mo.md("""
        **Recorded natively on the project's machine** (docs/benchmarks-optimization-size.md): the 1986
        MLP (784-512-256-10, MNIST) at 90% global sparsity, 98.59% → 92.40% pruned → **98.04%** after 2
        epochs of fine-tuning (per layer: 85.68% → 97.21%); half its neurons removed (structured):
        96.68% → 98.40% with 0.439 of the parameters. Command: `python -m milestones.mlp_1986 --save
        mlp.npz` then `python bench/bench_optimization.py --only compress --mlp-checkpoint mlp.npz`.
        """),
        published(sweep_results),
    ])
    return (sweep_results,)


@app.cell(hide_code=True)
def _(mo, sparsity_slider):
    mo.md(f"""
    ## The final bytes: store the pruned model

    Fine-tune the network pruned at the slider's sparsity (**{sparsity_slider.value:.0%}**), then
    store it four ways and weigh the files: float32 as it is (zeros included), INT8 dense, and
    INT8 in CSR (only the nonzeros, each with a 2-byte column index). The CSR file is loaded
    back and graded: it is the model.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    store_button = mo.ui.run_button(label="Fine-tune and store")
    store_button
    return (store_button,)


@app.cell
def _(budget, compression, digits_mlp, mo, model, progress, quantize_dynamic, sparsity_slider, split,
      store_button):
    mo.stop(not store_button.value, progress.waiting("fine-tune the pruned network and store it"))
    stored_sparsity = sparsity_slider.value
    fine_tuned = compression.magnitude_prune(model, stored_sparsity, scope="global")
    digits_mlp.fine_tune(fine_tuned, split, budget["fine_tune_epochs"], lr=budget["fine_tune_lr"],
                         batch_size=budget["batch_size"])
    baked = compression.strip_pruning(fine_tuned)  # zeros in the weights, masks gone
    int8 = quantize_dynamic(baked, bits=8, per_channel=True)
    return baked, int8, stored_sparsity


@app.cell(hide_code=True)
def _(baked, digits_mlp, int8, mo, model, model_size, published, split, stored_sparsity):
    _test = (split.test_x, split.test_y)
    _dense_int8_bytes, _ = model_size.stored_quantized(int8, baked)
    _csr_bytes, _loaded = model_size.stored_quantized(int8, baked, sparse=True)
    storage_results = {
        "sparsity": stored_sparsity,
        "float_file_bytes": model_size.float_file_bytes(model),
        "pruned_float_file_bytes": model_size.float_file_bytes(baked),
        "pruned_int8_file_bytes": _dense_int8_bytes,
        "pruned_int8_csr_file_bytes": _csr_bytes,
        "dense_accuracy": digits_mlp.accuracy(model, *_test),
        "fine_tuned_accuracy": digits_mlp.accuracy(baked, *_test),
        "int8_accuracy": digits_mlp.accuracy(int8, *_test),
        "loaded_csr_accuracy": digits_mlp.accuracy(_loaded, *_test),
    }
    storage_results["csr_over_float"] = storage_results["pruned_int8_csr_file_bytes"] / storage_results[
        "float_file_bytes"]
    _f, _zeros = storage_results["float_file_bytes"], storage_results["pruned_float_file_bytes"]
    mo.vstack([mo.md(f"""
    | file | bytes | / float32 |
    |---|---|---|
    | float32, unpruned | {_f:,} | 1.000 |
    | float32, pruned {stored_sparsity:.0%} (zeros stored) | {_zeros:,} | {_zeros / _f:.3f} |
    | INT8 dense, pruned | {_dense_int8_bytes:,} | {_dense_int8_bytes / _f:.3f} |
    | **INT8 CSR, pruned** | **{_csr_bytes:,}** | **{storage_results['csr_over_float']:.3f}** |

    Test accuracy: unpruned {storage_results['dense_accuracy']:.2%}, pruned and fine-tuned
    {storage_results['fine_tuned_accuracy']:.2%}, then INT8 {storage_results['int8_accuracy']:.2%}, and
    **the CSR file loaded back {storage_results['loaded_csr_accuracy']:.2%}**. Pruning alone saves no
    bytes until the zeros leave the file; below about a third nonzero, CSR with int8 values and
    2-byte indices beats dense int8. Why not smaller still: every layer keeps its float32 bias and
    scales, and the `.npz` file spends a few hundred bytes of headers per array, a large share of a
    model this small.

    **Recorded natively on the project's machine**: the 1986 MLP pruned 90% (global), INT8, CSR:
    175,876 bytes, **0.082** of its float32 file, loaded-back accuracy 98.05%
    (`python bench/bench_optimization.py --only compress --mlp-checkpoint mlp.npz`).
    """), published(storage_results)])
    return (storage_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Distillation against training from scratch

    Two students 64 → 16 → 10 (about 5% of the teacher's parameters) start from the **same**
    weights and see the **same** batches for the same number of steps: one learns from the
    labels alone, the other from the trained network's softened predictions (temperature $T$)
    mixed with the labels (weight $1 - \alpha$ on the labels).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    temperature = mo.ui.slider(1.0, 8.0, step=0.5, value=4.0, label="temperature T", show_value=True)
    alpha = mo.ui.slider(0.0, 1.0, step=0.1, value=0.9, label="alpha (weight of the teacher)",
                         show_value=True)
    mo.hstack([temperature, alpha], justify="start")
    return alpha, temperature


@app.cell(hide_code=True)
def _(mo):
    distil_button = mo.ui.run_button(label="Train the two students")
    distil_button
    return (distil_button,)


@app.cell
def _(alpha, budget, digits_mlp, distil_button, mo, model, progress, split, temperature, tinytorch):
    mo.stop(not distil_button.value, progress.waiting("train a student from scratch and a distilled one"))
    _options = dict(epochs=budget["student_epochs"], lr=budget["student_lr"], batch_size=budget["batch_size"])
    tinytorch.manual_seed(1)
    scratch = digits_mlp.train_student(digits_mlp.mlp(budget["student_hidden"]), split, **_options)
    tinytorch.manual_seed(1)  # the same initial weights
    distilled = digits_mlp.train_student(digits_mlp.mlp(budget["student_hidden"]), split, **_options,
                                         teacher=model, temperature=temperature.value, alpha=alpha.value)
    return distilled, scratch


@app.cell(hide_code=True)
def _(alpha, charts, digits_mlp, distilled, mo, model, published, scratch, split, temperature):
    _test = (split.test_x, split.test_y)
    distillation_results = {
        "teacher_accuracy": digits_mlp.accuracy(model, *_test),
        "scratch_accuracy": digits_mlp.accuracy(scratch, *_test),
        "distilled_accuracy": digits_mlp.accuracy(distilled, *_test),
        "student_parameters": scratch.num_parameters(), "teacher_parameters": model.num_parameters(),
        "temperature": temperature.value, "alpha": alpha.value,
    }
    _gain = 100 * (distillation_results["distilled_accuracy"] - distillation_results["scratch_accuracy"])
    mo.vstack([
        charts.bar([{"model": _k, "test accuracy": distillation_results[f"{_k}_accuracy"]}
                    for _k in ("teacher", "scratch", "distilled")], "model", "test accuracy",
                   width=240, height=200),
        mo.md(f"""
        Students of {distillation_results['student_parameters']:,} parameters
        ({distillation_results['student_parameters'] / distillation_results['teacher_parameters']:.1%} of the
        teacher): from scratch **{distillation_results['scratch_accuracy']:.2%}**, distilled at T =
        {temperature.value:g}, α = {alpha.value:g} **{distillation_results['distilled_accuracy']:.2%}**
        ({_gain:+.2f} points). Distillation is not a free win: it helps most when the teacher knows
        something the labels do not say (it saw more or harder data, or was regularised); a teacher
        that fits the very digits the student trains on may add little to their labels (a likely
        reason, not measured here). Try other temperatures and weights.

        **Recorded natively on the project's machine**: a 784-32-10 student of the 1986 MLP, 3 epochs:
        from scratch 95.09%, distilled (T = 4, α = 0.9) 94.14%, (T = 2, α = 0.5) 94.60%: there too the
        labels alone did better (`python bench/bench_optimization.py --only compress --mlp-checkpoint
        mlp.npz --distill-epochs 3`).
        """),
        published(distillation_results),
    ])
    return (distillation_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** The mask of magnitude pruning. Given a weight array `w` (any shape) and a
    `sparsity` in $[0, 1)$, return a boolean array of `w`'s shape, `True` where a weight is kept,
    that removes exactly `round(sparsity * w.size)` weights: those of smallest $|w|$. Refuse a
    sparsity outside $[0, 1)$ with a `ValueError`.
    """)
    return


@app.cell
def _(np):
    def magnitude_prune_mask(w, sparsity):
        # Your code here: check sparsity, count the weights to remove, mark the smallest |w|.
        raise NotImplementedError

    return (magnitude_prune_mask,)


@app.cell(hide_code=True)
def _(checks, exercises, magnitude_prune_mask):
    checks.feedback(exercises.MAGNITUDE_PRUNE, magnitude_prune_mask, app="16_compression")
    return


@app.cell(hide_code=True)
def _(live, mo, platform):
    mo.md(f"""
    ## Recap

    - Magnitude pruning zeroes the smallest weights; fine-tuning with the mask held lets the
      rest compensate, and a network much larger than its task loses little up to high sparsity.
    - One global threshold beats the same fraction per layer: layers differ in how much they
      can spare.
    - Zeros save bytes only in a sparse format; with INT8 values on top, the stored model
      shrinks far beyond 4×. Speed is another matter: dense kernels stream zeros faster than
      sparse ones skip them, until very high sparsity (the native sparse-matmul crossover in the
      benchmark notes is at 99%).
    - Structured pruning keeps the network dense (faster everywhere) but costs more accuracy
      per weight removed. Distillation can help a small network, and can also not: measure it.

    *Every figure above was measured in this session,*
    {"*in this browser (Pyodide: WebAssembly, one thread)*" if live.in_browser()
     else f"*natively on this machine ({platform.system()} {platform.machine()})*"}.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-16")
    return


if __name__ == "__main__":
    app.run()
