# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="18 Acceleration")


@app.cell(hide_code=True)
def _():
    import inspect

    import marimo as mo
    import numpy as np

    from tinytorch.core import kernels
    from tinytorch.course import charts, checks, progress, recorded, speedups
    from tinytorch.course.checks import all_passed
    from tinytorch.course.exercises import acceleration as exercises
    from tinytorch.course.results import published

    return (
        all_passed,
        charts,
        checks,
        exercises,
        inspect,
        kernels,
        mo,
        np,
        progress,
        published,
        recorded,
        speedups,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 18 · Acceleration

    **Goal.** Make the same maths run faster without changing a single result, and measure
    by how much *on this machine*: Python loops against vectorised NumPy, NumPy's `@` against
    `einsum` (in the browser, `einsum` wins), one fused operation against nine small ones, and
    large batches against small. Then speed up a slow kernel of your own: the weight gradient
    of a convolution.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    **The interpreter is the cost.** A Python loop pays the interpreter for every
    multiply-add: tens of nanoseconds each, where the arithmetic itself takes a fraction of
    one. Vectorised NumPy pays it once per *array*, then runs a compiled loop over all the
    elements. The rule: move loops out of Python, into one call over whole arrays.

    **Which compiled loop matters too.** Natively, `a @ b` calls an optimised **BLAS**
    (cache blocking, SIMD, every core): nothing else in NumPy comes close. In the browser,
    Pyodide's NumPy has **no BLAS**: its `@` falls back to a plain loop, and `np.einsum`'s
    sum-of-products loop beats it. That is why tinytorch multiplies with `einsum` in the browser
    and with `@` natively (`tinytorch.core.kernels`): the right kernel depends on the machine.

    **Fusion.** GELU written from elementary ops (`x * x * x`, multiply, add, `tanh`, ...) is
    nine graph nodes: nine passes over memory, nine temporary arrays kept for backward. A
    **fused** GELU computes the same numbers in one op, one pass, one saved array. Elementwise
    ops are memory bound (module 14's roofline), so fewer passes is the speed-up.

    **Batching.** Every call has fixed costs (Python, creating tensors, dispatch). A batch of
    $B$ samples pays them once for $B$, and gives the matrix product larger, more efficient
    shapes: throughput (samples per second) grows with the batch until the arithmetic dominates.

    Every race below checks first that all contestants give the same result, then times them
    **interleaved** (each round runs each contestant once, in a random order), so a change of
    load hits all alike; a speed-up is a ratio of medians with its 95% interval.
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the buttons below (the tests shrink it); "seconds" is each race's time budget.
    budget = {"sizes": (64, 128, 256), "loops_size": 48, "gelu_shape": (4, 64, 256),
              "batches": (1, 4, 16, 64, 256), "conv_x": (4, 8, 16, 16), "conv_filters": 8, "seconds": 2.0}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: loops vs `@` vs `einsum`

    A square float32 matrix product, $2n^3$ FLOPs, three ways: Python loops (only at the
    smallest size: they would take minutes at the larger ones), NumPy's `@` and `np.einsum`.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    kernel_button = mo.ui.run_button(label="Race the matmul kernels")
    kernel_button
    return (kernel_button,)


@app.cell
def _(budget, kernel_button, mo, progress, speedups):
    mo.stop(not kernel_button.value, progress.waiting("time loops, @ and einsum"))
    kernel_race = speedups.matmul_kernels(budget["sizes"], budget["loops_size"], budget["seconds"])
    return (kernel_race,)


@app.cell(hide_code=True)
def _(budget, charts, kernel_race, kernels, mo, published, recorded, speedups):
    _largest = max(budget["sizes"])
    _einsum = kernel_race["einsum_over_matmul"][_largest]
    _loops = kernel_race["loops"]
    kernel_results = {
        "measured_on": "browser" if recorded.in_browser() else "native", "largest_n": _largest,
        "einsum_over_matmul_largest": _einsum["speedup"], "einsum_over_matmul_ci_low": _einsum["ci_low"],
        "einsum_over_matmul_ci_high": _einsum["ci_high"],
        "loops_n": budget["loops_size"], "einsum_over_loops": _loops["einsum"]["speedup"],
        "matmul_over_loops": _loops["@"]["speedup"], "tinytorch_kernel": kernels.active_matmul_kernel(),
    }
    _faster = "einsum" if _einsum["speedup"] > 1 else "`@`"
    _ratio = _einsum["speedup"] if _einsum["speedup"] > 1 else 1 / _einsum["speedup"]
    mo.vstack([
        published(kernel_results),
        charts.line(kernel_race["rows"], "n", "GFLOP/s", color="kernel", log_x=True, log_y=True,
                    title="matrix product speed (higher is faster)", width=380),
        mo.md(f"""
        Measured in **{recorded.machine()}**.

        - At {budget['loops_size']}³, vectorised beats the loops by **{_loops['einsum']['speedup']:,.0f}×**
          (einsum; 95% interval {_loops['einsum']['ci_low']:,.0f}-{_loops['einsum']['ci_high']:,.0f}) and
          **{_loops['@']['speedup']:,.0f}×** (`@`).
        - At {_largest}³, **{_faster}** is the faster kernel here, by **{_ratio:.2f}×**
          (einsum over `@`: {_einsum['speedup']:.2f}×, interval
          {_einsum['ci_low']:.2f}-{_einsum['ci_high']:.2f}).
          tinytorch uses **{kernels.active_matmul_kernel()}** on this platform.
        """),
        mo.md(recorded.table(speedups.RECORDED["kernels"])),
    ])
    return (kernel_results,)


@app.cell(hide_code=True)
def _(budget, mo):
    mo.md(rf"""
    ## Fusion: one GELU or nine ops

    GELU's tanh form, $0.5\,x\,(1 + \tanh(\sqrt{{2/\pi}}\,(x + 0.044715\,x^3)))$, forward and
    backward on a tensor of {' × '.join(map(str, budget['gelu_shape']))} values: tinytorch's fused
    `gelu(x, approximate="tanh")`
    against the same formula from elementary tensor ops. Also counted: the graph nodes each
    records and the peak temporary memory of a forward + backward.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    fusion_button = mo.ui.run_button(label="Race fused and unfused GELU")
    fusion_button
    return (fusion_button,)


@app.cell
def _(budget, fusion_button, mo, progress, speedups):
    mo.stop(not fusion_button.value, progress.waiting("time fused and unfused GELU"))
    fusion_race = speedups.fusion(budget["gelu_shape"], budget["seconds"])
    return (fusion_race,)


@app.cell(hide_code=True)
def _(fusion_race, mo, published, recorded, speedups):
    _temps = fusion_race["temporary_bytes"]
    _verdict = "" if fusion_race["significant"] else "; not significant: these timings cannot tell them apart"
    fusion_results = {
        "measured_on": "browser" if recorded.in_browser() else "native",
        "fused_speedup": fusion_race["speedup"], "ci_low": fusion_race["ci_low"],
        "ci_high": fusion_race["ci_high"],
        "fused_ms": fusion_race["fast_ms"], "unfused_ms": fusion_race["slow_ms"],
        "fused_nodes": fusion_race["nodes"]["fused"], "unfused_nodes": fusion_race["nodes"]["unfused"],
        "fused_temporary_bytes": _temps["fused"], "unfused_temporary_bytes": _temps["unfused"],
    }
    mo.vstack([
        published(fusion_results),
        mo.md(f"""
        Measured in **{recorded.machine()}**: fused **{fusion_race['fast_ms']:.1f} ms**, unfused
        **{fusion_race['slow_ms']:.1f} ms** per forward + backward: fusion is
        **{fusion_race['speedup']:.2f}×** faster (95% interval
        {fusion_race['ci_low']:.2f}-{fusion_race['ci_high']:.2f}{_verdict}).
        The graph has **{fusion_results['fused_nodes']}** node against
        **{fusion_results['unfused_nodes']}**, and the peak temporaries are
        **{_temps['fused'] / 2**20:.1f} MiB** against **{_temps['unfused'] / 2**20:.1f} MiB**
        ({_temps['unfused'] / _temps['fused']:.1f}×).
        """),
        mo.md(recorded.table(speedups.RECORDED["fusion"])),
    ])
    return (fusion_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Batch size vs throughput

    An MLP 784-256-10, forward only (no graph), on batches of 1 to 256 samples.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    batch_button = mo.ui.run_button(label="Measure throughput against batch size")
    batch_button
    return (batch_button,)


@app.cell
def _(batch_button, budget, mo, progress, speedups):
    mo.stop(not batch_button.value, progress.waiting("measure samples per second at each batch size"))
    throughput = speedups.batch_throughput(budget["batches"], budget["seconds"])
    return (throughput,)


@app.cell(hide_code=True)
def _(charts, mo, published, recorded, speedups, throughput):
    _first, _last = throughput[0], throughput[-1]
    batch_results = {
        "measured_on": "browser" if recorded.in_browser() else "native",
        "smallest_batch": _first["batch"], "largest_batch": _last["batch"],
        "samples_per_second_smallest": _first["samples/s"], "samples_per_second_largest": _last["samples/s"],
        "largest_over_smallest": _last["samples/s"] / _first["samples/s"],
    }
    mo.hstack([
        charts.line(throughput, "batch", "samples/s", log_x=True, log_y=True,
                    title="MLP 784-256-10 forward throughput", width=340),
        mo.vstack([
            published(batch_results),
            mo.md(f"""
            Measured in **{recorded.machine()}**: **{_first['samples/s']:,.0f}** samples/s one at a time
            (batch {_first['batch']}), **{_last['samples/s']:,.0f}** at batch {_last['batch']}:
            **{batch_results['largest_over_smallest']:.1f}×** the throughput, while one batch of
            {_last['batch']} takes {_last['ms per batch']:.2f} ms instead of {_first['ms per batch']:.3f}.
            Serving trades latency for throughput along this curve.
            """),
            mo.md(recorded.table(speedups.RECORDED["batch"])),
        ]),
    ], justify="start")
    return (batch_results,)


@app.cell(hide_code=True)
def _(exercises, inspect, mo):
    mo.md(rf"""
    ## Build it: vectorise a convolution's weight gradient

    Module 09 had you vectorise a convolution's **forward** pass. Training also runs the
    backward pass, which for a convolution is two more contractions of the same size (in
    module 14's profile, LeNet's convolutions, forward and backward, took most of its op
    time). This exercise is the
    other one: the gradient of the loss with respect to the **weights**. Each weight
    $(o, c, i, j)$ touched one pixel of every receptive field, so its gradient sums, over all
    images $n$ and output positions $(y, x)$, that pixel times the gradient arriving at the output:

    $$\frac{{\partial L}}{{\partial W_{{o,c,i,j}}}} =
    \sum_{{n, y, x}} x^{{pad}}_{{n,\,c,\,y s + i,\,x s + j}}\;
    \frac{{\partial L}}{{\partial \mathrm{{out}}_{{n,o,y,x}}}}.$$

    The slow version below computes it **one weight at a time**: $O \cdot C \cdot k_h \cdot k_w$
    NumPy reductions, each a trip through the interpreter.

    ```python
    {inspect.getsource(exercises.conv2d_weight_grad_loops).strip()}
    ```

    **Exercise.** Write `conv2d_weight_grad(x, grad_out, kernel_size, stride=1, padding=0)`
    that returns the same `(O, C, kh, kw)` array with no loop over filters, channels, images or
    pixels (a loop over the $k_h \times k_w$ taps is fine: one contraction per tap, e.g.
    `np.einsum("ncyx,noyx->oc", ...)`). Raise `ValueError` when `grad_out`'s shape does not match
    the convolution's output. The checks compare it with tinytorch's own `Conv2d` backward and
    count the Python lines it runs; then time it against the loops below.
    """)
    return


@app.cell
def _(np):
    def conv2d_weight_grad(x, grad_out, kernel_size, stride=1, padding=0):
        # Your code here: pad x, then for each kernel tap (i, j), contract the pixels that tap
        # touched with grad_out over images and output positions.
        raise NotImplementedError

    return (conv2d_weight_grad,)


@app.cell(hide_code=True)
def _(checks, conv2d_weight_grad, exercises):
    checks.feedback(exercises.CONV2D_WEIGHT_GRAD, conv2d_weight_grad, app="18_acceleration")
    return


@app.cell(hide_code=True)
def _(budget, mo):
    _n, _c, _h, _w = budget["conv_x"]
    mo.md(f"""
    ### Measure your speed-up

    Your function against the loops, on {_n} images of {_c} channels, {_h} × {_w} pixels,
    {budget['conv_filters']} filters of 3 × 3 with padding 1. While yours does not pass every
    check yet, the reference solution is timed instead (and says so).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    exercise_button = mo.ui.run_button(label="Time the weight gradient against the loops")
    exercise_button
    return (exercise_button,)


@app.cell(hide_code=True)
def _(
    all_passed,
    budget,
    conv2d_weight_grad,
    exercise_button,
    exercises,
    mo,
    progress,
    published,
    recorded,
    speedups,
):
    mo.stop(not exercise_button.value,
            progress.waiting("time the vectorised weight gradient against the loops"))
    _yours = all_passed(exercises.CONV2D_WEIGHT_GRAD.run(conv2d_weight_grad))
    _fast = conv2d_weight_grad if _yours else exercises.conv2d_weight_grad_solution
    _x, _grad = exercises.inputs(budget["conv_x"], budget["conv_filters"], 3, padding=1)
    _t = speedups.timed({"loops": lambda: exercises.conv2d_weight_grad_loops(_x, _grad, 3, padding=1),
                         "vectorised": lambda: _fast(_x, _grad, 3, padding=1)}, budget["seconds"])
    _s = speedups.speedup(_t, "loops", "vectorised")
    exercise_results = {"measured_on": "browser" if recorded.in_browser() else "native",
                        "timed": "yours" if _yours else "reference solution", "speedup": _s["speedup"],
                        "ci_low": _s["ci_low"], "ci_high": _s["ci_high"], "loops_ms": _s["slow_ms"],
                        "vectorised_ms": _s["fast_ms"]}
    mo.vstack([
        published(exercise_results),
        mo.md(f"Measured in **{recorded.machine()}**, timing **{exercise_results['timed']}**: the loops took "
              f"**{_s['slow_ms']:.1f} ms**, the vectorised weight gradient **{_s['fast_ms']:.2f} ms**: "
              f"**{_s['speedup']:.1f}×** faster (95% interval {_s['ci_low']:.1f}-{_s['ci_high']:.1f})."
              + ("" if _yours else " Make your function pass every check above to time your own."))
    ])
    return (exercise_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Python loops cost the interpreter per element; vectorised NumPy per array: the gap is
      two to three orders of magnitude, on any machine.
    - The best compiled kernel depends on the machine: natively BLAS's `@` wins by far, in the
      browser (no BLAS) `einsum` beats `@`. Measure where you run.
    - Fusing elementwise ops saves passes over memory, graph nodes and temporaries.
    - Batching amortises fixed per-call costs: throughput grows with the batch, at the price of
      latency per batch.
    - The same recipe sped up a convolution's weight gradient: keep only the loop that is
      short (the kernel taps), contract everything else in one call.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-18")
    return


if __name__ == "__main__":
    app.run()
