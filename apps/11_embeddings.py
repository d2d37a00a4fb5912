# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="11 Embeddings")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    import tinytorch.nn as nn
    from tinytorch.core.dataloader import DataLoader, TensorDataset
    from tinytorch.core.embeddings import sinusoidal_positional_encoding
    from tinytorch.core.ops.embedding import EmbeddingFunction
    from tinytorch.core.tokenization import CharTokenizer
    from tinytorch.core.training import Trainer
    from tinytorch.course import charts, checks, live, measure, progress, projection, similarity
    from tinytorch.course.exercises import embeddings as exercises
    from tinytorch.datasets import text as texts

    alt = charts.altair()  # imported after tinytorch.course: quicker in the browser

    return (
        CharTokenizer,
        DataLoader,
        EmbeddingFunction,
        TensorDataset,
        Trainer,
        alt,
        charts,
        checks,
        exercises,
        live,
        measure,
        mo,
        nn,
        np,
        progress,
        projection,
        similarity,
        sinusoidal_positional_encoding,
        texts,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 11 · Embeddings

    **Goal.** By the end of this module you can say what an embedding table is and why its
    lookup is a matrix product without the matrix, write its backward pass (a scatter-add),
    see what a trained model puts in its character vectors, and read the sinusoidal
    positional encoding that tells a transformer where each token sits.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A model cannot multiply a token id. An **embedding** gives each of the $V$ tokens a
    learned vector of $d$ numbers, the rows of a table $E \in \mathbb{R}^{V \times d}$:

    $$\operatorname{embed}(i) = E[i] = \operatorname{onehot}(i)^\top E .$$

    The one-hot product would cost $V d$ multiply-adds per token and a $V$-long vector;
    the lookup reads $d$ numbers. **Backward** follows from the same product: with
    $\partial L / \partial \text{out}_p = g_p$ for each position $p$,

    $$\frac{\partial L}{\partial E} = \sum_p \operatorname{onehot}(i_p)\, g_p^\top,
    \quad\text{so}\quad \frac{\partial L}{\partial E[v]} = \sum_{p \,:\, i_p = v} g_p ,$$

    a **scatter-add**: each position adds its gradient into the row it read, and a token
    seen five times in the batch collects five gradients. Rows no position read get zero.

    **Positions.** Attention treats its input as a set: "dog bites man" and "man bites dog"
    hold the same vectors. So each position $p$ adds a vector of its own. The sinusoidal
    encoding of Vaswani et al. (2017) is fixed, not learned:

    $$PE[p, 2k] = \sin\!\left(\frac{p}{10000^{2k/d}}\right), \qquad
    PE[p, 2k+1] = \cos\!\left(\frac{p}{10000^{2k/d}}\right).$$

    Each pair of columns is a clock hand turning at its own speed, fast in the first columns,
    slow in the last; moving $k$ positions turns every hand by a fixed angle, so the dot
    product $PE[p] \cdot PE[q]$ depends only on the offset $p - q$.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: character embeddings a model learns

    A small character-level language model (Bengio et al. 2003): the embeddings of the last
    three characters, side by side, feed a hidden layer that predicts the next character.
    Nobody tells it what a vowel is. The text is lower-cased, so each letter gets many
    examples. Each character's 16-dimensional vector is drawn at its
    two principal components (PCA: the two directions along which the vectors differ most).
    Press **Train** to train it on your machine and watch the picture organise.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    corpus_choice = mo.ui.dropdown(options={"Shakespeare's sonnets": "shakespeare_sonnets",
                                            "Moby Dick (Melville)": "moby_dick"},
                                   value="Shakespeare's sonnets", label="corpus")
    corpus_choice
    return (corpus_choice,)


@app.cell(hide_code=True)
def _():
    budget = {"train_chars": 40_000, "heldout_chars": 6_000, "batch_size": 256, "lookup_tokens": 512,
              "vocab_sizes": (64, 256, 1024, 4096), "repeat": 3}
    return (budget,)


@app.cell(hide_code=True)
def _(CharTokenizer, budget, corpus_choice, np, texts):
    _text = texts.load_text(corpus_choice.value)
    _text = _text[:budget["train_chars"] + budget["heldout_chars"]].lower()  # 26 letters, many examples each
    char_tokenizer = CharTokenizer.from_text(_text, byte_fallback=False)
    char_ids = np.array(char_tokenizer.encode(_text), dtype=np.int64)
    characters = list(char_tokenizer.chars)
    return char_ids, char_tokenizer, characters


@app.cell
def _(nn, tinytorch):
    context, embedding_dim, hidden = 3, 16, 128

    def make_char_model(vocab_size):
        """Embed the last `context` characters, concatenate, one tanh hidden layer, next-character logits.
        The table starts small (std 0.1, not PyTorch's 1), so what training writes into it
        is not hidden under the random start in a short run."""
        tinytorch.manual_seed(0)
        model = nn.Sequential(nn.Embedding(vocab_size, embedding_dim), nn.Flatten(),
                              nn.Linear(context * embedding_dim, hidden), nn.Tanh(),
                              nn.Linear(hidden, vocab_size))
        nn.init.normal_(model[0].weight, std=0.1)
        return model

    return context, make_char_model


@app.cell(hide_code=True)
def _(alt, projection):
    _KINDS = (("vowel", set("aeiouAEIOU")), ("space or newline", set(" \n")),
              ("punctuation", set(".,;:!?'\"-()")), ("digit", set("0123456789")))

    def kind_of(char):
        found = next((name for name, members in _KINDS if char in members), None)
        return found or ("consonant" if char.isalpha() else "other")

    def embedding_map(table, chars, title):
        """The table's rows at their two principal components, each labelled with its character."""
        p = projection.pca_2d(table)
        shown = {" ": "␣", "\n": "↵"}
        rows = [{"pc1": float(x), "pc2": float(y), "char": shown.get(c, c), "kind": kind_of(c)}
                for (x, y), c in zip(p.coords, chars, strict=True)]
        return (alt.Chart(alt.Data(values=rows)).mark_text(fontSize=14, fontWeight="bold")
                .encode(x=alt.X("pc1:Q", title=f"PC 1 ({p.explained[0]:.0%} of the variance)"),
                        y=alt.Y("pc2:Q", title=f"PC 2 ({p.explained[1]:.0%})"), text="char:N",
                        color=alt.Color("kind:N", scale=alt.Scale(scheme="dark2")),
                        tooltip=["char:N", "kind:N"])
                .properties(title=title, width=380, height=300))

    return embedding_map, kind_of


@app.cell(hide_code=True)
def _(characters, embedding_map, make_char_model, mo):
    mo.vstack([mo.md(f"{len(characters)} characters. Before training, the vectors are random "
                     "(normal, standard deviation 0.1): no pattern."),
               embedding_map(make_char_model(len(characters))[0].weight.numpy(), characters,
                             "untrained embeddings")])
    return


@app.cell(hide_code=True)
def _(mo):
    train_epochs = mo.ui.slider(start=1, stop=5, value=1, label="epochs", show_value=True)
    train_epochs
    return (train_epochs,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell
def _(
    DataLoader,
    TensorDataset,
    Trainer,
    budget,
    char_ids,
    characters,
    context,
    embedding_map,
    live,
    make_char_model,
    mo,
    np,
    progress,
    tinytorch,
    train_button,
    train_epochs,
):
    mo.stop(not train_button.value, progress.waiting("train the model"))
    _windows = np.lib.stride_tricks.sliding_window_view(char_ids[:-1], context)  # previous characters
    _targets = char_ids[context:]  # the character after each window
    _n = budget["train_chars"] - context
    _val_x, _val_y = tinytorch.tensor(_windows[_n:]), tinytorch.tensor(_targets[_n:])
    char_model = make_char_model(len(characters))
    _loader = DataLoader(TensorDataset(_windows[:_n], _targets[:_n]), batch_size=budget["batch_size"],
                         shuffle=True, seed=0)

    def _validate(net):
        with tinytorch.no_grad():
            loss = tinytorch.nn.functional.cross_entropy(net(_val_x), _val_y)
        return {"bits per character": float(loss.item()) / np.log(2)}

    char_training = live.LiveTraining(
        len(_loader) * train_epochs.value, batch_size=budget["batch_size"], validate=_validate,
        extra=lambda run: [embedding_map(char_model[0].weight.numpy(), characters, "embeddings now")])
    Trainer(char_model, tinytorch.optim.Adam(char_model.parameters(), lr=3e-3),
            callbacks=[char_training]).fit(_loader, epochs=train_epochs.value, interruptible=True)
    char_training.view()
    return char_model, char_training


@app.cell(hide_code=True)
def _(char_model, char_training, characters, kind_of, make_char_model, mo, np, similarity):
    _kinds = np.array([kind_of(c) for c in characters])
    _vowels, _consonants = np.flatnonzero(_kinds == "vowel"), np.flatnonzero(_kinds == "consonant")

    def _groups_of(table):
        return {"vowel-vowel": similarity.mean_similarity(table, _vowels, _vowels),
                "consonant-consonant": similarity.mean_similarity(table, _consonants, _consonants),
                "vowel-consonant": similarity.mean_similarity(table, _vowels, _consonants)}

    _table = char_model[0].weight.numpy()
    _last = char_training.validation[-1] if char_training.validation else {}
    _bits = _last.get("bits per character", float("nan"))
    _before = _groups_of(make_char_model(len(characters))[0].weight.numpy())
    _after = _groups_of(_table)
    embedding_results = {"bits_per_character": _bits, "uniform_bits": float(np.log2(len(characters))),
                         "train_seconds": char_training.seconds, "batches": char_training.done,
                         "stopped": char_training.stopped, "similarity_before": _before,
                         "similarity_after": _after}
    _probes = [c for c in "aeitsn .," if c in characters]
    _shown = {" ": "␣", "\n": "↵"}

    def _neighbours(c):
        pairs = similarity.nearest(_table, characters, c)
        return ", ".join(f"`{_shown.get(n, n)}` {s:.2f}" for n, s in pairs)

    _rows = "\n".join(f"| `{_shown.get(c, c)}` ({kind_of(c)}) | {_neighbours(c)} |" for c in _probes)
    _groups = "\n".join(f"| {k} | {_before[k]:+.3f} | {_after[k]:+.3f} |" for k in _after)
    _together = _after["vowel-vowel"] > _after["vowel-consonant"] + 0.1
    mo.md(f"""
    On held-out text the model needs **{_bits:.2f} bits per character** (guessing uniformly
    among {len(characters)} characters would need {embedding_results["uniform_bits"]:.2f}),
    after {char_training.done:,} batches in {char_training.seconds:.1f} s{" (stopped early)"
    if char_training.stopped else ""}.

    Mean cosine similarity between the vectors of two characters, measured:

    | pairs | untrained | trained |
    |---|---|---|
    {_groups}

    {"Vowels have moved towards each other and away from consonants: the model needs them to "
     "predict alike (they stand in the same places in words), so gradient descent pulls their "
     "vectors together." if _together else "The groups are not yet clearly apart: train for "
     "more epochs and measure again."}
    Nearest characters by cosine similarity:

    | character | most similar vectors |
    |---|---|
    {_rows}
    """)
    return (embedding_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: sinusoidal positional encodings

    Left: the table, one column per position, one row per dimension; the fast clocks at the
    top change from one position to the next, the slow ones at the bottom hardly move.
    Right: the dot product of every pair of positions: constant along each diagonal, because
    it depends only on the offset between the two positions.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    pe_positions = mo.ui.slider(start=8, stop=96, step=8, value=48, label="positions", show_value=True)
    pe_dim = mo.ui.slider(start=4, stop=64, step=4, value=32, label="dimensions d", show_value=True)
    mo.hstack([pe_positions, pe_dim], justify="start")
    return pe_dim, pe_positions


@app.cell(hide_code=True)
def _(charts, mo, np, pe_dim, pe_positions, sinusoidal_positional_encoding):
    pe_table = sinusoidal_positional_encoding(pe_positions.value, pe_dim.value).numpy()
    _gram = pe_table @ pe_table.T
    _offsets = [np.ptp(np.diagonal(_gram, k)) for k in range(pe_positions.value)]
    mo.vstack([
        mo.hstack([
            charts.heatmap(pe_table.T, x_title="position p", y_title="dimension", width=420,
                           title=f"PE, {pe_positions.value} positions × {pe_dim.value} dimensions"),
            charts.heatmap(_gram, x_title="position q", y_title="position p", width=300,
                           title="PE[p] · PE[q]"),
        ], justify="start", wrap=True),
        mo.md(f"Measured on this table: along every diagonal (a fixed offset $p - q$) the dot "
              f"products differ by at most **{max(_offsets):.1e}**; each row has norm "
              f"$\\sqrt{{d/2}} = {np.sqrt(pe_dim.value / 2):.2f}$ "
              f"(measured {np.linalg.norm(pe_table, axis=1).mean():.2f})."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** The backward pass of an embedding lookup. Given the integer `indices`
    (any shape, e.g. a batch of sequences $(B, T)$), the gradient of the loss with respect to
    the lookup's output, `grad_output` (shape `indices.shape + (D,)`), and the number of rows,
    return the gradient with respect to the table, shape $(V, D)$, in `grad_output`'s dtype.
    Raise `IndexError` for an index outside the table. The checks compare with tinytorch's
    autograd.
    """)
    return


@app.cell
def _():
    def embedding_backward(indices, grad_output, num_embeddings):
        # Your code here: zeros of (num_embeddings, D), then add each position's gradient into
        # the row it read. Careful: grad[indices] += ... drops repeated indices.
        raise NotImplementedError

    return (embedding_backward,)


@app.cell(hide_code=True)
def _(checks, embedding_backward, exercises):
    checks.feedback(exercises.EMBEDDING_BACKWARD, embedding_backward, app="11_embeddings")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: lookup against a one-hot product

    Both compute the same vectors for a batch of token ids: `E[ids]`, and
    `onehot(ids) @ E`. Press the button to time both, forward and backward, as the vocabulary
    grows, with $d = 64$. Backward, the one-hot way is `onehot.T @ grad`; the scatter-add is
    timed twice: `np.add.at` (the exercise's solution) and tinytorch's own, which sorts the
    positions by token and sums each run of equal tokens with one `np.add.reduceat`.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    lookup_button = mo.ui.run_button(label="Time lookup and one-hot")
    lookup_button
    return (lookup_button,)


@app.cell(hide_code=True)
def _(EmbeddingFunction, budget, charts, exercises, lookup_button, measure, mo, np, progress):
    mo.stop(not lookup_button.value, progress.waiting("time both ways"))
    _rng = np.random.default_rng(0)
    _n, _d = budget["lookup_tokens"], 64
    _rows = []

    def _tinytorch_backward(table, ids, grad):
        lookup = EmbeddingFunction()
        lookup.forward(table, indices=ids)
        return lookup.backward(grad)

    for _v in mo.status.progress_bar(budget["vocab_sizes"], title="timing"):
        _table = _rng.standard_normal((_v, _d)).astype(np.float32)
        _ids = _rng.integers(0, _v, _n)
        _grad = _rng.standard_normal((_n, _d)).astype(np.float32)
        _onehot = np.zeros((_n, _v), np.float32)
        _onehot[np.arange(_n), _ids] = 1
        assert np.allclose(_onehot @ _table, _table[_ids])  # the same vectors, two ways
        _r = budget["repeat"]
        _times = {
            "lookup, forward": measure.best_time(lambda t=_table, i=_ids: t[i], repeat=_r),
            "one-hot, forward": measure.best_time(lambda o=_onehot, t=_table: o @ t, repeat=_r),
            "np.add.at, backward": measure.best_time(
                lambda i=_ids, g=_grad, v=_v: exercises.embedding_backward_solution(i, g, v), repeat=_r),
            "tinytorch scatter-add, backward": measure.best_time(
                lambda t=_table, i=_ids, g=_grad: _tinytorch_backward(t, i, g), repeat=_r),
            "one-hot, backward": measure.best_time(lambda o=_onehot, g=_grad: o.T @ g, repeat=_r),
        }
        _rows += [{"vocabulary size": _v, "µs": 1e6 * t, "way": k} for k, t in _times.items()]
    _at = {(r["vocabulary size"], r["way"]): r["µs"] for r in _rows}
    _big = budget["vocab_sizes"][-1]
    lookup_results = {"rows": _rows, "vocab": _big,
                      "forward_speedup": _at[(_big, "one-hot, forward")] / _at[(_big, "lookup, forward")],
                      "backward_speedup": _at[(_big, "one-hot, backward")]
                      / _at[(_big, "tinytorch scatter-add, backward")],
                      "add_at_speedup": _at[(_big, "one-hot, backward")] / _at[(_big, "np.add.at, backward")],
                      "onehot_bytes": _n * _big * 4}

    def _ratio(speedup):
        return f"{speedup:,.1f}× faster" if speedup >= 1 else f"{1 / speedup:,.1f}× slower"

    mo.vstack([
        charts.line(_rows, "vocabulary size", "µs", color="way", log_x=True, log_y=True,
                    title=f"{_n} tokens, d = {_d}", width=420, height=240),
        mo.md(f"""
        At a vocabulary of {_big:,}, against the one-hot product: the lookup forward is
        **{_ratio(lookup_results["forward_speedup"])}**, tinytorch's scatter-add backward
        **{_ratio(lookup_results["backward_speedup"])}**, and `np.add.at`
        **{_ratio(lookup_results["add_at_speedup"])}** (it adds one row at a time). The one-hot
        matrix alone takes {lookup_results["onehot_bytes"] / 2**20:.1f} MiB for {_n} tokens.
        The lookup's cost does not grow with the vocabulary (it reads $N d$ numbers); the
        product's grows as $N V d$, and GPT-2's vocabulary is 50,257.
        """),
    ])
    return (lookup_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - An embedding is a learned table: a lookup is a one-hot product without the one-hot
      matrix, and its gradient is a scatter-add, in which repeated tokens add up.
    - Trained on nothing but next-character prediction, the vectors group characters that
      behave alike; the same happens to words and sub-word tokens in large models.
    - Sinusoidal positional encodings give each position a fixed vector of clocks at
      geometric frequencies: their dot products depend only on the offset.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-11")
    return


if __name__ == "__main__":
    app.run()
