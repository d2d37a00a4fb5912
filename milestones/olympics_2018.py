"""Milestone 2018: the Torch Olympics, MLPerf style, run on the reference submissions.

MLPerf (2018) made ML speed claims comparable: fixed tasks, fixed held-out data, a quality
target to qualify, a measured figure per scenario, and a summary score against a reference
system. This recipe runs every event of `tinytorch.capstone` on its baseline and optimized
reference submissions (trained on first use, seeded, cached), each evaluated by the harness in
its own process, and prints the report: each event's figures with their 95% intervals,
each reference's ratio to its baseline, and the all-around score (geometric mean of ratios).

    python -m milestones.olympics_2018                       # the recorded run (docs/capstone.md)
    python -m milestones.olympics_2018 --limit 2000 --queries 50 --generations 3
                                                             # a quick look (none qualifies)

Results (JSON, one per submission and event) and the leaderboard (Markdown and HTML) are
written to --out. Data comes through `tinytorch.datasets` (set TINYTORCH_DATA to a local mirror).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tinytorch.capstone.events import EVENTS
from tinytorch.capstone.harness import evaluate, save_result
from tinytorch.capstone.leaderboard import (
    BASELINE_TEAM,
    all_around,
    event_ratio,
    score_text,
    write_leaderboard,
)
from tinytorch.capstone.reference import BASELINES, OPTIMIZED, materialize


def _figure(result: dict, metric: str) -> str:
    f = result["figures"].get(metric)
    if f is None:
        return "-"
    if metric == "size_bytes":
        return f"{f['value'] / 1024:.1f} KB"
    if metric == "accuracy":
        return f"{f['value']:.2%} [{f['ci_low']:.2%}, {f['ci_high']:.2%}]"
    if metric == "val_loss_nats":
        return f"{f['value']:.3f} nats/char [{f['ci_low']:.3f}, {f['ci_high']:.3f}]"
    if metric == "tokens_per_s":
        return f"{f['value']:.4g} chars/s [{f['ci_low']:.4g}, {f['ci_high']:.4g}]"
    return f"{f['value'] * 1e3:.3g} ms [{f['ci_low'] * 1e3:.3g}, {f['ci_high'] * 1e3:.3g}]"


def _figures_line(result: dict) -> str:
    if result["event"] == "generation":
        return (f"val loss {_figure(result, 'val_loss_nats')}  generation "
                f"{_figure(result, 'tokens_per_s')}  size {_figure(result, 'size_bytes')}")
    return (f"accuracy {_figure(result, 'accuracy')}  p90 {_figure(result, 'p90_latency_s')}  "
            f"size {_figure(result, 'size_bytes')}")


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", nargs="+", default=list(BASELINES), choices=list(BASELINES))
    parser.add_argument("--queries", type=int, help="timed single-image queries (default: the event's)")
    parser.add_argument("--generations", type=int,
                        help="timed generations in the generation event (default: the event's)")
    parser.add_argument("--limit", type=int,
                        help="train the references on the first N images (or about N characters) only")
    parser.add_argument("--cache", type=Path, help="where trained references are kept")
    parser.add_argument("--out", type=Path, default=Path("olympics_2018"))
    args = parser.parse_args(argv)

    results = []
    for name in args.events:
        event = EVENTS[name]
        print(f"== {event.title}: {event.task.name}, ranked by {event.metric} ({event.better} is better), "
              f"qualifies with {event.qualifies_with()}", flush=True)
        for reference in (BASELINES[name], OPTIMIZED[name]):
            start = time.perf_counter()
            folder = materialize(reference, limit=args.limit, cache=args.cache)
            prepared = time.perf_counter() - start
            queries = args.generations if name == "generation" else args.queries
            result = evaluate(folder, event, queries=queries)
            results.append(result)
            save_result(result, args.out / f"{name}-{reference}.json")
            status = result["status"].replace("_", " ")
            if result["problem"]:
                status += f" ({result['problem']['kind']}: {result['problem']['message']})"
            print(f"{reference:20s} {_figures_line(result)}  [{status}; weights {prepared:.0f} s, "
                  f"evaluation {result['figures']['wall_s']['value']:.1f} s]", flush=True)
        baseline, optimized = results[-2], results[-1]
        if baseline["status"] == optimized["status"] == "scored":
            ratio, low, high = event_ratio(name, optimized, baseline)
            print(f"{OPTIMIZED[name]} / {BASELINES[name]}: {ratio:.3g}x better [{low:.3g}, {high:.3g}]")
        else:
            print("no ratio: a reference did not qualify")
    ranked = [row for row in all_around(results) if row["team"] != BASELINE_TEAM]
    for row in ranked:
        print(f"all-around score of {row['team']!r} against the baseline: {score_text(row)}")
    md, page = write_leaderboard(results, args.out)
    print(f"leaderboard: {md} and {page}")
    return results


if __name__ == "__main__":
    main()
