# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="17 Memoization (KV cache)")


@app.cell(hide_code=True)
def _():
    import sys

    import marimo as mo
    import numpy as np

    import tinytorch
    from tinytorch.core.optimizers import AdamW
    from tinytorch.core.training import Trainer
    from tinytorch.core.transformer import GPT
    from tinytorch.course import charts, checks, generation_speed, language, live, progress, recorded
    from tinytorch.course.exercises import memoization as exercises
    from tinytorch.course.results import published

    return (
        AdamW,
        GPT,
        Trainer,
        charts,
        checks,
        exercises,
        generation_speed,
        language,
        live,
        mo,
        np,
        progress,
        published,
        recorded,
        sys,
        tinytorch,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 17 · Memoization (KV cache)

    **Goal.** Make a language model write faster without changing a single word it writes.
    You will train a small GPT here, let it generate text twice, once recomputing everything
    at every step and once with a **KV cache**, measure the tokens per second of both in this
    browser, check token by token that the two texts are identical, and measure what the
    cache costs in memory. Then you write the cache's update yourself.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A GPT writes one token at a time: it reads the text so far, predicts the next token,
    appends it, and reads again. Reading means every layer computes, for every position $j$,
    a key $k_j = x_j W_K$ and a value $v_j = x_j W_V$, and the newest position's query
    attends to all of them (module 12).

    **Without a cache**, step $t$ feeds all $t$ tokens again: every layer projects $t$ keys and
    values and computes $t^2$ attention scores, to keep only the last position's prediction.
    Generating $n$ tokens costs about $\sum_t t \propto n^2$ projections, and each new token
    is slower than the last.

    **The observation.** Attention is causal: position $j$ never sees a later token. So $k_j$
    and $v_j$ are the same at every later step: recomputing them is pure waste. **Memoize**
    them: each layer keeps a buffer of the keys and values computed so far; a step feeds only
    the new token, writes its key and value into the buffer, and lets its query attend to the
    whole buffer. Each step now projects one token, whatever the length, and only the
    attention over the cached keys grows (linearly).

    **The price** is memory, allocated up front for the whole context:

    $$\text{cache bytes} = 2 \times \text{layers} \times \text{batch} \times \text{context}
    \times \text{embed} \times 4 \text{ bytes (float32)} .$$

    **The promise** is exactness: the same tokens, not an approximation. The cached model
    computes the same numbers in a different order, so its logits agree to rounding
    (about $10^{-6}$), and with the same seed it samples the same text.
    """)
    return


@app.cell(hide_code=True)
def _(budget, language, mo):
    corpus = language.CharCorpus.load("shakespeare_sonnets")
    mo.md(f"""
    ## The model

    A character-level GPT trained on Shakespeare's sonnets ({len(corpus.train):,} training
    characters, a vocabulary of {corpus.vocab_size}): 2 layers of 4 attention heads, 64 numbers
    wide, with a context of {budget['context']} characters. Training is brief ({budget['steps']}
    steps on windows of {budget['window']} characters, so it has learned letters, spaces and
    line breaks more than words): the lesson is the speed and the identical tokens, not the
    poetry.
    """)
    return (corpus,)


@app.cell(hide_code=True)
def _():
    # Workload of the Train and Generate buttons (the tests shrink it).
    budget = {"steps": 50, "batch_size": 8, "window": 64, "context": 256,
              "new_tokens": (25, 50, 100, 200), "temperature": 0.8, "prompt": "Shall I "}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train the model")
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
    model = GPT(corpus.vocab_size, context_length=budget["context"], embed_dim=64, num_heads=4,
                num_layers=2)
    optimizer = AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    training = live.LiveTraining(budget["steps"], title="Training")
    trainer = Trainer(model, optimizer, loss_fn=language.next_token_loss, max_grad_norm=1.0,
                      callbacks=[training])
    trainer.fit(corpus.batches(budget["batch_size"], budget["window"], budget["steps"]),
                interruptible=True)
    training.view()
    return (model,)


@app.cell(hide_code=True)
def _(budget, mo):
    mo.md(f"""
    ## See it: the same text, twice

    **Generate** writes after the prompt *{budget['prompt']}* {len(budget['new_tokens'])} times,
    {', '.join(str(n) for n in budget['new_tokens'])} characters long (sampling at temperature
    {budget['temperature']}, the same seed for both runs), each time first with
    `model.generate(..., use_cache=False)` and then with `use_cache=True`, and times both (the
    short cached run three times, keeping the median, so that one hiccup of the machine does
    not decide the figure; every run's tokens are checked).
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    generate_button = mo.ui.run_button(label="Generate with and without the cache")
    generate_button
    return (generate_button,)


@app.cell
def _(budget, corpus, generate_button, generation_speed, mo, model, progress):
    mo.stop(not generate_button.value, progress.waiting("generate with and without the cache"))
    prompt_ids = corpus.tokenizer.encode(budget["prompt"])
    generation_speed.compare_generation(model, prompt_ids, 8, cached_rounds=1)  # warm-up (first calls)
    runs = [generation_speed.compare_generation(model, prompt_ids, n, budget["temperature"], seed=17)
            for n in mo.status.progress_bar(budget["new_tokens"], title="generating")]
    return prompt_ids, runs


@app.cell(hide_code=True)
def _(budget, corpus, mo, runs):
    _longest = runs[-1]
    _same = sum(r["tokens_identical"] for r in runs)
    _total = sum(r["new_tokens"] for r in runs)
    _verdict = (f"**identical: {_same} of {_total} generated tokens match, position by position**"
                if _same == _total else
                f"**NOT identical: {_same} of {_total} tokens match; the {_longest['new_tokens']}-token "
                f"texts first differ at token {_longest['first_difference']}**")
    mo.vstack([
        mo.md(f"The {_longest['new_tokens']} characters after *{budget['prompt']}*, without the cache "
              f"and with it:"),
        mo.hstack([
            mo.md("**without** (`use_cache=False`)\n\n```text\n" + budget["prompt"]
                  + corpus.tokenizer.decode(_longest["uncached"].tolist()) + "\n```"),
            mo.md("**with** (`use_cache=True`)\n\n```text\n" + budget["prompt"]
                  + corpus.tokenizer.decode(_longest["cached"].tolist()) + "\n```"),
        ], widths="equal", wrap=True),
        mo.md(f"Over the {len(runs)} runs: {_verdict}."),
    ])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: tokens per second against length
    """)
    return


@app.cell(hide_code=True)
def _(budget, charts, generation_speed, mo, model, prompt_ids, published, recorded, runs, sys):
    _in_browser = recorded.in_browser()
    _where = "this browser (Pyodide: NumPy without BLAS, one thread)" if _in_browser else \
        f"this machine ({sys.platform}, natively)"
    _longest = runs[-1]
    _trend = (": it grows with the length" if _longest["speedup"] > runs[0]["speedup"] else
              ": this time it did not grow with the length, which on a busy machine happens when "
              "a pause lands in the longest runs")
    _per_position = generation_speed.per_token_bytes(len(model.blocks),
                                                     model.token_embedding.weight.shape[1])
    memory = generation_speed.cache_memory(model, list(prompt_ids) + _longest["cached"].tolist())
    memoization_results = {
        "platform": "pyodide" if _in_browser else "native",
        "model": f"GPT, 2 layers, 4 heads, 64 wide, context {model.context_length}, trained here on the "
                 "sonnets",
        "new_tokens": [r["new_tokens"] for r in runs],
        "uncached_tokens_per_s": [r["uncached_tokens_per_s"] for r in runs],
        "cached_tokens_per_s": [r["cached_tokens_per_s"] for r in runs],
        "speedups": [r["speedup"] for r in runs],
        "speedup_at_longest": _longest["speedup"],
        "cached_tokens_per_s_at_longest": _longest["cached_tokens_per_s"],
        "uncached_tokens_per_s_at_longest": _longest["uncached_tokens_per_s"],
        "tokens_compared": sum(r["new_tokens"] for r in runs),
        "tokens_identical": sum(r["tokens_identical"] for r in runs),
        "identical": all(r["identical"] for r in runs),
        "cache_allocated_bytes": memory["allocated_bytes"],
        "cache_filled_bytes": memory["filled_bytes"],
        "cache_filled_positions": memory["length"],
        "parameter_bytes": memory["parameter_bytes"],
    }
    _r = memoization_results
    mo.vstack([
        mo.hstack([
            charts.line([{"new tokens": r["new_tokens"], "tokens/s": r[f"{_k}_tokens_per_s"], "run": _what}
                         for r in runs
                         for _k, _what in (("uncached", "without cache"), ("cached", "with cache"))],
                        "new tokens", "tokens/s", color="run", log_y=True, width=320,
                        title="generation speed"),
            charts.line([{"new tokens": r["new_tokens"], "speed-up": r["speedup"]} for r in runs],
                        "new tokens", "speed-up", width=260, title="uncached time / cached time"),
        ], justify="start", wrap=True),
        mo.md(f"""
        Measured in {_where}: generating **{_longest['new_tokens']}** characters took
        **{_longest['uncached_s']:.2f} s** without the cache ({_longest['uncached_tokens_per_s']:.0f}
        tokens/s) and **{_longest['cached_s']:.2f} s** with it ({_longest['cached_tokens_per_s']:.0f}
        tokens/s): **{_longest['speedup']:.1f}× {'faster' if _longest['speedup'] >= 1 else 'as fast'}**.
        At {', '.join(str(n) for n in _r['new_tokens'])} tokens the speed-up was
        {', '.join(f"{s:.1f}×" for s in _r['speedups'])}{_trend}. Without the cache every step
        rereads the whole text, so its speed should fall as the text grows; with it, it should
        stay nearly flat: the chart shows what this machine did. These are single runs on a
        machine that is doing other things too: press **Generate** again to see how much they
        move.

        **Memory, read from the cache's arrays** after the longest text: the cache holds
        **{_r['cache_allocated_bytes'] / 1024:.0f} KiB** (allocated once for all {memory['capacity']}
        positions of the context, {memory['layers']} layers of keys and values), of which
        {memory['length']} positions are filled: **{_r['cache_filled_bytes'] / 1024:.0f} KiB**,
        {_per_position} bytes per position. The model's
        parameters take {_r['parameter_bytes'] / 1024:.0f} KiB. For GPT-2 small (12 layers, 768 wide,
        1,024 positions) the same formula gives
        {generation_speed.per_token_bytes(12, 768) * 1024 / 2**20:.0f} MiB per sequence: at long
        contexts and large batches the cache, not the model, fills the memory.
        """),
        published(memoization_results),
    ])
    return (memoization_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ### The same measurement natively

    Recorded on the project's machine (2 vCPUs shared with other developers' work, NumPy with
    OpenBLAS on one thread) with a larger GPT (4 layers, 128 wide, context 512, random weights)
    and greedy decoding, 256 new tokens after a 1-token prompt: **9.6× and 10.1×** in two runs
    (7.2×, 5.2×, 11.7× before the framework's per-op overhead was cut); after a 256-token
    prompt 42.1× and 33.9×. The same model in Pyodide under Node: **24-50×** at 256 new tokens.
    Natively, NumPy's BLAS makes the uncached matrix products cheap, so the cache saves less
    than in the browser, where every product runs without BLAS. Reproduce with

    ```text
    python bench/bench_optimization.py --only kv --rounds 3
    python bench/bench_optimization.py --only kv --rounds 1 --new-tokens 32 64 128 256 --pyodide
    ```

    (figures and conditions in `docs/benchmarks-optimization-size.md`, "Module 17").
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** The cache update, one layer's. `keys` and `values` are NumPy buffers of shape
    `(B, H, capacity, d)`, allocated once; positions `0 .. length - 1` are filled. `k` and `v`
    hold the new positions, shape `(B, H, T, d)` (one token while generating, the whole prompt
    at first). Write them at positions `length .. length + T - 1` and return
    `(keys_so_far, values_so_far)`, both `(B, H, length + T, d)`, as **views** of the buffers
    (a copy per token would cost what the cache saves). More than `capacity` positions must
    raise `ValueError` and leave the buffers unchanged.
    """)
    return


@app.cell
def _(np):
    def cache_update(keys, values, length, k, v):
        # Your code here: the end position, the overflow check, two slice assignments, two views.
        raise NotImplementedError

    return (cache_update,)


@app.cell(hide_code=True)
def _(cache_update, checks, exercises):
    checks.feedback(exercises.CACHE_UPDATE, cache_update, app="17_memoization")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    The framework's version is `LayerKVCache.append` in `tinytorch/perf/memoization.py`;
    `KVCache.for_model(model)` holds one per layer, and `GPT.forward(ids, kv_cache=cache)`
    threads them through every attention layer: what `generate(..., use_cache=True)` uses.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Generating token by token without a cache recomputes the keys and values of every earlier
      token at every step: the time per token grows with the text.
    - Causal attention never changes an earlier position's key or value, so they can be
      memoized: a KV cache makes each step project one token.
    - The cache is exact: the same tokens, checked position by position above, and a speed-up
      that grows with the length (larger in the browser, where matrix products have no BLAS).
    - Its price is memory, 2 × layers × context × width × 4 bytes per sequence, allocated up
      front and measured above from the arrays.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-17")
    return


if __name__ == "__main__":
    app.run()
