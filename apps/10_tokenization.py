# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "altair", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="10 Tokenization")


@app.cell(hide_code=True)
def _():
    import marimo as mo

    from tinytorch.core.tokenization import BPETokenizer, CharTokenizer, merge_steps
    from tinytorch.course import charts, checks, measure, progress, tokens
    from tinytorch.course.exercises import tokenization as exercises
    from tinytorch.course.live_steps import LiveSteps
    from tinytorch.datasets import text as texts

    return (
        BPETokenizer,
        CharTokenizer,
        LiveSteps,
        charts,
        checks,
        exercises,
        measure,
        merge_steps,
        mo,
        progress,
        texts,
        tokens,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 10 · Tokenization

    **Goal.** By the end of this module you can turn any text into the integers a language
    model reads and back again exactly, train a byte-pair-encoding (BPE) tokenizer and say
    what each of its merges did, and measure the trade-off a vocabulary size makes: more
    token ids to learn, but fewer tokens per sentence.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    A model reads a sequence of ids from a fixed **vocabulary** of $V$ tokens. Three choices:

    - **characters**: $V \approx 80$ for English prose, one id per letter: long sequences,
      and a character never seen in training has no id (tinytorch spells it as bytes).
    - **bytes**: $V = 256$, any text at all (UTF-8), but "é" is two tokens and every word
      is several.
    - **byte-pair encoding** (Sennrich et al. 2016; GPT-2): start from the 256 bytes and
      repeat: count every adjacent pair of tokens in the training text, and **merge** the
      most frequent pair $(a, b)$ into a new token $ab$ with the next free id. After $m$
      merges $V = 256 + m$.

    Merges never cross word boundaries: the text is first cut into chunks (a word with its
    leading space, a number, punctuation), so " the" can become one token but "e. T" cannot.
    Encoding new text replays the merges in the order they were learned.

    **The trade-off.** A text of $n$ characters becomes $T(V)$ tokens. Sequence cost (every
    layer of a transformer runs over $T$ positions; attention over $T^2$ pairs) falls as
    $V$ grows, while the embedding table and the output layer grow as $V \times d$, and rare
    tokens get few training examples. The **tokens per character** $T(V)/n$ measures it.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: characters and bytes

    Type anything: each chip is one token (hover for its id). `·` is a space, `↵` a newline.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    sample = mo.ui.text_area(value="Call me Ishmael. The whale, the white whale! Naïve café, 42 times.",
                             label="text", full_width=True, rows=2)
    sample
    return (sample,)


@app.cell(hide_code=True)
def _(BPETokenizer, CharTokenizer, mo, sample, texts, tokens):
    char_tokenizer = CharTokenizer.from_text(texts.load_text("moby_dick")[:100_000])
    byte_tokenizer = BPETokenizer([])  # no merges: the 256 byte tokens
    _text = sample.value
    mo.md(f"""
    **Characters** (vocabulary of {char_tokenizer.vocab_size - 256} characters from Moby Dick's
    first 100,000 characters, plus 256 byte ids for the rest): **{len(char_tokenizer.encode(_text))}**
    tokens for {len(_text)} characters
    {mo.Html(tokens.chips_html(char_tokenizer, _text)).text}

    **Bytes** (UTF-8, vocabulary 256): **{len(byte_tokenizer.encode(_text))}** tokens
    {mo.Html(tokens.chips_html(byte_tokenizer, _text)).text}
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: train BPE live

    Pick a corpus and a vocabulary size and press **Train BPE**: tinytorch learns the merges
    one at a time on your machine, and you see each merge as it happens and the training
    text shrink. **■ Stop** keeps the merges learned so far.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    corpus_choice = mo.ui.dropdown(options={"Moby Dick (Melville)": "moby_dick",
                                            "Shakespeare's sonnets": "shakespeare_sonnets",
                                            "your own text (below)": "own"},
                                   value="Moby Dick (Melville)", label="corpus")
    own_text = mo.ui.text_area(value="", label="your own text (used when the corpus is 'your own text')",
                               full_width=True, rows=3)
    vocab_size = mo.ui.slider(start=264, stop=2304, step=8, value=768, label="vocabulary size",
                              show_value=True)
    mo.vstack([mo.hstack([corpus_choice, vocab_size], justify="start"), own_text])
    return corpus_choice, own_text, vocab_size


@app.cell(hide_code=True)
def _():
    budget = {"corpus_chars": 100_000, "heldout_chars": 20_000, "measure_points": 6}
    return (budget,)


@app.cell(hide_code=True)
def _(budget, corpus_choice, mo, own_text, texts):
    if corpus_choice.value == "own":
        _text = own_text.value
        _cut = len(_text) * 4 // 5  # your text: train on the first 80%, measure on the rest
        corpus, heldout = _text[:_cut], _text[_cut:]
    else:
        _text = texts.load_text(corpus_choice.value)
        _n = min(budget["corpus_chars"], len(_text) * 4 // 5)
        corpus, heldout = _text[:_n], _text[_n:_n + budget["heldout_chars"]]
    mo.md(f"Training text: **{len(corpus):,}** characters ({len(corpus.encode()):,} UTF-8 bytes); "
          f"held out for measuring: {len(heldout):,} characters that training never sees.")
    return corpus, heldout


@app.cell(hide_code=True)
def _(mo):
    train_button = mo.ui.run_button(label="Train BPE")
    train_button
    return (train_button,)


@app.cell(hide_code=True)
def _(BPETokenizer, charts, mo, tokens):
    def merge_view(steps, corpus_chars, last=12):
        """The latest merges as a table and the training text's length after each merge."""
        vocab = BPETokenizer([s.pair for s in steps])
        def shown(i):
            return f"`{tokens.token_text(vocab, i)}`"

        rows = "\n".join(f"| {s.new_id - 255} | {shown(s.pair[0])} + {shown(s.pair[1])} | {shown(s.new_id)} "
                          f"| {s.count:,} |" for s in steps[-last:][::-1])
        curve = [{"vocabulary size": s.new_id + 1, "tokens per character": s.tokens / corpus_chars}
                 for s in steps[:: max(1, len(steps) // 150)] + steps[-1:]]
        return [mo.hstack([
            mo.md(f"**latest merges**\n\n| merge | pair | new token | count |\n|---|---|---|---|\n{rows}"),
            charts.line(curve, "vocabulary size", "tokens per character", width=330, height=220,
                        title="training text, after each merge"),
        ], justify="start", wrap=True)] if steps else []

    return (merge_view,)


@app.cell
def _(
    BPETokenizer,
    LiveSteps,
    corpus,
    merge_steps,
    merge_view,
    mo,
    progress,
    train_button,
    vocab_size,
):
    mo.stop(not train_button.value, progress.waiting("train the tokenizer"))
    mo.stop(len(corpus) < 2, mo.callout(mo.md("**The training text is empty**: type some text above, "
                                              "or pick a book."), kind="warn"))
    steps = []
    with LiveSteps(vocab_size.value - 256, "Training BPE", unit="merge",
                   extra=lambda run: merge_view(steps, len(corpus))) as bpe_run:
        for _step in merge_steps(corpus, vocab_size.value - 256):
            steps.append(_step)
            if not bpe_run.step():
                break
    bpe = BPETokenizer([s.pair for s in steps])
    bpe_run.view()
    return bpe, bpe_run, steps


@app.cell(hide_code=True)
def _(bpe, bpe_run, corpus, mo, sample, steps, tokens):
    _longest = sorted(range(256, bpe.vocab_size), key=lambda i: -len(bpe.id_bytes[i]))[:15]
    _ended = ("All pairs were merged: the text has no pair left." if len(steps) < bpe_run.total
              and not bpe_run.stopped else "")
    mo.md(f"""
    **{bpe.vocab_size:,} tokens** ({len(steps):,} merges). {_ended} The training text went from
    {len(corpus.encode()):,} bytes to **{steps[-1].tokens if steps else len(corpus.encode()):,}** tokens.

    Your text with this tokenizer: **{len(bpe.encode(sample.value))}** tokens
    {mo.Html(tokens.chips_html(bpe, sample.value)).text}

    The longest tokens learned: {", ".join(f"`{tokens.token_text(bpe, i)}`" for i in _longest)}
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it

    **Exercise.** One BPE merge step. Given a list of token ids and the id for the new token,
    return `(pair, merged)`: the most frequent adjacent pair (ties: the smallest pair), and a
    **new** list in which each occurrence of the pair, scanning left to right without
    overlaps, is replaced by `new_id`. Fewer than two ids: raise `ValueError`. The checks
    compare with what `BPETokenizer.train` does.
    """)
    return


@app.cell
def _():
    def merge_step(ids, new_id):
        # Your code here: count zip(ids, ids[1:]), choose the pair, then build the merged list.
        raise NotImplementedError

    return (merge_step,)


@app.cell(hide_code=True)
def _(checks, exercises, merge_step):
    checks.feedback(exercises.MERGE_STEP, merge_step, app="10_tokenization")
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Measure it: tokens per character against vocabulary size

    Press the button to encode the held-out text (never seen in training) with the first
    $m$ merges of your tokenizer, for several $m$, and time the encoding. Characters and
    raw bytes are the two ends of the scale.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    measure_button = mo.ui.run_button(label="Measure on held-out text")
    measure_button
    return (measure_button,)


@app.cell(hide_code=True)
def _(
    BPETokenizer,
    CharTokenizer,
    budget,
    charts,
    corpus,
    heldout,
    measure,
    measure_button,
    mo,
    progress,
    steps,
):
    mo.stop(not measure_button.value, progress.waiting("encode the held-out text"))
    mo.stop(not heldout, mo.callout(mo.md("**No held-out text**: the corpus is too short."), kind="warn"))
    _points = budget["measure_points"]
    _sizes = sorted({round(len(steps) * k / (_points - 1)) for k in range(_points)})
    _rows = []
    for _m in mo.status.progress_bar(_sizes, title="encoding"):
        _merges = [s.pair for s in steps[:_m]]
        _tok = BPETokenizer(_merges)
        # a fresh tokenizer per call: encoding caches each word, and a timing must not reuse it
        _seconds = measure.best_time(lambda m=_merges: BPETokenizer(m).encode(heldout), repeat=1)
        _rows.append({"vocabulary size": 256 + _m,
                      "tokens per character": len(_tok.encode(heldout)) / len(heldout),
                      "characters per second": len(heldout) / _seconds, "tokenizer": "BPE"})
    _chars = CharTokenizer.from_text(corpus)
    _char_row = {"vocabulary size": len(_chars.chars), "tokenizer": "characters",
                 "tokens per character": len(_chars.encode(heldout)) / len(heldout)}
    compression_results = {"bpe": _rows, "characters": _char_row}
    _first, _last = _rows[0], _rows[-1]
    mo.vstack([
        mo.hstack([
            charts.line(_rows + [_char_row], "vocabulary size", "tokens per character", color="tokenizer",
                        title="held-out text", width=360, height=240),
            charts.line(_rows, "vocabulary size", "characters per second", title="encoding speed",
                        width=300, height=240),
        ], justify="start", wrap=True),
        mo.md(f"""
        On {len(heldout):,} held-out characters: bytes alone take
        **{_first["tokens per character"]:.3f}** tokens per character, the characters of the
        training text **{_char_row["tokens per character"]:.3f}** (vocabulary {_char_row["vocabulary size"]}),
        and all {_last["vocabulary size"] - 256:,} merges **{_last["tokens per character"]:.3f}**:
        a context of 256 tokens then holds about
        **{256 / _last["tokens per character"]:,.0f}** characters instead of
        {256 / _first["tokens per character"]:,.0f}. The first merges (the commonest pairs) save
        the most; each later one saves less. Encoding replays every merge in Python: it runs at
        **{_last["characters per second"]:,.0f}** characters per second here with all merges.
        """),
    ])
    return (compression_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - Tokenization maps text to ids and back exactly; bytes cover any text, characters keep
      the vocabulary tiny, BPE learns the pieces in between from data.
    - A BPE merge replaces the most frequent adjacent pair with a new token; encoding
      replays the merges in order.
    - A larger vocabulary means fewer tokens per character (shorter, cheaper sequences) but a
      larger embedding table and rarer tokens: the measured curve flattens fast.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-10")
    return


if __name__ == "__main__":
    app.run()
