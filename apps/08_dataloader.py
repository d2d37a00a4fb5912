# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="08 DataLoader")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    from tinytorch import datasets
    from tinytorch.core import transforms
    from tinytorch.core.dataloader import DataLoader, Dataset, TensorDataset
    from tinytorch.course import charts, checks, measure, progress
    from tinytorch.course.exercises import dataloader as exercises

    return (
        DataLoader,
        Dataset,
        TensorDataset,
        charts,
        checks,
        datasets,
        exercises,
        measure,
        mo,
        np,
        progress,
        transforms,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 08 · DataLoader

    **Goal.** By the end of this module you can say exactly which samples land in which
    batch of which epoch (shuffled, seeded, with or without `drop_last`), why a loader
    fetches a whole batch with one indexing operation instead of one sample at a time, and
    what data augmentation does to the images a model sees.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A **Dataset** answers two questions: how many samples ($N$), and what is sample $i$. A
    **DataLoader** cuts an epoch into batches of $B$ samples:
    $\lceil N / B \rceil$ batches, or $\lfloor N / B \rfloor$ with `drop_last` (the short
    remainder is skipped, so every batch has the same shape).

    **Shuffling.** Each epoch draws a fresh permutation of $0, \dots, N-1$ and slices it.
    A batch's gradient is then an unbiased estimate of the full gradient,

    $$\hat g = \frac{1}{B} \sum_{i \in \text{batch}} \nabla \ell_i, \qquad
    \mathbb{E}[\hat g] = \frac{1}{N} \sum_{i=1}^{N} \nabla \ell_i,$$

    with a variance that shrinks like $1/B$. A **seed** makes the permutations repeatable.

    **Throughput.** Fetching a batch costs a fixed overhead plus a cost per sample,
    $t(B) = c_0 + c_1 B$, so samples per second, $B / t(B)$, climbs with $B$ and levels off
    at $1 / c_1$. Asking a dataset for one sample at a time pays a Python call per sample,
    so its $c_1$ is large; tinytorch's loader asks array-backed datasets for the whole batch
    at once (`get_batch`: one NumPy fancy index).

    **Augmentation and normalisation.** Random transforms show the model a slightly
    different image each epoch: `RandomCrop(size, padding=p)` pads by $p$ zeros and cuts a
    random window (a shift of up to $p$ pixels), `RandomHorizontalFlip(p)` mirrors with
    probability $p$. `Normalize` maps pixels to $x' = (x - \mu) / \sigma$ with the data
    set's mean and standard deviation, so inputs are centred with unit spread.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: which sample lands in which batch

    tinytorch's `DataLoader` runs 3 epochs over a dataset whose samples are their own
    indices $0, \dots, N-1$. Each row is an epoch, each tile a sample, coloured by its batch.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    n_samples = mo.ui.slider(start=4, stop=40, value=23, label="samples N", show_value=True)
    batch_size = mo.ui.slider(start=1, stop=12, value=5, label="batch size B", show_value=True)
    shuffle = mo.ui.switch(value=True, label="shuffle")
    drop_last = mo.ui.switch(value=False, label="drop_last")
    loader_seed = mo.ui.slider(start=0, stop=20, value=0, label="seed", show_value=True)
    mo.hstack([n_samples, batch_size, shuffle, drop_last, loader_seed], justify="start", wrap=True)
    return batch_size, drop_last, loader_seed, n_samples, shuffle


@app.cell
def _(DataLoader, TensorDataset, batch_size, drop_last, loader_seed, n_samples, np, shuffle):
    def epochs_of(seed, epochs=3):
        """The index batches of each epoch of a fresh, seeded loader over the samples 0..N-1."""
        loader = DataLoader(TensorDataset(np.arange(n_samples.value)), batch_size=batch_size.value,
                            shuffle=shuffle.value, drop_last=drop_last.value, seed=seed)
        return [[batch.numpy().tolist() for (batch,) in loader] for _ in range(epochs)], len(loader)

    loader_epochs, batches_per_epoch = epochs_of(loader_seed.value)
    return batches_per_epoch, epochs_of, loader_epochs


@app.cell(hide_code=True)
def _(
    batch_size,
    batches_per_epoch,
    charts,
    epochs_of,
    loader_epochs,
    loader_seed,
    mo,
    n_samples,
):
    _tiles = []
    for _e, _batches in enumerate(loader_epochs):
        _seen = [i for b in _batches for i in b]
        _dropped = sorted(set(range(n_samples.value)) - set(_seen))
        _tiles += [{"position": p, "epoch": f"epoch {_e + 1}", "batch": f"batch {k + 1}", "index": i}
                   for p, (k, i) in enumerate((k, i) for k, b in enumerate(_batches) for i in b)]
        _tiles += [{"position": len(_seen) + j, "epoch": f"epoch {_e + 1}", "batch": "dropped", "index": i}
                   for j, i in enumerate(_dropped)]
    _sizes = [len(b) for b in loader_epochs[0]]
    _n, _b = n_samples.value, batch_size.value
    _again, _ = epochs_of(loader_seed.value)
    _other, _ = epochs_of(loader_seed.value + 1)
    mo.vstack([
        charts.tiles(_tiles, "position", "epoch", "batch", "index",
                     title="sample index at each position of each epoch (colour: batch)"),
        mo.md(f"""
        - `len(loader)` = **{batches_per_epoch}** batches per epoch, of sizes {_sizes}
          ({sum(_sizes)} of {_n} samples used; $\\lceil {_n} / {_b} \\rceil = {-(-_n // _b)}$,
          $\\lfloor {_n} / {_b} \\rfloor = {_n // _b}$).
        - Epochs in a different order from each other: **{loader_epochs[0] != loader_epochs[1]}**.
        - A new loader with the same seed repeats every batch: **{_again == loader_epochs}**;
          with seed {loader_seed.value + 1}: **{_other == loader_epochs}**.
        """),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: augmentation on real digits

    Eight images go through a `DataLoader` whose `transform` is
    `Compose([ToFloat, RandomCrop, RandomHorizontalFlip, Normalize])`, one batch per row:
    every pass over the same eight images draws new crops and flips. The UCI 8×8 digits
    ship inside tinytorch; MNIST comes from the data folder (`TINYTORCH_DATA`) or the
    course site.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    image_source = mo.ui.dropdown(options={"UCI digits, 8×8 (shipped)": "digits", "MNIST, 28×28": "mnist"},
                                  value="UCI digits, 8×8 (shipped)", label="images")
    image_source
    return (image_source,)


@app.cell(hide_code=True)
def _(datasets, image_source, mo):
    gallery_note = None
    if image_source.value == "mnist":
        try:
            images, image_labels = datasets.load_mnist("test")
            pixel_max = 255
        except datasets.DatasetError as _error:
            gallery_note = mo.callout(mo.md(
                f"**MNIST is not available here**, so the digits are shown instead. Set the "
                f"environment variable `TINYTORCH_DATA` to a data folder holding "
                f"`mnist/t10k-images-idx3-ubyte.gz` (or go online).\n\n```text\n{_error}\n```"), kind="warn")
    if image_source.value != "mnist" or gallery_note is not None:
        images, image_labels = datasets.load_digits()
        pixel_max = 16
    return gallery_note, image_labels, images, pixel_max


@app.cell(hide_code=True)
def _(gallery_note, images, mo):
    flip_p = mo.ui.slider(start=0.0, stop=1.0, step=0.1, value=0.5, label="flip probability",
                          show_value=True)
    padding = mo.ui.slider(start=0, stop=max(2, images.shape[-1] // 7), value=1, label="crop padding",
                           show_value=True)
    normalize = mo.ui.switch(value=True, label="Normalize")
    augment_seed = mo.ui.slider(start=0, stop=20, value=0, label="seed", show_value=True)
    mo.vstack(([gallery_note] if gallery_note is not None else [])
              + [mo.hstack([flip_p, padding, normalize, augment_seed], justify="start", wrap=True)])
    return augment_seed, flip_p, normalize, padding


@app.cell(hide_code=True)
def _(images, np, pixel_max):
    pixel_mean = float(images[:2000].mean()) / pixel_max
    pixel_std = float(images[:2000].std()) / pixel_max
    gallery_pick = np.random.default_rng(1).choice(len(images), 8, replace=False)
    return gallery_pick, pixel_mean, pixel_std


@app.cell(hide_code=True)
def _(
    DataLoader,
    TensorDataset,
    augment_seed,
    flip_p,
    gallery_pick,
    image_labels,
    images,
    normalize,
    padding,
    pixel_max,
    pixel_mean,
    pixel_std,
    transforms,
):
    _steps = [transforms.ToFloat(1 / pixel_max),
              transforms.RandomCrop(images.shape[-1], padding=padding.value, seed=augment_seed.value),
              transforms.RandomHorizontalFlip(flip_p.value, seed=augment_seed.value + 100)]
    if normalize.value:
        _steps.append(transforms.Normalize(pixel_mean, pixel_std))
    augment = transforms.Compose(_steps)
    _loader = DataLoader(TensorDataset(images[gallery_pick], image_labels[gallery_pick]), batch_size=8,
                         transform=augment)
    gallery_rows = [("original", transforms.ToFloat(1 / pixel_max)(images[gallery_pick]))]
    gallery_rows += [(f"pass {k + 1}", next(iter(_loader))[0].numpy()) for k in range(3)]
    return augment, gallery_rows


@app.cell(hide_code=True)
def _(augment, charts, gallery_pick, gallery_rows, image_labels, images, mo):
    _scale = max(3, 64 // images.shape[-1])

    def _show(batch):
        lo, hi = float(batch.min()), float(batch.max())  # one range per row: Normalize's output too
        return [mo.image(charts.png((img - lo) / (hi - lo or 1), scale=_scale)) for img in batch]

    mo.vstack([
        mo.md(f"Labels: {image_labels[gallery_pick].tolist()}. Transform: `{augment!r}`"),
        *[mo.hstack([mo.md(f"**{name}**").style({"width": "70px"}), *_show(batch)], justify="start")
          for name, batch in gallery_rows],
    ])
    return


@app.cell(hide_code=True)
def _(augment, images, mo, normalize, pixel_max, pixel_mean, pixel_std, transforms):
    _raw = transforms.ToFloat(1 / pixel_max)(images[:2000])
    _out = augment(images[:2000])

    def _stats(x):
        return f"{x.mean():.3f} | {x.std():.3f} | {x.min():.3f} | {x.max():.3f}"

    _note = (f"`Normalize({pixel_mean:.4f}, {pixel_std:.4f})` used the mean and std measured on the data "
             "set, so the transformed pixels have mean near 0 and std near 1 (the zeros that crops pad "
             "in shift them a little)." if normalize.value else "Switch on Normalize to centre the pixels.")

    mo.md(f"""
    Pixel statistics of the first {len(_raw):,} images, measured:

    | | mean | std | min | max |
    |---|---|---|---|---|
    | after `ToFloat` | {_stats(_raw)} |
    | after the whole transform | {_stats(_out)} |

    {_note}
    A flipped **2** or **7** is no longer a digit anyone writes: flips suit photos (a cat
    mirrored is still a cat), not digits or text. Small shifts (crops) suit both.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** Write the heart of a DataLoader: yield the sample indices of each batch of
    one epoch over `n` samples. When `shuffle` is true, draw the order with
    `generator.permutation(n)` (so the same generator gives the same batches as tinytorch's
    `DataLoader`); with `drop_last`, skip a final batch shorter than `batch_size`. The
    checks compare your batches with `DataLoader`'s.
    """)
    return


@app.cell
def _():
    def batch_indices(n, batch_size, shuffle=False, drop_last=False, generator=None):
        # Your code here: choose the order (0..n-1, or a permutation), then yield slices of it.
        raise NotImplementedError

    return (batch_indices,)


@app.cell(hide_code=True)
def _(batch_indices, checks, exercises, mo):
    checks.feedback(exercises.BATCH_INDICES, batch_indices, app="08_dataloader")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: throughput against batch size

    One shuffled epoch over the images above, three ways: plain NumPy fancy indexing (the
    floor), tinytorch's `DataLoader` on a `TensorDataset` (one `get_batch` per batch), and
    a `DataLoader` on a dataset that can only hand out one sample at a time. Press the
    button to time them on your machine.
    """)
    return


@app.cell(hide_code=True)
def _():
    budget = {"samples": 4096, "batch_sizes": (1, 4, 16, 64, 256, 1024), "repeat": 3}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure throughput")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(
    DataLoader,
    Dataset,
    TensorDataset,
    charts,
    image_labels,
    images,
    measure,
    measure_button,
    mo,
    np,
    progress,
    budget,
):
    mo.stop(not measure_button.value, progress.waiting("time one epoch at each batch size"))
    _n = budget["samples"]
    _x, _y = np.resize(images, (_n, *images.shape[1:])), np.resize(image_labels, _n)

    class _OneAtATime(Dataset):
        """The same arrays, but only `dataset[i]`: the loader must collate sample by sample."""

        def __len__(self):
            return _n

        def __getitem__(self, i):
            return _x[i], _y[i]

    def _numpy_epoch(b):
        order = np.random.default_rng(0).permutation(_n)
        for start in range(0, _n, b):
            _x[order[start:start + b]], _y[order[start:start + b]]

    def _loader_epoch(dataset, b):
        for _ in DataLoader(dataset, batch_size=b, shuffle=True, seed=0):
            pass

    _methods = {"NumPy indexing": _numpy_epoch,
                "DataLoader (get_batch)": lambda b: _loader_epoch(TensorDataset(_x, _y), b),
                "DataLoader, one sample at a time": lambda b: _loader_epoch(_OneAtATime(), b)}
    _rows = []
    with mo.status.progress_bar(total=len(_methods) * len(budget["batch_sizes"]),
                                title="timing epochs") as _bar:
        for _name, _epoch in _methods.items():
            for _b in budget["batch_sizes"]:
                _t = measure.best_time(lambda e=_epoch, b=_b: e(b), repeat=budget["repeat"])
                _rows.append({"batch size": _b, "samples/s": _n / _t, "batches/s": -(-_n // _b) / _t,
                              "method": _name, "µs per batch": 1e6 * _t / -(-_n // _b)})
                _bar.update()
    _first = {r["method"]: r for r in _rows if r["batch size"] == budget["batch_sizes"][0]}
    _last = {r["method"]: r for r in _rows if r["batch size"] == budget["batch_sizes"][-1]}
    results = {"rows": _rows}
    mo.vstack([
        charts.line(_rows, "batch size", "samples/s", color="method", log_x=True, log_y=True,
                    title=f"samples per second ({_n:,} images of {images.shape[1]}×{images.shape[2]})",
                    width=460, height=220),
        charts.line(_rows, "batch size", "batches/s", color="method", log_x=True, log_y=True,
                    title="batches per second", width=460, height=220),
        mo.md(f"""
        Per batch of {budget["batch_sizes"][0]}: NumPy indexing takes
        **{_first["NumPy indexing"]["µs per batch"]:.1f} µs**, the DataLoader
        **{_first["DataLoader (get_batch)"]["µs per batch"]:.1f} µs** (its fixed overhead $c_0$:
        building the batch's tensors). At batch {budget["batch_sizes"][-1]} the
        DataLoader delivers **{_last["DataLoader (get_batch)"]["samples/s"]:,.0f}** samples/s,
        {_last["DataLoader (get_batch)"]["samples/s"] / _last["NumPy indexing"]["samples/s"]:.0%}
        of NumPy's rate, while the one-sample-at-a-time dataset manages
        **{_last["DataLoader, one sample at a time"]["samples/s"]:,.0f}**: its cost is per sample,
        so a larger batch does not help it.
        """),
    ])
    return (results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - An epoch is one permutation cut into $\lceil N/B \rceil$ batches ($\lfloor N/B \rfloor$
      with `drop_last`); a seeded generator makes the permutations repeatable.
    - Samples per second rise with the batch size until the per-sample cost dominates;
      fetching a batch with one array index keeps that cost small, one Python call per
      sample does not.
    - Augmentations are random batch transforms: crops shift, flips mirror (not for digits!),
      and `Normalize` centres the inputs with the data set's own statistics.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-08")
    return


if __name__ == "__main__":
    app.run()
