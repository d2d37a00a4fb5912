"""`tinytorch olympics run SUBMISSION` evaluates a capstone submission with the Torch Olympics
harness (`tinytorch.capstone`) and writes its result JSON; `tinytorch olympics board RESULTS`
prints the leaderboard of result files as Markdown (and writes it as HTML with --html).

A submission that qualifies in an event achieves milestone 2018 in your progress."""

from __future__ import annotations

import json
from pathlib import Path

from tinytorch.capstone import EVENTS, evaluate, load_results, save_result, validate_result
from tinytorch.capstone.leaderboard import html_page, markdown
from tinytorch.cli.errors import CliError
from tinytorch.course import learner_record
from tinytorch.course.milestone_goals import goal


def add_parser(commands) -> None:
    p = commands.add_parser("olympics", help="evaluate a capstone submission; print the leaderboard",
                            description=__doc__.splitlines()[0])
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="evaluate a submission folder in one or more events",
                             description="Evaluate SUBMISSION (a folder with submission.py and weights.npz; "
                             "docs/capstone.md) in each event, in a fresh process, and write one result "
                             "JSON per event.",
                             epilog="Exit status: 0 scored in every event run, 1 failed or did not "
                             "qualify in one, 2 usage error.")
    run.add_argument("submission", type=Path)
    run.add_argument("--event", action="append", choices=list(EVENTS),
                     help="an event to run (repeatable; default: every event)")
    run.add_argument("--out", type=Path, default=Path("olympics_results"),
                     help="folder for the result files (default: ./olympics_results)")
    run.add_argument("--queries", type=int, help="timed single-image queries (default: the event's; >= 10)")
    run.set_defaults(run=run_submission)
    board = actions.add_parser("board", help="the leaderboard of result files",
                               description="Print the leaderboard of RESULTS (result files, or folders "
                               "of them) as Markdown.")
    board.add_argument("results", type=Path, nargs="+")
    board.add_argument("--html", type=Path, metavar="FILE", help="also write the leaderboard as an HTML page")
    board.set_defaults(run=run_board)


def _value(metric: str, value: float) -> str:
    if metric == "size_bytes":
        return f"{value / 1024:.1f} KB"
    if metric == "accuracy":
        return f"{value:.2%}"
    return f"{value * 1e3:.3g} ms"


def run_submission(args) -> int:
    if not args.submission.is_dir():
        raise CliError(f"no submission folder at {args.submission}", exit_code=2)
    if args.queries is not None and args.queries < 10:
        raise CliError(f"--queries must be at least 10 (a p90 needs them), got {args.queries}", exit_code=2)
    record_path = learner_record.default_path()
    learner_record.load(record_path)  # a corrupt record is named before minutes of evaluation
    events = args.event or list(EVENTS)
    figures, scored = {}, 0
    for name in events:
        print(f"{name}: evaluating {args.submission} ...", flush=True)
        result = evaluate(args.submission, name, queries=args.queries)
        path = save_result(result, args.out / f"{name}-{result['submission']}.json")
        status = result["status"].replace("_", " ")
        if result["problem"]:
            status += f": {result['problem']['kind']}: {result['problem']['message']}"
        shown = ", ".join(f"{m.replace('_', ' ')} {_value(m, result['figures'][m]['value'])}"
                          for m in ("accuracy", "p90_latency_s", "size_bytes") if m in result["figures"])
        print(f"{name}: {status}" + (f"; {shown}" if shown else "") + f"  -> {path}")
        if result["status"] == "scored":
            scored += 1
            score = result["score"]
            figures[f"{name}_{score['metric']}"] = score["value"]
    figures["events_scored"] = scored
    target = goal("milestone-2018")
    achieved = target.met(figures)
    learner_record.update(lambda r: learner_record.record_milestone(r, target.key, figures, achieved),
                          record_path)
    print(f"scored in {scored} of {len(events)} events; recorded in {record_path}")
    return 0 if scored == len(events) else 1


def read_results(paths: list[Path]) -> list[dict]:
    """Every result in `paths` (files, or folders of *.json), each checked against the schema."""
    results = []
    for path in paths:
        try:
            if path.is_dir():
                results += load_results(path)
                continue
            result = json.loads(path.read_text())
            validate_result(result)
            results.append(result)
        except FileNotFoundError:
            raise CliError(f"no result file or folder at {path}", exit_code=2) from None
        except (json.JSONDecodeError, ValueError) as error:  # load_results names the file itself
            message = str(error) if path.is_dir() else f"{path}: not a capstone result ({error})"
            raise CliError(message) from None
    if not results:
        raise CliError("no result files in " + ", ".join(map(str, paths)))
    return results


def run_board(args) -> int:
    results = read_results(args.results)
    print(markdown(results))
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(html_page(results), encoding="utf-8")
        print(f"HTML leaderboard: {args.html}")
    return 0
