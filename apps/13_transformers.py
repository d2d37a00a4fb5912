# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="13 Transformers")


@app.cell(hide_code=True)
def _():
    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.core.optimizers import AdamW
    from tinytorch.core.schedulers import LinearWarmupLR
    from tinytorch.core.training import Trainer
    from tinytorch.core.transformer import GPT, TransformerBlock, next_token_probabilities
    from tinytorch.course import charts, checks, language, live, progress
    from tinytorch.course.exercises import transformer as exercises

    return (
        AdamW,
        GPT,
        LinearWarmupLR,
        Trainer,
        TransformerBlock,
        charts,
        checks,
        exercises,
        language,
        live,
        mo,
        next_token_probabilities,
        np,
        progress,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 13 · Transformers

    **Goal.** Assemble a transformer block from the pieces of modules 11 and 12 (LayerNorm,
    attention, an MLP, residual connections), count what it costs, stack blocks into a small
    GPT, train it here, and make it write, steering its samples with **temperature** and
    **top-k**.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A **block** lets tokens exchange information, then lets each token think on its own, each
    step added to a **residual stream** $x$ that runs from the embedding to the output:

    $$x \leftarrow x + \operatorname{Attention}(\operatorname{LN}_1(x)), \qquad
      x \leftarrow x + \operatorname{MLP}(\operatorname{LN}_2(x)).$$

    **LayerNorm** rescales each token's vector to mean 0 and variance 1 (then a learned gain and
    shift), so every sub-layer reads inputs of the same scale however deep it sits. This is the
    *pre-norm* block of GPT-2: the stream itself is never normalised, so the gradient reaches
    the first block undiminished through the additions. The **MLP** is Linear $E \to 4E$, GELU,
    Linear $4E \to E$.

    **Cost.** Attention's query, key, value and output projections hold $4E^2$ weights, the MLP
    $8E^2$: about $12E^2$ per block, whatever the sequence length (which attention's $T^2$
    adds to the *time*, not the weights). A **GPT** is a token and a position embedding, $L$
    blocks, a final LayerNorm and a Linear onto the vocabulary.

    **Sampling.** The model gives scores $z$ for the next character. Dividing by a
    **temperature** $\tau$ before the softmax, $p = \operatorname{softmax}(z / \tau)$, sharpens
    ($\tau < 1$) or flattens ($\tau > 1$) the distribution; $\tau \to 0$ always takes the most
    likely character. **Top-k** keeps only the $k$ likeliest characters, so a rare bad
    choice can never be drawn.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: assemble a block

    The framework's `TransformerBlock` is the two lines above; below, its parts and the weights
    each holds, counted from the module, against the $12E^2$ estimate.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    width_choice = mo.ui.dropdown(options={"32": 32, "48": 48, "64": 64, "128": 128}, value="48",
                                  label="width E")
    width_choice
    return (width_choice,)


@app.cell
def _(TransformerBlock, width_choice):
    block = TransformerBlock(embed_dim=width_choice.value, num_heads=4)
    block
    return (block,)


@app.cell(hide_code=True)
def _(block, charts, mo, width_choice):
    _parts = {}
    for _name, _p in block.named_parameters():
        _part = _name.rsplit(".", 1)[0]
        _parts[_part] = _parts.get(_part, 0) + _p.numel()
    _total, _e = sum(_parts.values()), width_choice.value
    block_results = {"weights": _total, "parts": _parts, "estimate_12E2": 12 * _e * _e}
    mo.hstack([
        charts.bar([{"part": k, "weights": v} for k, v in _parts.items()], "part", "weights",
                   title=f"weights of one block, E = {_e}", height=180),
        mo.md(f"""
        **{_total:,}** weights in one block; $12E^2$ = {12 * _e * _e:,}, and the biases and
        LayerNorm gains add {_total - 12 * _e * _e:,} ($13E$). The MLP holds two thirds of them.
        """),
    ], justify="start")
    return (block_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** The block's forward pass. `block` has the parts `block.ln1`, `block.attn`,
    `block.ln2` and `block.mlp`; `x` has shape `(B, T, E)`. Return the block's output for a
    model that predicts the next token, so the attention must be causal:
    `block.attn(h, causal=True)` returns `(output, weights)`.
    """)
    return


@app.cell
def _():
    def block_forward(block, x):
        # Your code here: the attention step with its residual, then the MLP step with its residual.
        raise NotImplementedError

    return (block_forward,)


@app.cell(hide_code=True)
def _(block_forward, checks, exercises):
    checks.feedback(exercises.BLOCK_FORWARD, block_forward, app="13_transformers")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Train a small GPT

    Two blocks of the width chosen above (4 heads), reading 32 characters, trained on
    Shakespeare's sonnets to predict each next character. Press **Train** (the progress bar
    says how long it takes on your machine; **■ Stop training** ends it early, and the model keeps what it
    learned). The validation loss is measured on sonnets it never trains on.
    """)
    return


@app.cell(hide_code=True)
def _(language):
    corpus = language.CharCorpus.load("shakespeare_sonnets")
    return (corpus,)


@app.cell(hide_code=True)
def _():
    # Workload of the Train and Measure buttons (the tests shrink it).
    budget = {"steps": 300, "batch_size": 16, "temperatures": (0.2, 0.5, 0.8, 1.0, 1.5), "sample_length": 400}
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
    LinearWarmupLR,
    Trainer,
    budget,
    corpus,
    language,
    live,
    mo,
    progress,
    tinytorch,
    train_button,
    width_choice,
):
    mo.stop(not train_button.value, progress.waiting("train the GPT"))
    tinytorch.manual_seed(0)
    model = GPT(corpus.vocab_size, context_length=32, embed_dim=width_choice.value, num_heads=4, num_layers=2)
    optimizer = AdamW(model.parameters(), lr=6e-3, betas=(0.9, 0.99), weight_decay=0.0)
    schedule = LinearWarmupLR(optimizer, warmup_steps=max(budget["steps"] // 20, 1),
                              total_steps=budget["steps"])
    training = live.LiveTraining(budget["steps"], title="Training",
                                 validate=lambda m: {"loss (nats/char)": corpus.validation_loss(m)},
                                 validate_every=max(budget["steps"] // 8, 1))
    Trainer(model, optimizer, loss_fn=language.next_token_loss, max_grad_norm=1.0,
            callbacks=[language.ScheduleEachBatch(schedule), training]).fit(
        corpus.batches(budget["batch_size"], model.context_length, budget["steps"]), interruptible=True)
    training_results = {"val_loss": corpus.validation_loss(model), "steps": training.done,
                        "seconds": training.seconds, "parameters": model.num_parameters()}
    mo.vstack([training.view(), mo.md(
        f"{model.num_parameters():,} parameters; validation loss **{training_results['val_loss']:.3f}** "
        f"nats/char (character frequencies alone: {corpus.unigram_loss():.2f})"
        + (", **stopped early**." if training.stopped else "."))])
    return model, training_results


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Make it write

    Change the prompt, the temperature and top-k: the text below is sampled again (the same
    seed, so only your settings change it), and the chart shows the distribution the *first*
    character is drawn from.
    """)
    return


@app.cell(hide_code=True)
def _(corpus, mo):
    prompt_box = mo.ui.text(value="When I do count the clock", label="prompt", full_width=True)
    temperature = mo.ui.slider(0.0, 2.0, step=0.1, value=0.8, label="temperature", show_value=True)
    top_k = mo.ui.slider(1, corpus.vocab_size, step=1, value=corpus.vocab_size, label="top-k",
                         show_value=True)
    mo.vstack([prompt_box, mo.hstack([temperature, top_k], justify="start")])
    return prompt_box, temperature, top_k


@app.cell(hide_code=True)
def _(
    charts,
    corpus,
    mo,
    model,
    next_token_probabilities,
    np,
    prompt_box,
    temperature,
    tinytorch,
    top_k,
):
    _prompt = "".join(c for c in prompt_box.value if c in corpus.tokenizer.char_to_id) or "\n"
    _ids = corpus.tokenizer.encode(_prompt)[-model.context_length:]
    _k = None if top_k.value >= corpus.vocab_size else top_k.value
    _text = corpus.tokenizer.decode(model.generate(_ids, 200, temperature=temperature.value, top_k=_k, seed=0,
                                                   use_cache=True).tolist())
    model.eval()
    with tinytorch.no_grad():
        _logits = model(np.array([_ids])).numpy()[:, -1].astype(np.float64)
    _p = next_token_probabilities(_logits, temperature.value, _k)[0]
    _top = np.argsort(-_p)[:15]
    mo.hstack([
        mo.md(f"```text\n{_text}\n```"),
        charts.bar([{"next character": repr(corpus.tokenizer.decode([int(i)])), "probability": float(_p[i])}
                    for i in _top], "next character", "probability",
                   title=f"next-character distribution, τ = {temperature.value}, top-k = {_k or 'all'}",
                   width=320, height=180),
    ], justify="start", widths=[3, 2])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: what temperature does to the text

    Press the button to sample the same length of text at several temperatures (all
    characters allowed) and measure, for each, the share of its words (three letters or more)
    that are real words of the sonnets, and the share of its words that are different from
    each other. Low temperature spells well and repeats itself; high temperature invents.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    sweep_button = mo.ui.run_button(label="Sample at each temperature")
    sweep_button
    return (sweep_button,)


@app.cell(hide_code=True)
def _(budget, charts, corpus, language, mo, model, progress, sweep_button):
    mo.stop(not sweep_button.value, progress.waiting("sample at each temperature"))
    _train_text = corpus.tokenizer.decode(corpus.train.tolist())
    _rows = []
    for _t in mo.status.progress_bar(budget["temperatures"], title="sampling"):
        _text = corpus.tokenizer.decode(model.generate(corpus.tokenizer.encode("\n"), budget["sample_length"],
                                                       temperature=_t, seed=1, use_cache=True).tolist())
        _words = language.words(_text)
        _rows.append({"temperature": _t, "real words": language.real_word_share(_text, _train_text),
                      "different words": len(set(_words)) / max(len(_words), 1), "sample": _text})
    sampling_results = {"rows": _rows}
    mo.vstack([
        charts.line([{"temperature": r["temperature"], "share": r[_k], "measure": _k} for r in _rows
                     for _k in ("real words", "different words")], "temperature", "share", color="measure",
                    title=f"{budget['sample_length']} sampled characters per temperature", width=380,
                    height=220),
        mo.md("\n\n".join(f"**τ = {r['temperature']}**: `{r['sample'].strip()[:90]}`" for r in _rows)),
    ])
    return (sampling_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A transformer block is two residual steps: attention (tokens talk, causally) and an MLP
      (each token alone), each reading a LayerNorm'd copy of the stream.
    - Its weights are about $12E^2$, two thirds of them in the MLP; stacking $L$ blocks between
      embeddings and a vocabulary classifier makes a GPT.
    - Sampling is a choice, not part of the model: temperature trades correctness for variety,
      top-k cuts off the tail. You measured the trade above.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-13")
    return


if __name__ == "__main__":
    app.run()
