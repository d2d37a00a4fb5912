# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="20 Capstone")


@app.cell(hide_code=True)
def _():
    import tempfile
    from pathlib import Path

    import marimo as mo

    from tinytorch.capstone import EVENTS, evaluate, leaderboard
    from tinytorch.capstone.events import get_event, settings, sized
    from tinytorch.capstone.reference import BASELINES, OPTIMIZED
    from tinytorch.course import olympics, progress, recorded, recording
    from tinytorch.course.results import published
    from tinytorch.datasets import DatasetError

    return (
        BASELINES,
        DatasetError,
        EVENTS,
        OPTIMIZED,
        Path,
        evaluate,
        get_event,
        leaderboard,
        mo,
        olympics,
        progress,
        published,
        recorded,
        recording,
        settings,
        sized,
        tempfile,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # 20 · Capstone: the Torch Olympics

    **Goal.** Take a model, make it faster, smaller or better with the tools of this tier
    (pruning, quantization, a fused forward, the KV cache), submit it to the **harness** that
    judges the Olympics, and see where it lands against the baselines. The harness, not you,
    measures every figure, on held-out data it never hands over with the labels; a submission
    that breaks a rule or falls below the event's quality bar gets a named problem, not a score.
    """)
    return


@app.cell(hide_code=True)
def _(EVENTS, mo):
    _rows = "\n".join(f"| `{e.name}` | {e.title} | {e.task.name} | {e.metric} ({e.better} is better) | "
                      f"{e.qualifies_with()} |" for e in EVENTS.values())
    mo.md(f"""
    ## Concept: a benchmark you cannot argue with

    MLPerf's rule, which the Olympics follow: a **fixed task**, a **fixed held-out set**, a
    **quality bar** to qualify, then **one measured figure** decides the ranking.

    | event | title | task | ranked by | qualifies with |
    |---|---|---|---|---|
    {_rows}

    A **submission** is a folder: `submission.py` defines `build_model(weights)` and
    `weights.npz` holds the arrays. The harness hashes the files, checks the source's imports
    and that the weights carry no test data, then runs the model: every held-out answer, then
    single-image queries timed one after the other (p90 latency), or greedy generations timed
    and every generated character checked against the model's own uncached forward pass.

    **Isolation.** On your computer the harness runs each submission in a fresh process with a
    time limit. A browser has no processes, so here it runs the *same steps* in the page's own
    Python (`isolation: "in-process"`, written in the result): the import rules and the
    file/network guard still apply, but the labels live in the same interpreter (a determined
    cheat could reach them), the time limit is checked only after the run, and a submission
    that hangs hangs the page. Honest mistakes are still caught and named.
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the buttons (the tests shrink it). limit: train the references on that many
    # training images/characters natively (None: the full recipe; in the browser they come
    # trained with the site). queries: timed queries (None: the event's, smaller in the browser).
    # sizes: the generation event's measurement (None: the browser's smaller one in the browser).
    # isolation: None = a fresh process per submission natively, in-process in the browser.
    budget = {"limit": None, "queries": None, "sizes": None, "isolation": None}
    return (budget,)


@app.cell(hide_code=True)
def _(mo):
    event_choice = mo.ui.dropdown(options={"Latency sprint (MNIST)": "latency",
                                           "Lightweight (MNIST)": "lightweight",
                                           "Generation (Moby Dick)": "generation",
                                           "Vision (CIFAR-10)": "vision"},
                                  value="Latency sprint (MNIST)", label="**Pick an event**")
    event_choice
    return (event_choice,)


@app.cell(hide_code=True)
def _(budget, event_choice, get_event, mo, olympics, recorded, settings, sized):
    event_name = event_choice.value
    browser = recorded.in_browser()
    event = (sized(get_event(event_name), budget["sizes"]) if budget["sizes"] and event_name == "generation"
             else olympics.event_for(event_name))
    queries = budget["queries"] or olympics.queries_for(event_name)
    _settings = settings(event)
    _sized = ("" if not _settings else f" Held-out windows scored: **{event.task.windows}** of 256 "
              f"characters; characters per generation: **{event.task.new_tokens}**.")
    mo.md(f"""
    **{event.title}**: {event.task.name}, ranked by `{event.metric}`, qualifies with
    {event.qualifies_with()}. Timed queries here: **{queries}**.{_sized}
    {"*In the browser the generation event is measured smaller than natively (64 windows, 10 "
     "generations of 200 characters): the result records its settings and the board marks it.*"
     if browser and _settings else ""}
    """)
    return browser, event, event_name, queries


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## See it: the baselines, measured here

    Each event has a **baseline** submission and an **optimized reference**, trained by
    `tinytorch.capstone.reference.materialize` (in the browser: trained when the course site
    was built, the same recipe as `python -m milestones.olympics_2018`; only the training
    happened there). Press the button and the harness measures both, here, on your machine.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    baselines_button = mo.ui.run_button(label="Measure the baselines")
    baselines_button
    return (baselines_button,)


@app.cell
def _(
    BASELINES,
    DatasetError,
    OPTIMIZED,
    baselines_button,
    budget,
    evaluate,
    event,
    event_name,
    mo,
    olympics,
    progress,
    queries,
):
    reference_runs, references_missing = [], None  # an empty board until the button is pressed
    if baselines_button.value:
        try:
            reference_runs = [
                evaluate(olympics.reference_folder(name, limit=budget["limit"]), event, queries=queries,
                         isolation=budget["isolation"])
                for name in mo.status.progress_bar([BASELINES[event_name], OPTIMIZED[event_name]],
                                                   title="the harness measures")]
        except (OSError, DatasetError) as _error:
            references_missing = str(_error)
    return reference_runs, references_missing


@app.cell(hide_code=True)
def _(leaderboard, mo, olympics, progress, reference_runs, references_missing):
    mo.stop(not reference_runs and references_missing is None,
            progress.waiting("measure the event's two reference submissions"))
    mo.stop(references_missing is not None, mo.callout(mo.md(
        f"**The reference submissions are not available here:** {references_missing}"), kind="warn"))
    mo.vstack([mo.md(leaderboard.markdown(reference_runs).replace("# Torch Olympics leaderboard", "")),
               mo.md(f"Recorded natively on the project's machine ({olympics.NATIVE_RECORDED['when']}; "
                     f"`{olympics.NATIVE_RECORDED['command']}`):\n\n"
                     + olympics.native_table([reference_runs[0]["event"]]))])
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Build it: your submission

    Start from the event's baseline weights and apply the tier's tools. For the MNIST events:
    **magnitude pruning** (module 16; no fine-tuning here, so watch the accuracy bar), **int8
    per-row quantization** (module 15), a **deflated** `.npz` (zeros and few distinct values
    compress) and a **fused NumPy forward** (module 18: no Tensors, no Modules, one `matmul`
    per layer). For generation: the **KV cache** (module 17) and int8 matrices. Then submit.
    """)
    return


@app.cell(hide_code=True)
def _(event_name, mo):
    sparsity_slider = mo.ui.slider(0.0, 0.95, step=0.05, value=0.5, label="sparsity (pruned share)")
    int8_box = mo.ui.checkbox(value=True, label="int8 weights")
    compress_box = mo.ui.checkbox(value=True, label="deflated weights file")
    fused_box = mo.ui.checkbox(value=True, label="fused NumPy forward")
    cache_box = mo.ui.checkbox(value=True, label="KV cache")
    team_box = mo.ui.text(value="my team", label="team")
    _tools = ([cache_box, int8_box] if event_name == "generation" else
              [sparsity_slider, int8_box, compress_box, fused_box] if event_name != "vision" else [])
    mo.vstack([mo.hstack(_tools + [team_box], justify="start", wrap=True),
               mo.md("*The vision event's models are convolutional: submit from your own machine "
                     "(see docs/capstone.md).*") if event_name == "vision" else mo.md("")])
    return cache_box, compress_box, fused_box, int8_box, sparsity_slider, team_box


@app.cell(hide_code=True)
def _(mo):
    submit_button = mo.ui.run_button(label="Submit to the harness")
    submit_button
    return (submit_button,)


@app.cell
def _(
    Path,
    budget,
    cache_box,
    compress_box,
    event_name,
    fused_box,
    int8_box,
    mo,
    olympics,
    progress,
    sparsity_slider,
    submit_button,
    team_box,
    tempfile,
):
    # Always defined (None until the button is pressed), so the board below can redraw when
    # the baselines are measured before anything was submitted.
    submission, submission_view = None, progress.waiting("build your submission and submit it")
    if event_name == "vision":
        submission_view = mo.md("*No in-browser tools for the vision event.*")
    elif submit_button.value:
        _start = olympics.baseline_weights(event_name, limit=budget["limit"])
        _folder = Path(tempfile.gettempdir()) / "olympics" / f"{event_name}-mine"
        if event_name == "generation":
            submission = olympics.gpt_submission(_folder, _start, kv_cache=cache_box.value,
                                                 int8=int8_box.value, team=team_box.value or "learner")
        else:
            submission = olympics.mlp_submission(_folder, _start, sparsity=sparsity_slider.value,
                                                 int8=int8_box.value, compressed=compress_box.value,
                                                 fused=fused_box.value, team=team_box.value or "learner")
        submission_view = mo.md(f"Your submission, `{submission.name}`:\n\n```python\n"
                                f"{(submission / 'submission.py').read_text()}```")
    submission_view
    return (submission,)


@app.cell
def _(budget, evaluate, event, queries, submission):
    my_result = (None if submission is None
                 else evaluate(submission, event, queries=queries, isolation=budget["isolation"]))
    return (my_result,)


@app.cell(hide_code=True)
def _(
    leaderboard,
    mo,
    my_result,
    olympics,
    published,
    recording,
    reference_runs,
):
    mo.stop(my_result is None)
    _board = [my_result] + [r for r in reference_runs if r["event"] == my_result["event"]]
    _base = next((r for r in reference_runs if r["team"] == leaderboard.BASELINE_TEAM
                  and r["status"] == "scored"), None)
    _ratio = (leaderboard.event_ratio(my_result["event"], my_result, _base)
              if _base is not None and my_result["status"] == "scored" else None)
    olympics_results = {
        "event": my_result["event"], "status": my_result["status"], "isolation": my_result["isolation"],
        "score": my_result["score"]["value"] if my_result["score"] else None,
        "quality": (my_result["figures"].get("accuracy") or my_result["figures"].get("val_loss_nats")
                    or {}).get("value"),
        "size_bytes": my_result["figures"].get("size_bytes", {}).get("value"),
        "ratio_to_baseline": _ratio[0] if _ratio else None, "platform": my_result["system"].get("platform"),
    }
    _verdict = ("**Scored.**" if my_result["status"] == "scored" else
                f"**{my_result['status'].replace('_', ' ').capitalize()}**: "
                f"`{my_result['problem']['kind']}`: {my_result['problem']['message']}")
    _ratio_text = (f" **{_ratio[0]:.3g}x** the baseline [{_ratio[1]:.3g}, {_ratio[2]:.3g}]." if _ratio
                   else " (Measure the baselines above to see your ratio to them.)" if _base is None else "")
    mo.vstack([
        mo.md(f"{_verdict}{_ratio_text}"),
        mo.md(leaderboard.markdown(_board).replace("# Torch Olympics leaderboard", "")),
        mo.download(olympics.result_json(my_result).encode(), filename=f"{my_result['event']}-"
                    f"{my_result['submission']}.json", mimetype="application/json",
                    label="Download the result (the harness's JSON)"),
        recording.module_done("20_capstone", f"{my_result['event']} submission scored")
        if my_result["status"] == "scored" else mo.md("*Module 20 counts as done once a submission "
                                                       "is scored.*"),
        published(olympics_results),
    ])
    return (olympics_results,)


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - A benchmark worth the name fixes the task, the held-out data and the quality bar, and
      measures the figure itself: nothing a submission says about itself counts.
    - Every optimization is a trade: pruning and int8 shrink the file but cost accuracy (the bar
      decides whether it was worth it); a fused forward removes per-call overhead; a KV cache
      must give the *same* characters, and the harness checks each one.
    - Where a figure was measured matters: the same submission is several times slower in the
      browser than natively, and a smaller measurement is marked as such, never mixed in.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("module-20")
    return


if __name__ == "__main__":
    app.run()
