# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="19 Benchmarking")


@app.cell(hide_code=True)
def _():
    import sys

    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch import bench, datasets
    from tinytorch.bench import stats
    from tinytorch.core.dataloader import DataLoader, TensorDataset
    from tinytorch.core.training import Trainer
    from tinytorch.course import checks, latency, progress, recorded
    from tinytorch.course.exercises import benchmarking as exercises
    from tinytorch.course.results import published

    return (
        DataLoader,
        TensorDataset,
        Trainer,
        bench,
        checks,
        datasets,
        exercises,
        latency,
        mo,
        nn,
        np,
        progress,
        published,
        recorded,
        stats,
        sys,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 19 · Benchmarking

    **Goal.** Answer "which model is faster?" in a way that survives scrutiny. You will train
    two models here, time them with tinytorch's benchmark harness in this browser, draw their
    latency distributions, put confidence intervals on the figures, and ask the question every
    benchmark must answer before it claims anything: **is this difference real**, or could
    noise alone have produced it? Then you write the bootstrap interval yourself.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    **A timing is a sample, not a number.** Run the same call a thousand times and you get a
    thousand different times: a floor (the work itself) and a long right tail (the garbage
    collector, the operating system, other tabs and programs). So a benchmark reports a
    distribution's summary: the **median** (robust to the tail) with the **interquartile
    range**, and the tail itself as **p90 / p99** latency: nine calls in ten (99 in 100) are
    at least this fast, which is what a user waiting for an answer feels.

    **How sure is the median?** The **bootstrap** answers without assuming any distribution:
    resample the $n$ timings *with replacement* many times, take each resample's median, and
    read the middle 95% of those medians: a 95% **confidence interval**. More timings, a
    narrower interval.

    **Is a difference real?** Two systems' medians always differ a little. The **permutation
    test** asks how often a difference this large appears when the labels "A" and "B" are
    shuffled over the pooled timings, that is, when the two are in fact the same: that share
    is the **p-value**. The harness calls a difference significant only when $p < 0.05$ *and*
    the interval of the ratio of medians excludes 1.

    **Fairness.** Load changes while you measure, so the harness **interleaves**: each round
    calls every system once, in a random order, and both sides of a ratio see the same
    moments. And accuracy is always computed by the harness on held-out data, never taken
    from the model's author.
    """)
    return


@app.cell(hide_code=True)
def _(datasets, mo, np):
    _images, _labels = datasets.load_digits()
    _x = (_images.reshape(len(_images), -1) / 16.0).astype(np.float32)
    _order = np.random.default_rng(0).permutation(len(_x))
    train_x, train_y = _x[_order[:1400]], _labels[_order[:1400]]
    test_x, test_y = _x[_order[1400:]], _labels[_order[1400:]]
    mo.md(f"""
    ## The models

    Two multi-layer perceptrons read the UCI 8×8 handwritten digits (shipped with tinytorch):
    {len(train_x):,} images to train on, {len(test_x)} held out for the harness. Both are
    `Linear(64, width) → ReLU → Linear(width, 10)`, one narrow and one wide: the wide one
    should be more accurate and slower, but by how much, and is the difference real?
    """)
    return test_x, test_y, train_x, train_y


@app.cell(hide_code=True)
def _():
    # Workload of the Train and Measure buttons (the tests shrink it).
    budget = {"widths": (16, 512), "epochs": 15, "time_budget": 6.0, "max_repeats": 3000}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train both models")
    train_button
    return (train_button,)


@app.cell
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    budget,
    mo,
    nn,
    progress,
    tinytorch,
    train_button,
    train_x,
    train_y,
):
    mo.stop(not train_button.value, progress.waiting("train both models"))
    models = {}
    for _width in budget["widths"]:
        tinytorch.manual_seed(0)
        _model = nn.Sequential(nn.Linear(64, _width), nn.ReLU(), nn.Linear(_width, 10))
        _loader = DataLoader(TensorDataset(train_x, train_y), batch_size=64, shuffle=True, seed=0)
        _optimizer = tinytorch.optim.Adam(_model.parameters(), lr=3e-3)
        Trainer(_model, _optimizer).fit(_loader, epochs=budget["epochs"])
        models[f"MLP 64-{_width}-10"] = _model.eval()
    mo.md("Trained: " + ", ".join(f"**{name}** ({m.num_parameters():,} parameters)"
                                  for name, m in models.items()))
    return (models,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: the harness on both models

    **Measure** first runs the MLPerf **single-stream** scenario on each model
    (`tinytorch.bench.single_stream`: every held-out digit sent as its own query, the accuracy
    computed from the answers), then times queries of each model with
    `bench.measure_interleaved` until every median's 95% interval is within 2% of it (or the
    time budget is spent). A third system, the **narrow model again** under another name,
    is an A/A test: it *is* the same system, so any difference found there is noise.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure both models")
    measure_button
    return (measure_button,)


@app.cell
def _(
    bench,
    budget,
    latency,
    measure_button,
    mo,
    models,
    progress,
    test_x,
    test_y,
    tinytorch,
):
    mo.stop(not measure_button.value, progress.waiting("measure both models"))
    scenarios = {name: bench.single_stream(model, test_x, test_y) for name, model in models.items()}
    (narrow_name, narrow), (wide_name, wide) = models.items()
    again_name = f"{narrow_name} again"
    one = tinytorch.tensor(test_x[:1])
    with tinytorch.no_grad():
        tick = latency.timer_tick()  # the clock's resolution: a timing must span many ticks
        calls = latency.calls_per_timing(lambda: narrow(one), tick)
        systems = {narrow_name: lambda: narrow(one), wide_name: lambda: wide(one),
                   again_name: lambda: narrow(one)}
        timings = bench.measure_interleaved(
            {name: latency.repeated(fn, calls) for name, fn in systems.items()},
            items={name: calls for name in systems},
            time_budget=budget["time_budget"], max_repeats=budget["max_repeats"])
    real = bench.compare(timings[narrow_name], timings[wide_name])
    same = bench.compare(timings[narrow_name], timings[again_name])
    return again_name, calls, narrow_name, real, same, scenarios, tick, timings, wide_name


@app.cell(hide_code=True)
def _(calls, latency, mo, narrow_name, scenarios, tick, timings, wide_name):
    _rows = latency.summary_rows(timings)
    _table = "\n".join(
        f"| {r['system']} | **{r['median']:.1f}** [{r['median_low']:.1f}, {r['median_high']:.1f}] | "
        f"{r['iqr']:.1f} | {r['p90']:.1f} [{r['p90_low']:.1f}, {r['p90_high']:.1f}] | {r['p99']:.1f} | "
        f"{r['repeats']:,} ({r['stopped_by']}) |" for r in _rows)
    _stream = "\n".join(
        f"| {name} | {s.accuracy:.1%} on {s.samples} | {1e6 * s.metrics['p50_latency_s']:.1f} | "
        f"{1e6 * s.metrics['p90_latency_s']:.1f} | {1e6 * s.metrics['p99_latency_s']:.1f} |"
        for name, s in scenarios.items())
    _spans = "one call already spans" if calls == 1 else f"each timing spans **{calls}** calls in a row,"
    mo.vstack([
        mo.md("**Single-stream scenario** (accuracy computed by the harness on the held-out digits; "
              "latency in µs per query, from one pass over them):\n\n"
              "| model | accuracy | p50 | p90 | p99 |\n|---|---|---|---|---|\n" + _stream),
        mo.md(f"**One query, interleaved.** This clock ticks every **{1e6 * tick:.3g} µs** (measured "
              "just now; browsers coarsen their clock against timing attacks), so "
              f"{_spans} at least 200 ticks, and the table is per call (µs): medians with their 95% "
              "bootstrap interval, p90 with its distribution-free interval from order statistics. "
              "Timed one call at a time, a call of about 80 µs on a 5 µs clock reads as 80 or 85 and "
              "nothing between: the median is a tick value and its interval has no width.\n\n"
              "| system | median [95% CI] | IQR | p90 [95% CI] | p99 | timings (stopped by) |\n"
              "|---|---|---|---|---|---|\n" + _table),
        latency.distribution_chart({n: timings[n].times / calls for n in (narrow_name, wide_name)},
                                   {n: timings[n].median / calls for n in (narrow_name, wide_name)},
                                   title=f"time per query, {calls} queries per timing (dashed: medians)"),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Is this difference real?
    """)
    return


@app.cell(hide_code=True)
def _(
    again_name,
    calls,
    mo,
    narrow_name,
    published,
    real,
    recorded,
    same,
    scenarios,
    stats,
    sys,
    tick,
    timings,
    wide_name,
):
    _in_browser = recorded.in_browser()
    results = {
        "platform": "pyodide" if _in_browser else "native",
        "models": [narrow_name, wide_name],
        "accuracy": [scenarios[narrow_name].accuracy, scenarios[wide_name].accuracy],
        "p90_latency_us": [1e6 * scenarios[n].metrics["p90_latency_s"] for n in (narrow_name, wide_name)],
        "median_us": [1e6 * timings[n].median / calls for n in (narrow_name, wide_name, again_name)],
        "median_ci_us": [[1e6 * c / calls for c in timings[n].ci]
                         for n in (narrow_name, wide_name, again_name)],
        "timer_tick_us": 1e6 * tick, "calls_per_timing": calls,
        "repeats": timings[narrow_name].repeats,
        "ratio": real.ratio, "ratio_ci": list(real.ci), "p_value": real.p_value,
        "significant": real.significant, "speedup": real.speedup,
        "aa_ratio": same.ratio, "aa_ratio_ci": list(same.ci), "aa_p_value": same.p_value,
        "aa_significant": same.significant,
    }
    _aa = ("called significant: a false positive, which the test allows 5% of the time (or the load "
           "changed between the two names)" if same.significant else "not significant, as it must be")
    _acc = [stats.wilson_interval(round(scenarios[n].accuracy * scenarios[n].samples), scenarios[n].samples)
            for n in (narrow_name, wide_name)]
    results["accuracy_ci"] = [list(c) for c in _acc]
    _where = "this browser (Pyodide: one thread, NumPy without BLAS)" if _in_browser else \
        f"this machine ({sys.platform}, natively)"
    mo.vstack([
        mo.md(f"""
        Measured in {_where}, {results['repeats']:,} interleaved rounds:

        - **{narrow_name} vs {wide_name}**: `{real}`. The narrow model takes
          **{real.ratio:.2f}×** the wide one's time per query (95% interval
          [{real.ci[0]:.2f}, {real.ci[1]:.2f}]), p = {real.p_value:.3g}:
          **{'a real difference' if real.significant else 'not a difference these timings can show'}**.
        - **{narrow_name} vs itself (A/A)**: ratio **{same.ratio:.3f}×** [{same.ci[0]:.3f},
          {same.ci[1]:.3f}], p = {same.p_value:.3g}:
          **{_aa}**.

        Notice what the ratio's interval says that the two medians alone do not: how precisely
        the data pin the difference down. Accuracy has an interval too: on
        {scenarios[narrow_name].samples} held-out digits, {narrow_name} scored
        {results['accuracy'][0]:.1%} [{_acc[0][0]:.1%}, {_acc[0][1]:.1%}] and {wide_name}
        {results['accuracy'][1]:.1%} [{_acc[1][0]:.1%}, {_acc[1][1]:.1%}] (95% Wilson intervals,
        `bench.stats.wilson_interval`). Benchmark reports need both kinds.
        """),
        published(results),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### The same harness natively

    Recorded on the project's machine (2 vCPUs shared with other developers' work, load
    average 10.6; NumPy with OpenBLAS on one thread) on larger models, MLPs reading the 784
    pixels of MNIST, trained one epoch, accuracy on the MNIST test set: single-stream p50 / p90 /
    p99 latency **0.016 / 0.027 / 0.054 ms** for MLP 784-16-10 (90.80%) and **0.046 / 0.085 /
    4.19 ms** for 784-512-10 (96.50%); one query interleaved, mlp-16 / mlp-64 = **0.888×**
    [0.875, 0.896], p = 0.0005, significant. Reproduce with

    ```text
    OPENBLAS_NUM_THREADS=1 TINYTORCH_DATA=<your data mirror> python bench/bench_benchmarking.py --out results/
    ```

    (figures and conditions in `docs/benchmarks-optimization-speed.md`, "19 Benchmarking").
    A call this small is dominated by Python's overhead per operation, so natively and in the
    browser alike the wide model costs less than its 32× more arithmetic suggests.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** A percentile-bootstrap confidence interval of the median, as the harness
    computes it. `values` is a 1-d array of timings. Draw `resamples` resamples, each of
    `len(values)` timings picked **with replacement** (use `rng = np.random.default_rng(seed)`
    and `rng.integers`), take each resample's median, and return `(low, high)`: the
    $\frac{1 - c}{2}$ and $1 - \frac{1 - c}{2}$ percentiles of those medians for confidence
    $c$. Raise `ValueError` for no timings or a confidence not strictly between 0 and 1.
    """)
    return


@app.cell
def _(np):
    def bootstrap_interval(values, confidence=0.95, resamples=2000, seed=0):
        # Your code here: resample indices with replacement, medians, percentiles.
        raise NotImplementedError

    return (bootstrap_interval,)


@app.cell(hide_code=True)
def _(bootstrap_interval, checks, exercises):
    checks.feedback(exercises.BOOTSTRAP_INTERVAL, bootstrap_interval, app="19_benchmarking")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A timing is a sample from a long-tailed distribution: report the median with its
      interval, the spread, and the tail (p90, p99), never one run.
    - The bootstrap gives an interval for any statistic without assuming a distribution;
      you wrote the one the harness uses.
    - "Is this difference real?" is a test, not a glance: a permutation test's p-value and the
      interval of the ratio. An A/A comparison shows what noise alone looks like.
    - Interleave what you compare, and let the harness compute the accuracy on held-out data.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-19")
    return


if __name__ == "__main__":
    app.run()
