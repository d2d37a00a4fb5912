# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="12 Attention")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.core.attention import causal_mask
    from tinytorch.core.optimizers import AdamW
    from tinytorch.core.training import Trainer
    from tinytorch.core.transformer import GPT
    from tinytorch.course import attention_cost, charts, checks, language, live, progress
    from tinytorch.course.exercises import attention as exercises

    return (
        AdamW,
        GPT,
        Trainer,
        attention_cost,
        causal_mask,
        charts,
        checks,
        exercises,
        language,
        live,
        mo,
        np,
        progress,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 12 · Attention

    **Goal.** See what attention does inside a language model you train here: which earlier
    characters each position looks at, on text you type. Understand why a model that predicts
    the next character must wear a **causal mask**, write scaled dot-product attention
    yourself, and measure the price of letting every position look at every other: time and
    memory that grow with the **square** of the sequence length.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    Each of the $T$ positions of a sequence $x \in \mathbb{R}^{T \times E}$ makes three vectors
    with learned matrices: a **query** $q_i = x_i W_Q$ ("what am I looking for?"), a **key**
    $k_j = x_j W_K$ ("what do I contain?") and a **value** $v_j = x_j W_V$ ("what do I pass
    on?"). Position $i$ weighs position $j$ by how well its query matches $j$'s key:

    $$A = \operatorname{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) \in \mathbb{R}^{T \times T},
    \qquad \text{output}_i = \sum_j A_{ij}\, v_j .$$

    Each row of $A$ sums to 1: a position's output is a weighted average of the values. The
    $\sqrt{d}$ keeps the dot products of $d$-dimensional vectors at unit scale, so the softmax
    does not saturate into one-hot weights (and vanishing gradients) as $d$ grows.

    **Causal mask.** A model trained to predict character $i+1$ from characters $0..i$ must not
    see character $i+1$: the scores above the diagonal ($j > i$) are set to $-\infty$ before
    the softmax, so their weights are exactly 0. Without the mask, training would be easy and
    useless: position $i$ would copy the answer from position $i+1$.

    **Heads.** $H$ heads run this side by side on $d = E/H$ dimensions each, so one head can
    track the previous letter while another looks back to the start of the word.

    **Cost.** $A$ has $T^2$ entries per head: doubling the sequence quadruples the work of
    $QK^\top$ and $AV$ and the memory $A$ needs. That is the $O(T^2)$ that long-context models
    fight; you will measure it below.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## The data

    Shakespeare's sonnets, shipped with tinytorch: the first 90% of the characters for training,
    the last 10% (sonnets the model never reads) for validation.
    """)
    return


@app.cell(hide_code=True)
def _(language, mo):
    corpus = language.CharCorpus.load("shakespeare_sonnets")
    mo.md(f"**{len(corpus.train):,}** training and **{len(corpus.val):,}** validation characters, "
          f"a vocabulary of **{corpus.vocab_size}** characters. Guessing uniformly scores "
          f"{corpus.uniform_loss():.2f} nats per character; knowing only how often each character "
          f"occurs, {corpus.unigram_loss():.2f}. Anything better than that comes from context, "
          "which only attention provides here.")
    return (corpus,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: train a small model, then look inside

    A GPT of two layers with four heads each, 32 numbers wide, reading 48 characters at a time.
    Press **Train**: it learns to predict the next character of the sonnets (the progress bar
    says how long it takes on your machine; **■ Stop training** ends it early, and the maps
    below show what it has learned so far).
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the Train and Measure buttons (the tests shrink it).
    budget = {"steps": 400, "batch_size": 16, "lengths": (32, 64, 128, 256, 512, 1024)}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train")
    train_button
    return (train_button,)


@app.cell
def _(
    AdamW,
    GPT,
    Trainer,
    budget,
    corpus,
    language,
    live,
    mo,
    progress,
    tinytorch,
    train_button,
):
    mo.stop(not train_button.value, progress.waiting("train the model"))
    tinytorch.manual_seed(0)
    model = GPT(corpus.vocab_size, context_length=48, embed_dim=32, num_heads=4, num_layers=2)
    optimizer = AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    training = live.LiveTraining(budget["steps"], title="Training",
                                 validate=lambda m: {"loss (nats/char)": corpus.validation_loss(m)},
                                 validate_every=max(budget["steps"] // 8, 1))
    trainer = Trainer(model, optimizer, loss_fn=language.next_token_loss, max_grad_norm=1.0,
                      callbacks=[training])
    trainer.fit(corpus.batches(budget["batch_size"], model.context_length, budget["steps"]),
                interruptible=True)
    training.view()
    return model, training


@app.cell(hide_code=True)
def _(mo):
    text_box = mo.ui.text(value="Shall I compare thee to a summer's day?", full_width=True,
                          label="Your text (the first 48 characters are read)")
    layer_choice = mo.ui.dropdown(options={"layer 1": 0, "layer 2": 1}, value="layer 1", label="layer")
    mo.vstack([text_box, layer_choice])
    return layer_choice, text_box


@app.cell(hide_code=True)
def _(corpus, language, layer_choice, mo, model, text_box, training):
    _known = [c for c in text_box.value if c in corpus.tokenizer.char_to_id][:model.context_length]
    _dropped = sorted(set(text_box.value) - set(corpus.tokenizer.char_to_id))
    mo.stop(len(_known) < 2, mo.md("*Type at least two characters the sonnets use.*"))
    map_text = "".join(_known)
    maps = language.attention_maps(model, corpus.tokenizer.encode(map_text))
    mo.md(f"Attention of **{layer_choice.selected_key}** reading *{map_text}*"
          + (f" (characters the sonnets never use were left out: {' '.join(_dropped)})" if _dropped else "")
          + (", from a run that was **stopped early**" if training.stopped else "")
          + ". Row *i* is what position *i* looks at: each row sums to 1, and everything "
          "right of the diagonal is 0, the causal mask.")
    return map_text, maps


@app.cell(hide_code=True)
def _(charts, layer_choice, map_text, maps, mo, np):
    _labels = [f"{'␣' if c == ' ' else c} {i}" for i, c in enumerate(map_text)]
    _layer = maps[layer_choice.value]
    _t = len(map_text)
    _offsets = np.subtract.outer(np.arange(_t), np.arange(_t))  # i - j: how far back j is
    _summary = []
    for _h, _a in enumerate(_layer):
        _back = np.bincount(_offsets[_offsets >= 0], weights=_a[_offsets >= 0], minlength=_t) / _t
        _summary.append(f"head {_h + 1}: {_back[0]:.0%} of its weight on the character itself, "
                        f"{_back[1]:.0%} on the one before, {_back[2:].sum():.0%} further back")
    mo.vstack([
        mo.hstack([charts.heatmap(_a, x_title="looks at (key)", y_title="position (query)",
                                  title=f"head {_h + 1}", x_labels=_labels, y_labels=_labels, width=300)
                   for _h, _a in enumerate(_layer)], justify="start", wrap=True),
        mo.md("\n".join(f"- {s}" for s in _summary)),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### The causal mask, checked

    The mask is a lower triangle: query *i* may see keys *0..i*. Below, the largest weight any
    head of the trained model gives to a later character on your text (it must be exactly 0),
    and the mask for 8 positions.
    """)
    return


@app.cell(hide_code=True)
def _(causal_mask, charts, map_text, maps, mo, model, np):
    _above = float(np.triu(maps, 1).max())
    attention_results = {"max_weight_on_later_characters": _above, "text_length": len(map_text),
                         "parameters": model.num_parameters()}
    mo.hstack([
        charts.heatmap(causal_mask(8).astype(float), x_title="key", y_title="query",
                       title="causal mask (1 = may attend)", annotate=True, width=200),
        mo.md(f"Largest weight on a later character, over all {maps.shape[0]} layers × "
              f"{maps.shape[1]} heads × {len(map_text)}² entries: **{_above:g}**."),
    ], justify="start")
    return (attention_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** Scaled dot-product attention. `q` is a tensor of shape `(..., Tq, d)`, `k` of
    shape `(..., Tk, d)` and `v` of shape `(..., Tk, dv)` (leading axes: batch, heads). Return
    `(output, weights)`: the weights `softmax(q kᵀ / √d)` of shape `(..., Tq, Tk)` and the output
    `weights @ v`. With `causal=True`, query *i* must give weight 0 to every key *j > i*. Use
    tensor operations (`@`, `.transpose(-2, -1)`, `.masked_fill(mask, value)`,
    `.softmax(axis=-1)`), so gradients flow through your function.
    """)
    return


@app.cell
def _(np):
    def attention(q, k, v, causal=False):
        # Your code here: scores, scale, (causal) mask, softmax over the keys, weighted values.
        raise NotImplementedError

    return (attention,)


@app.cell(hide_code=True)
def _(attention, checks, exercises):
    checks.feedback(exercises.ATTENTION, attention, app="12_attention")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: the price of T²

    Press the button to time one forward and backward pass of causal attention (4 heads of 16
    dimensions, batch 1) at growing sequence lengths, and to record the peak memory it
    allocates, on your machine.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure time and memory against length")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(attention_cost, budget, charts, measure_button, mo, progress):
    mo.stop(not measure_button.value, progress.waiting("measure attention's cost against sequence length"))
    _rows = []
    for _n in mo.status.progress_bar(budget["lengths"], title="measuring"):
        _rows += attention_cost.sweep([_n])
    scaling_results = {
        "rows": _rows,
        "time_exponent": attention_cost.growth_exponent(_rows, "seconds"),
        "memory_exponent": attention_cost.growth_exponent(_rows, "bytes"),
    }
    _long = _rows[-1]
    _per_8k = _long["weights bytes"] * (8192 / _long["length"]) ** 2
    mo.vstack([
        mo.hstack([
            charts.line([{"length": r["length"], "ms": 1e3 * r["seconds"]} for r in _rows], "length", "ms",
                        log_x=True, log_y=True, title="forward + backward time", width=300),
            charts.line([{"length": r["length"], "MB": r[_key] / 1e6, "what": _what} for r in _rows
                         for _key, _what in (("bytes", "peak allocated"), ("weights bytes", "A alone"))],
                        "length", "MB", color="what", log_x=True, log_y=True, title="memory", width=300),
        ], justify="start", wrap=True),
        mo.md(f"""
        Fitted over the three longest sequences, time grows as **T^{scaling_results['time_exponent']:.2f}**
        and memory as **T^{scaling_results['memory_exponent']:.2f}** (2 would be exactly quadratic;
        short sequences are dominated by fixed per-call costs, which is why only the longest are
        fitted). At {_long['length']:,} tokens one pass took **{1e3 * _long['seconds']:.0f} ms** and
        **{_long['bytes'] / 1e6:.1f} MB**; the weight matrices of one layer of 4 heads at 8,192
        tokens would alone take **{_per_8k / 1e6:,.0f} MB**.
        """),
    ])
    return (scaling_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Attention is a soft lookup: queries score keys, the softmax turns the scores into
      weights that sum to 1, and the output is the weighted average of the values.
    - Scaling by $1/\sqrt{d}$ keeps the softmax out of saturation; heads let different
      positions be looked up for different reasons (you saw heads specialise above).
    - A next-character model needs the causal mask: the weights above the diagonal are 0.
    - Every position against every other costs $O(T^2)$ time and memory, measured above:
      the reason context windows are finite.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-12")
    return


if __name__ == "__main__":
    app.run()
