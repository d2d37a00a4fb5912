# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy", "tinytorch"]
# ///

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="2018 MLPerf-style Torch Olympics")


@app.cell(hide_code=True)
def _():
    import marimo as mo

    from tinytorch.capstone import EVENTS, evaluate, leaderboard
    from tinytorch.capstone.reference import BASELINES, OPTIMIZED
    from tinytorch.course import milestone_goals, olympics, progress, recorded, recording
    from tinytorch.course.results import published
    from tinytorch.datasets import DatasetError

    return (
        BASELINES,
        DatasetError,
        EVENTS,
        OPTIMIZED,
        evaluate,
        leaderboard,
        milestone_goals,
        mo,
        olympics,
        progress,
        published,
        recorded,
        recording,
    )


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # Milestone 2018 · MLPerf: the whole framework, measured

    **Goal.** Run the Torch Olympics the way MLPerf (2018) runs its benchmarks: every event, a
    baseline and an optimized submission in each, every figure measured by the harness with its
    95% interval, each optimization's ratio to its baseline, and one all-around score (the
    geometric mean of the ratios, so no event's unit dominates). Here, in your browser.
    """)
    return


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Concept

    Before MLPerf, every vendor's speed claim used its own model, data and stopping point, so no
    two could be compared. MLPerf fixed them: a **task**, a **held-out set**, a **quality
    target** that must be reached first, a **scenario** that says how the figure is measured
    (single stream: one query at a time, report the 90th percentile latency), and a
    **reference** implementation every result is divided by. The Olympics are the same rules at
    course size; the optimized references show what the tier's tools buy: a fused forward (the
    latency sprint), pruning and int8 (lightweight), convolutions (vision), a KV cache (generation).
    """)
    return


@app.cell(hide_code=True)
def _():
    # Workload of the Run button (the tests shrink it). limit: train the references on that many
    # training images/characters natively (None: the full recipe; in the browser they come
    # trained with the site). queries, sizes: None = the event's own natively, the browser's in
    # the browser (olympics.BROWSER_QUERIES, BROWSER_SIZES). events: None = every event.
    # isolation: None = a fresh process per submission natively, in-process in the browser.
    budget = {"limit": None, "queries": None, "sizes": None, "events": None, "isolation": None}
    return (budget,)


@app.cell(hide_code=True)
def _(EVENTS, budget, mo, olympics, recorded):
    browser = recorded.in_browser()
    events = budget["events"] or list(EVENTS)
    plan = {name: (olympics.event_for(name, browser) if not (budget["sizes"] and name == "generation")
                   else olympics.sized(olympics.get_event(name), budget["sizes"]),
                   budget["queries"] or olympics.queries_for(name, browser)) for name in events}
    _lines = "\n".join(
        f"| {name} | {q} | " + (f"{e.task.windows} windows of {e.task.window}, {e.task.new_tokens} "
                                f"characters per generation" if name == "generation" else
                                "all 10,000 held-out images") + " |" for name, (e, q) in plan.items())
    mo.md(f"""
    ## The run, sized for {"this browser" if browser else "this machine"}

    | event | timed queries | answered |
    |---|---|---|
    {_lines}

    {"The native recipe times 1,000 queries per image event and 10 generations of 200 "
     "characters over 64 windows; the browser (no BLAS, one thread) gets the smaller run above. "
     "A sized generation result records its settings and is never ranked against a full one "
     "without the board saying so." if browser else "The events' own settings: the native run."}
    """)
    return browser, plan


@app.cell(hide_code=True)
def _(mo):
    run_button = mo.ui.run_button(label="Run the Olympics")
    run_button
    return (run_button,)


@app.cell
def _(
    BASELINES,
    DatasetError,
    OPTIMIZED,
    budget,
    evaluate,
    mo,
    olympics,
    plan,
    progress,
    run_button,
):
    mo.stop(not run_button.value, progress.waiting("run every event on its two reference submissions"))
    olympics_board, unavailable = [], {}
    for _name in mo.status.progress_bar(list(plan), title="events"):
        _event, _queries = plan[_name]
        try:
            for _reference in (BASELINES[_name], OPTIMIZED[_name]):
                _folder = olympics.reference_folder(_reference, limit=budget["limit"])
                olympics_board.append(evaluate(_folder, _event, queries=_queries,
                                               isolation=budget["isolation"]))
        except (OSError, DatasetError) as _error:  # the event's data or references are not here
            unavailable[_name] = str(_error).splitlines()[0]
    return olympics_board, unavailable


@app.cell(hide_code=True)
def _(
    OPTIMIZED,
    browser,
    leaderboard,
    milestone_goals,
    mo,
    olympics,
    olympics_board,
    published,
    recording,
    unavailable,
):
    _rows, _scored_events, _measured = [], {}, {}
    for _name in dict.fromkeys(r["event"] for r in olympics_board):
        _base, _best = [r for r in olympics_board if r["event"] == _name]
        _metric = _best["score"]["metric"] if _best["score"] else None
        for _who, _r in (("baseline", _base), ("optimized", _best)):
            if _r["score"]:
                _measured[f"{_name}_{_who}_{_metric}"] = _r["score"]["value"]
        if _best["status"] == "scored":
            _scored_events[_name] = _best
        if _base["status"] == _best["status"] == "scored":
            _ratio = leaderboard.event_ratio(_name, _best, _base)
            _measured[f"{_name}_ratio"] = _ratio[0]
            _rows.append(f"| {_name} | {OPTIMIZED[_name]} | **{_ratio[0]:.3g}x** "
                         f"[{_ratio[1]:.3g}, {_ratio[2]:.3g}] |")
        else:
            _rows.append(f"| {_name} | {OPTIMIZED[_name]} | no ratio: a reference did not qualify |")
    _overall = [row for row in leaderboard.all_around(olympics_board)
                if row["team"] != leaderboard.BASELINE_TEAM]
    report_figures = {"events_scored": len(_scored_events)} | {
        f"{_name}_{r['score']['metric']}": r["score"]["value"] for _name, r in _scored_events.items()}
    _goal = milestone_goals.goal("milestone-2018")
    results = {**report_figures, **_measured, "events_run": len({r["event"] for r in olympics_board}),
               "all_around": _overall[0]["score"] if _overall and _overall[0]["score"] else None,
               "platform": "pyodide" if browser else "native"}
    mo.vstack([
        mo.md(leaderboard.markdown(olympics_board).replace("# Torch Olympics leaderboard", "")),
        mo.md("## Ratios to the baselines, measured here\n\n| event | optimized | ratio (95%) |\n"
              "|---|---|---|\n" + "\n".join(_rows)
              + "".join(f"\n\nAll-around score of `{row['team']}`: **{leaderboard.score_text(row)}**"
                        for row in _overall)),
        mo.md("\n".join(f"- **{n}** not run here: {why}" for n, why in unavailable.items())),
        mo.md(f"## Beside it: the native recipe\n\nRecorded on the project's machine "
              f"({olympics.NATIVE_RECORDED['when']}), by `{olympics.NATIVE_RECORDED['command']}` "
              f"(which also writes every result JSON and the leaderboard):\n\n" + olympics.native_table()),
        mo.md(f"**The milestone's bar:** {_goal.text} ({_goal.source}). Events in which the optimized "
              f"reference was scored here: **{len(_scored_events)}**."),
        recording.milestone("milestone_2018_olympics", report_figures),  # achieved by _goal
        published(results),
    ])
    return report_figures, results


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    ## Recap

    - MLPerf's recipe: fix the task, the held-out data and the quality target; measure one
      figure per scenario; divide by a reference; summarise with a geometric mean.
    - The harness measures everything itself and names what disqualifies a submission, so a
      figure on the board is one nobody could have typed in.
    - Where a figure was measured is part of it: in the browser every call costs more Python
      and NumPy has no BLAS, so absolute figures differ several-fold from the native ones, and
      even the *ratios* move (a fused forward saves more where per-call overhead is larger; the
      sized generation event measures shorter texts). Compare a submission with its baseline
      on the same machine, measured the same way.
    """)
    return


@app.cell(hide_code=True)
def _():
    from tinytorch.course import course_map

    course_map.nav("milestone-2018")
    return


if __name__ == "__main__":
    app.run()
