# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="01 Tensor")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.course import charts, checks, measure, progress
    from tinytorch.course.exercises import tensor as exercises

    return charts, checks, exercises, measure, mo, np, progress, tinytorch


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 01 · Tensor

    **Goal.** By the end of this module you can predict the shape of any elementwise
    operation before running it, tell a *view* from a *copy*, and say how many bytes a
    tensor costs, which is where every later question about speed and memory starts.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A tensor is a block of numbers in memory plus a **shape** that says how to read it.
    A `(3, 4)` float32 tensor is 12 numbers of 4 bytes each, stored row after row; its
    **strides** say how many bytes to jump to move one step along each dimension:
    $(4 \cdot 4, 4) = (16, 4)$.

    **Broadcasting** lets tensors of different shapes meet elementwise. Line the shapes up
    at the right; in each position the sizes must be equal, or one of them must be 1 (that
    one is stretched, without copying). Missing dimensions count as 1:

    $$(2, 1, 4) \;\text{with}\; (3, 1) \;\to\; (2, 1, 4) \;\text{with}\; (1, 3, 1) \;\to\; (2, 3, 4)$$

    **Memory**: a tensor holds $\text{numel} \times \text{itemsize}$ bytes:
    `tinytorch.zeros(1000, 1000)` is $10^6 \times 4$ bytes = 4 MB in float32, 8 MB in float64.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: the broadcasting explorer

    Type two shapes. tinytorch adds two tensors of those shapes and shows you the result,
    or the error it gives when the shapes cannot meet.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    shape_a = mo.ui.text(value="3, 1", label="shape of a")
    shape_b = mo.ui.text(value="1, 4", label="shape of b")
    mo.hstack([shape_a, shape_b], justify="start")
    return shape_a, shape_b


@app.cell(hide_code=True)
def _(charts, mo, np, shape_a, shape_b, tinytorch):
    def parse(text):
        return tuple(int(part) for part in text.replace("(", "").replace(")", "").split(",")
                     if part.strip())

    try:
        _a = tinytorch.arange(int(np.prod(parse(shape_a.value)))).reshape(parse(shape_a.value))
        _b = 10 * tinytorch.arange(int(np.prod(parse(shape_b.value)))).reshape(parse(shape_b.value))
        _sum = _a + _b
        _views = [mo.md(f"`a{tuple(_a.shape)} + b{tuple(_b.shape)}` → **`{tuple(_sum.shape)}`**")]
        if _sum.ndim == 2 and _sum.shape[0] * _sum.shape[1] <= 400:
            _views.append(mo.hstack([
                charts.heatmap(np.broadcast_to(_a.numpy(), _sum.shape), title="a, stretched",
                               annotate=True, width=160),
                charts.heatmap(np.broadcast_to(_b.numpy(), _sum.shape), title="b, stretched",
                               annotate=True, width=160),
                charts.heatmap(_sum.numpy(), title="a + b", annotate=True, width=160),
            ]))
        _out = mo.vstack(_views)
    except ValueError as _error:
        _out = mo.callout(mo.md(f"**No broadcast.** tinytorch says: `{_error}`"), kind="warn")
    _out
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### Views and copies

    Slicing and transposing do not move data: they return a **view** with new strides over
    the same memory. Pick an operation and see its strides and whether it shares memory with
    the original `(4, 6)` float32 tensor.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    view_op = mo.ui.dropdown(
        options={
            "x[1:3]": lambda x: x[1:3],
            "x[:, ::2]": lambda x: x[:, ::2],
            "x.T": lambda x: x.T,
            "x.reshape(6, 4)": lambda x: x.reshape(6, 4),
            "x.T.reshape(24)": lambda x: x.T.reshape(24),
            "x * 1": lambda x: x * 1,
        },
        value="x[:, ::2]", label="operation")
    view_op
    return (view_op,)


@app.cell(hide_code=True)
def _(mo, np, tinytorch, view_op):
    _x = tinytorch.arange(24).float().reshape(4, 6)
    _y = view_op.value(_x)
    _shares = np.shares_memory(_x.numpy(), _y.numpy())
    _xa, _ya = _x.numpy(), _y.numpy()
    mo.md(f"""
    | | shape | strides (bytes) | contiguous | shares memory with x |
    |---|---|---|---|---|
    | `x` | `{_x.shape}` | `{_xa.strides}` | {_xa.flags.c_contiguous} | |
    | `{view_op.selected_key}` | `{_y.shape}` | `{_ya.strides}` | {_ya.flags.c_contiguous} | **{_shares}** |

    {"A view: no bytes were copied." if _shares else "A copy: new memory was allocated and filled."}
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### dtype and memory footprint
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    side = mo.ui.slider(start=100, stop=4000, step=100, value=1000, label="matrix side n")
    side
    return (side,)


@app.cell(hide_code=True)
def _(charts, mo, side, tinytorch):
    _dtypes = (tinytorch.float64, tinytorch.float32, tinytorch.int64, tinytorch.uint8, tinytorch.bool_)
    _rows = [{"dtype": str(_dtype),
              "megabytes": tinytorch.zeros(side.value, side.value, dtype=_dtype).nbytes / 1e6}
             for _dtype in _dtypes]
    mo.vstack([
        mo.md(f"Measured with `.nbytes` on real tensors of {side.value * side.value:,} elements."),
        charts.bar(_rows, "dtype", "megabytes", title=f"an {side.value} x {side.value} tensor"),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise 1.** Write the broadcasting rule. Return the broadcast shape of `a` and `b`
    as a tuple, or raise `ValueError` when they cannot broadcast. Edit the cell below, then
    run it (**Ctrl+Enter**, or **Cmd+Enter** on a Mac, or the ▶ button beside it): the checks
    under it rerun each time you run it.
    """)
    return


@app.cell
def _():
    def broadcast_shape(a: tuple, b: tuple) -> tuple:
        # Your code here: line the shapes up at the right, pad with 1s, compare pairs.
        raise NotImplementedError

    return (broadcast_shape,)


@app.cell(hide_code=True)
def _(broadcast_shape, checks, exercises, mo):
    checks.feedback(exercises.BROADCAST, broadcast_shape, app="01_tensor")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    **Exercise 2.** Compute the strides, in bytes, of a row-major (C-contiguous) array of
    the given shape whose elements take `itemsize` bytes each.
    """)
    return


@app.cell
def _():
    def strides(shape: tuple, itemsize: int) -> tuple:
        # Your code here: the last dimension steps one element; each earlier one steps over
        # everything to its right.
        raise NotImplementedError

    return (strides,)


@app.cell(hide_code=True)
def _(checks, exercises, mo, strides):
    checks.feedback(exercises.STRIDES, strides, app="01_tensor")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: elementwise cost grows with bytes

    An elementwise add reads two tensors and writes one, so its time should grow with the
    number of bytes moved, and float64 should cost about twice float32. Press the button to
    measure it on *your* machine (in the browser, that is your browser's WebAssembly).
    """)
    return


@app.cell(hide_code=True)
def _():
    # The workload (tests/apps/quick.py shrinks it for the pressed-button test).
    budget = {"sizes": [2**k for k in range(10, 23, 2)]}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure add time vs size")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(budget, charts, measure, measure_button, mo, progress, tinytorch):
    mo.stop(not measure_button.value, progress.waiting("measure"))
    _sizes = budget["sizes"]
    _rows = []
    for _dtype in (tinytorch.float32, tinytorch.float64):
        def _make(n, dtype=_dtype):
            a, b = tinytorch.ones(n, dtype=dtype), tinytorch.ones(n, dtype=dtype)
            return lambda: a + b

        _rows += measure.scaling(_make, _sizes, label=str(_dtype))
    for _row in _rows:
        _row["microseconds"] = _row["seconds"] * 1e6
    _gb = [r["n"] * 3 * (4 if r["label"] == "float32" else 8) / r["seconds"] / 1e9 for r in _rows
           if r["n"] == _sizes[-1]]
    results = {"float32_gb_per_s": _gb[0], "float64_gb_per_s": _gb[1]}
    mo.vstack([
        charts.line(_rows, "n", "microseconds", color="label", log_x=True, log_y=True,
                    title="time of a + b (best of 3)"),
        mo.md(f"At the largest size: **{_gb[0]:.1f} GB/s** (float32) and **{_gb[1]:.1f} GB/s** "
              "(float64) of memory traffic: the same bandwidth, so float64 takes about twice as long."),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A tensor is memory + shape + strides; slicing and transposing make views, not copies.
    - Broadcasting aligns shapes at the right and stretches size-1 dimensions.
    - Bytes = numel × itemsize, and elementwise time follows bytes.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-01")
    return


if __name__ == "__main__":
    app.run()
