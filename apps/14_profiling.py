# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="14 Profiling")


@app.cell(hide_code=True)
def _():
    import marimo as mo

    import tinytorch
    from tinytorch.core import kernels
    from tinytorch.course import charts, checks, profiled_step, progress, recorded
    from tinytorch.course.exercises import profiling as exercises
    from tinytorch.course.results import published
    from tinytorch.perf.roofline import Roofline

    return (
        Roofline,
        charts,
        checks,
        exercises,
        kernels,
        mo,
        profiled_step,
        progress,
        published,
        recorded,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 14 · Profiling

    **Goal.** Before making a model faster or smaller, measure where its time and memory go.
    Profile one training step of the course's two digit readers, the **1986 MLP** and a
    **LeNet**, op by op, in this browser; measure the two speed limits of this machine (its
    arithmetic and its memory bandwidth) and place every op under them on a **roofline**; and
    count what training keeps in memory: parameters, gradients, Adam's state and the
    activations saved for backward.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A **profiler** records every operation a computation runs: how long it took, how many
    floating-point operations (**FLOPs**) it did and how many bytes it read and wrote.
    tinytorch's `profile()` hooks into the autograd engine, so it sees each forward op and
    each backward step, and the module that ran it.

    **FLOPs** are counted exactly from the shapes: a multiply-add is 2 FLOPs, so a `Linear`
    layer from $k$ to $m$ features on a batch of $B$ costs $2Bkm$ (plus $Bm$ for the bias),
    and its backward about twice that (a gradient for the input *and* for the weights).

    **Arithmetic intensity** $I$ is FLOPs per byte moved. An op can be limited by the
    machine's arithmetic (peak FLOP/s, $P$) or by how fast memory feeds it (bandwidth $\beta$
    bytes/s):

    $$\text{attainable FLOP/s} = \min(P,\ \beta \cdot I).$$

    This is the **roofline**: a sloped roof (memory bound) meeting a flat one (compute bound)
    at the **ridge point** $I = P / \beta$. An op left of the ridge waits for memory, and a
    faster multiply would not help it; an op right of it waits for arithmetic. Both roofs are
    measured below, here, not taken from a data sheet.

    **Memory of training.** Besides the weights, training holds their **gradients** (one
    array each), **Adam's state** (two moment arrays per weight: twice the parameters) and the
    **activations** the forward pass saves for backward, which grow with the batch.

    Both models are **untrained**: time, FLOPs and bytes depend on the shapes of the arrays,
    not on the weights' values, so a fresh network costs exactly what a trained one does
    (and the inputs are random pixels shaped like a batch of digits, for the same reason).
    """)
    return


@app.cell(hide_code=True)
def _(recorded):
    # Workload of the buttons below (the tests shrink it). The roof's matmul size is the one each
    # recorded figure used: 256 in the browser (einsum runs slower per FLOP at 512 there, its
    # operands no longer fit the cache), 512 natively.
    budget = {"batch": 64, "hidden": 128, "filters": (6, 16), "megabytes": 64,
              "matmul_size": 256 if recorded.in_browser() else 512}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: profile one training step

    One step of each model on a batch of 64 digits: forward, cross-entropy loss, backward
    and Adam's update, after one unprofiled warm-up step. The 1986 MLP is 784-128-10; the
    LeNet is conv 5×5 (6 filters) → ReLU → pool → conv 5×5 (16 filters) → ReLU → pool →
    linear, as in milestone 1998. "Framework" below is the time around the ops: Python,
    building and walking the graph, and the profiler's own bookkeeping.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    profile_button = mo.ui.run_button(label="Profile a training step")
    profile_button
    return (profile_button,)


@app.cell
def _(budget, mo, profile_button, profiled_step, progress, tinytorch):
    mo.stop(not profile_button.value, progress.waiting("profile one training step of each model"))
    tinytorch.manual_seed(0)
    x, y = profiled_step.digit_batch(budget["batch"])
    models = {"1986 MLP": profiled_step.mlp_1986(budget["hidden"]),
              "LeNet": profiled_step.lenet(budget["filters"])}
    steps = [profiled_step.profile_step(name, model, x, y) for name, model in models.items()]
    return (steps,)


@app.cell(hide_code=True)
def _(budget, charts, kernels, mo, profiled_step, published, recorded, steps):
    mlp_step, lenet_step = steps

    def _op_share(step, op):
        return sum(r.seconds for r in step.prof.rows() if r.name.startswith(op)) / step.prof.total_seconds()

    profile_results = {
        "batch": budget["batch"], "measured_on": "browser" if recorded.in_browser() else "native",
        "matmul_kernel": kernels.active_matmul_kernel(),
        "mlp_step_ms": 1e3 * mlp_step.total_seconds, "lenet_step_ms": 1e3 * lenet_step.total_seconds,
        "mlp_forward_mflop": mlp_step.prof.total_flops("forward") / 1e6,
        "lenet_forward_mflop": lenet_step.prof.total_flops("forward") / 1e6,
        "lenet_backward_over_forward_flops": lenet_step.prof.total_flops("backward")
        / lenet_step.prof.total_flops("forward"),
        "mlp_linear_share": _op_share(mlp_step, "Linear"),
        "lenet_conv_share": _op_share(lenet_step, "Conv2d"),
        "mlp_adam_state_over_parameters": mlp_step.memory["optimizer_state"] / mlp_step.memory["parameters"],
        "mlp_activations_over_parameters": mlp_step.memory["activations"] / mlp_step.memory["parameters"],
        "lenet_activations_over_parameters":
            lenet_step.memory["activations"] / lenet_step.memory["parameters"],
    }
    _tops = [profiled_step.top_ops(s, 3) for s in steps]
    mo.vstack([
        published(profile_results),
        mo.md(f"Measured in **{recorded.machine()}**, matrix products through the "
              f"**{kernels.active_matmul_kernel()}** kernel. One step took "
              f"**{profile_results['mlp_step_ms']:.1f} ms** "
              f"for the MLP and **{profile_results['lenet_step_ms']:.1f} ms** for LeNet, though LeNet has "
              f"{lenet_step.memory['parameters'] / mlp_step.memory['parameters']:.0%} of the MLP's "
              "parameters: "
              f"it does **{profile_results['lenet_forward_mflop']:.1f} MFLOP** forward against the MLP's "
              f"{profile_results['mlp_forward_mflop']:.1f}, because each of its weights is used at every "
              "pixel position. Its backward counts "
              f"**{profile_results['lenet_backward_over_forward_flops']:.2f}×** its forward FLOPs."),
        charts.stacked_bar(profiled_step.time_split_records(steps), "model", "ms", "part",
                           title="where one training step's time goes", width=260),
        mo.md("\n".join(f"- **{t[0]['model']}**: " + ", ".join(f"{r['op']} {r['share']:.0%}" for r in t)
                        + " of the op time" for t in _tops)),
        mo.ui.tabs({s.name: mo.vstack([
            mo.md("**By op** (forward and backward separately; FLOP/B is the arithmetic intensity):"),
            mo.md(f"```text\n{s.prof.table(limit=12)}\n```"),
            mo.md("**By module** (inclusive: `Sequential` is the whole model, `Sequential.3` its "
                  "fourth layer):"),
            mo.md(f"```text\n{s.prof.table(by='module', limit=10)}\n```"),
        ]) for s in steps}),
    ])
    return (profile_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### What a training step holds in memory

    Measured from the real arrays right after the forward pass of the profiled step, when a
    step holds the most: the weights, the gradients of the previous step, Adam's two moment
    arrays per weight, and the activations the graph saved for backward.
    """)
    return


@app.cell(hide_code=True)
def _(charts, mo, profile_results, profiled_step, steps):
    _mlp, _lenet = steps
    mo.hstack([
        charts.stacked_bar(profiled_step.memory_records(steps), "model", "KiB", "memory",
                           title="memory of one training step", width=260),
        mo.vstack([mo.md(f"""
        Adam's state is **{profile_results['mlp_adam_state_over_parameters']:.2f}×** the parameters
        (two arrays per weight), whatever the model.

        The activations are what differs: **{profile_results['mlp_activations_over_parameters']:.2f}×**
        the parameters for the MLP, **{profile_results['lenet_activations_over_parameters']:.0f}×** for
        LeNet, whose feature maps (6 × 24 × 24 values per digit after the first convolution) are far
        larger than its {_lenet.memory['parameters'] / 1024:.0f} KiB of weights. Activations grow with the
        batch; parameters, gradients and Adam's state do not.
        """)]),
    ], justify="start")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: the roofline of this machine

    The flat roof is the speed of a large matrix product through tinytorch's own kernel
    (the best of 5 runs; 256 × 256 in the browser, 512 × 512 natively); the sloped roof is
    the speed of copying a 64 MiB array, too large for any cache. Then every op kind of the
    two profiled steps is placed under them.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    roofline_button = mo.ui.run_button(label="Measure the roofline")
    roofline_button
    return (roofline_button,)


@app.cell
def _(Roofline, budget, mo, progress, roofline_button):
    mo.stop(not roofline_button.value, progress.waiting("measure this machine's peak FLOP/s and bandwidth"))
    roof = Roofline.measure(matmul_size=budget["matmul_size"], megabytes=budget["megabytes"])
    return (roof,)


@app.cell(hide_code=True)
def _(budget, mo, profiled_step, published, recorded, roof, steps):
    _placed = [{**p, "op": f"{s.name}: {p['op']}"} for s in steps for p in roof.place(s.prof)]
    _compute = [p for p in _placed if p["bound"] == "compute"]
    _best = max(_placed, key=lambda p: p["achieved_gflops"])
    roofline_results = {
        "peak_gflops": roof.peak_gflops, "bandwidth_gbs": roof.bandwidth_gbs, "ridge_point": roof.ridge_point,
        "matmul_size": budget["matmul_size"], "measured_on": "browser" if recorded.in_browser() else "native",
        "ops_placed": len(_placed), "compute_bound_ops": len(_compute),
        "fastest_op_gflops": _best["achieved_gflops"],
    }
    mo.vstack([
        published(roofline_results),
        mo.md(f"Measured in **{recorded.machine()}**: peak **{roof.peak_gflops:.2f} GFLOP/s** "
              f"({budget['matmul_size']}³ float32 product), bandwidth **{roof.bandwidth_gbs:.2f} GB/s**, "
              f"ridge point **{roof.ridge_point:.2f} FLOP/B**. {len(_compute)} of {len(_placed)} op kinds "
              "sit right of the ridge (compute bound); the fastest, "
              f"*{_best['op']}*, reached {_best['achieved_gflops']:.2f} GFLOP/s."),
        roof.chart(_placed).properties(title="every op kind of both steps on this machine's roofline",
                                       width=460, height=300),
        mo.md(f"```text\n{roof.table(_placed)}\n```"),
        mo.md(recorded.table(profiled_step.RECORDED)),
        mo.md("In the browser the ridge point is far to the left: without BLAS the arithmetic is slow, "
              "so most ops are compute bound there, while natively (a BLAS matmul tens of times faster, "
              "about the same bandwidth) the elementwise ops and small products are memory bound. A "
              "small op can sit *above* the sloped roof: its arrays stay in cache, and the roof is main "
              "memory's speed; and a product of a size that suits the cache better than the roof's "
              "can beat the flat one."),
    ])
    return (roofline_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** Count the FLOPs of a convolution layer by hand. `conv2d_flops(x_shape,
    out_channels, kernel_size, stride=1, padding=0, bias=True)` gets the input shape
    `(N, C, H, W)` of a square-kernel `Conv2d(C, out_channels, kernel_size, stride, padding,
    bias)` and returns the FLOPs of one forward pass: 2 per multiply-add, and one add per
    output value for the bias. Raise `ValueError` when the kernel does not fit the padded
    image. Every check runs the real layer under the profiler and compares its count with yours.
    """)
    return


@app.cell
def _():
    def conv2d_flops(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
        # Your code here: the output size, the multiply-adds per output value, the bias.
        raise NotImplementedError

    return (conv2d_flops,)


@app.cell(hide_code=True)
def _(checks, conv2d_flops, exercises):
    checks.feedback(exercises.CONV2D_FLOPS, conv2d_flops, app="14_profiling")
    return


@app.cell(hide_code=True)
def _(conv2d_flops, mo, profiled_step, steps):
    # Your count for the two convolutions of the LeNet profiled above, against the profiler's.
    hand_counts = []
    for _layer in profiled_step.conv_layer_counts(steps[1]):
        try:
            _mine = conv2d_flops(_layer["x_shape"], _layer["out_channels"], _layer["kernel_size"],
                                 stride=_layer["stride"], padding=_layer["padding"], bias=_layer["bias"])
            _verdict = "agrees" if _mine == _layer["profiler_flops"] else "differs"
        except NotImplementedError:
            _mine, _verdict = "not written yet", ""
        except Exception as _error:  # the learner's code raised: show it, do not crash the page
            _mine, _verdict = f"{type(_error).__name__}: {_error}", "error"
        hand_counts.append({**_layer, "yours": _mine, "verdict": _verdict})
    mo.md("Your count for LeNet's two convolutions in the step profiled above:\n\n"
          "| layer | input | profiler's FLOPs | yours | |\n|---|---|---|---|---|\n"
          + "\n".join(f"| {r['layer']} | {r['x_shape']} | {r['profiler_flops']:,} | "
                      f"{r['yours'] if isinstance(r['yours'], str) else format(r['yours'], ',')} | "
                      f"{r['verdict']} |"
                      for r in hand_counts))
    return (hand_counts,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Measure before optimising: the profiler shows which ops take the time (the products:
      `Linear` in the MLP, `Conv2d`, and above all its backward, in LeNet), and how much time
      goes to the framework around the ops.
    - FLOPs follow from shapes alone; you counted a convolution's by hand and the profiler
      agreed. Backward costs up to twice the forward: a product needs a gradient for its
      weights and one for its input, and the first layer skips the second (its input is data).
    - The roofline says what limits each op on *this* machine: left of the ridge, memory;
      right of it, arithmetic. The browser's ridge is far left of a native machine's.
    - Training holds parameters, gradients, Adam's state (2× the parameters) and saved
      activations, which dominate in a convolutional network and grow with the batch.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-14")
    return


if __name__ == "__main__":
    app.run()
