"""The harness: evaluate one submission folder in one event, and never trust a reported number.

    result = evaluate("submissions/my_mlp", "latency")
    save_result(result, "results/latency-my_mlp.json")

A submission is a folder with `submission.py` (defines `build_model(weights)`, which returns a
tinytorch Module or a callable on NumPy batches, and optionally `TEAM = "name"`) and
`weights.npz` (the arrays `build_model` receives). The harness

1. hashes every file (sha256) and adds their sizes: the size on disk is the lightweight figure;
2. checks the rules it can check without running anything (`rules.check_source`,
   `rules.check_weights`);
3. runs the submission in a fresh process (`tinytorch.capstone.runner`) with a time limit;
   that process sees the held-out inputs, never the labels. Where there are no processes (the
   browser: `isolation="in-process"`) the same run happens in this process with the same
   checks, and the result's `isolation` says so (what that cannot prevent: `rules`);
4. computes the accuracy from the answers with `tinytorch.bench.accuracy`, the latency
   percentiles and intervals from the single-stream timings (`tinytorch.bench.Measurement`),
   and decides whether the submission qualifies.

Generation (a language model, see `events`): the figure is greedy characters per second
(`Measurement` of the timed generations, median with its bootstrap interval); the harness
computes the held-out loss from the model's scores itself, checks that no score looked at the
characters after it (scores before a cut point must not change when everything after it is
changed), and checks every generated character against the model's own uncached forward pass
over the generated text: it must be that pass's argmax (up to TIE_NATS for a genuine tie), or
the submission is disqualified (`wrong_tokens`), however fast it was.

A bad submission gets a result whose `problem` names what went wrong (`syntax_error`,
`forbidden_import`, `network`, `timeout`, `wrong_output_shape`, `missing_weights`,
`wrong_tokens`, ...); the harness itself does not raise on a submission's fault.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from tinytorch.bench import Measurement, accuracy, system_info
from tinytorch.bench.results import _check
from tinytorch.bench.stats import mean_interval, quantile_interval, wilson_interval
from tinytorch.capstone.events import SIZED_SETTINGS, Event, TextTask, get_event, is_standard, settings
from tinytorch.capstone.rules import SOURCE_FILE, SubmissionProblem, check_source, check_weights, load_weights

SCHEMA_ID = "tinytorch.capstone.result/1"
# Every submission runs with one BLAS thread: on a shared machine a multi-threaded BLAS spins
# waiting for busy cores on products as small as one image's, and a CIFAR CNN's median went
# from 0.48 ms (one thread) to 28 ms (two). One thread makes results comparable across loads
# and is what the browser has anyway.
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
STATUSES = ("scored", "not_qualified", "failed")
ISOLATIONS = ("process", "in-process")
# A generated character counts as the model's greedy choice when its score is within this of
# the best one: a cached and an uncached pass add the same float32 numbers in a different
# order (differences of about 1e-6 here), and a real tie may go either way. A cache that is
# wrong moves scores by far more (tests/capstone measure it).
TIE_NATS = 1e-3
CAUSAL_TOLERANCE = 1e-4
_FIGURE = {"type": "object", "required": ["value"], "additionalProperties": {"type": ["number", "null"]}}
RESULT_SCHEMA = {
    "$id": SCHEMA_ID,
    "type": "object",
    "required": ["schema", "event", "submission", "team", "created", "status", "problem", "figures",
                 "score", "system", "files"],
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "event": {"type": "string", "minLength": 1},
        "submission": {"type": "string", "minLength": 1},
        "team": {"type": "string", "minLength": 1},
        "created": {"type": "string"},
        "status": {"enum": list(STATUSES)},
        "problem": {"type": ["object", "null"], "required": ["kind", "message"],
                    "properties": {"kind": {"type": "string"}, "message": {"type": "string"}}},
        "figures": {"type": "object", "additionalProperties": _FIGURE},
        "score": {"type": ["object", "null"], "required": ["metric", "value", "better"],
                  "properties": {"metric": {"type": "string"}, "value": {"type": "number"},
                                 "better": {"enum": ["lower", "higher"]}}},
        "system": {"type": "object"},
        "isolation": {"enum": list(ISOLATIONS)},  # absent in results from before it was recorded
        "settings": {"type": "object"},  # events.settings(event), queries, standard
        "files": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["sha256", "bytes"],
            "properties": {"sha256": {"type": "string"}, "bytes": {"type": "integer", "minimum": 0}}}},
    },
}


def file_hashes(folder: Path) -> dict[str, dict]:
    """sha256 and size of every file in the submission folder (caches excluded), by relative path."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            data = path.read_bytes()
            files[path.relative_to(folder).as_posix()] = {"sha256": hashlib.sha256(data).hexdigest(),
                                                          "bytes": len(data)}
    return files


def _team(folder: Path) -> str:
    """`TEAM = "..."` from the source, read without running it; else the folder's name."""
    try:
        tree = ast.parse((folder / SOURCE_FILE).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return folder.name
    for node in tree.body:
        names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        value = getattr(getattr(node, "value", None), "value", None)
        if isinstance(node, ast.Assign) and "TEAM" in names and isinstance(value, str) and value:
            return value
    return folder.name


def _run(folder: Path, event: Event, queries: int, time_limit_s: float,
         python: str) -> tuple[dict, dict[str, np.ndarray]]:
    """Run the submission in a fresh process; its report and outputs, or a SubmissionProblem."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **BLAS_THREADS,
           "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory(prefix="capstone-") as out:
        try:
            proc = subprocess.run([python, "-m", "tinytorch.capstone.runner", str(folder.resolve()),
                                   event.name, out, str(queries), json.dumps(_sized_changes(event))],
                                  capture_output=True, text=True, timeout=time_limit_s, env=env, cwd=out)
        except subprocess.TimeoutExpired:
            raise _timeout(event, queries, time_limit_s) from None
        try:
            report = json.loads(Path(out, "report.json").read_text())
        except (OSError, json.JSONDecodeError):
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            raise SubmissionProblem("crashed", f"the submission's process ended with code "
                                    f"{proc.returncode} and no report: {' | '.join(tail)}") from None
        if "problem" in report:
            raise SubmissionProblem(report["problem"]["kind"], report["problem"]["message"])
        with np.load(Path(out, "outputs.npz"), allow_pickle=False) as outputs:
            return report, {name: outputs[name] for name in outputs.files}


def _run_in_process(folder: Path, event: Event, queries: int, time_limit_s: float) -> tuple[dict, dict]:
    """The same run (`runner.run`) in this process, for where there are no processes (Pyodide).
    The guard is armed and disarmed around it; the time limit can only be checked once the run
    has ended (a run that never ends cannot be stopped here: see `rules`)."""
    from tinytorch.capstone import runner

    given = runner.held_out_inputs(event)
    started = time.perf_counter()
    report, outputs = runner.run(folder.resolve(), event, queries, given, runner.guard_for(folder.resolve()))
    if "problem" in report:
        raise SubmissionProblem(report["problem"]["kind"], report["problem"]["message"])
    if time.perf_counter() - started > time_limit_s:
        raise _timeout(event, queries, time_limit_s)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "1" if sys.platform == "emscripten" else "default")
    return {**report, "system": {**system_info(), "blas_threads": threads}}, outputs


def _timeout(event: Event, queries: int, time_limit_s: float) -> SubmissionProblem:
    return SubmissionProblem("timeout", f"the evaluation took longer than the event's limit of "
                             f"{time_limit_s:g} s (loading, {event.task.name} answers and {queries} "
                             "timed queries)")


def _sized_changes(event: Event) -> dict:
    """What `events.sized` changed in `event`, to hand the same event to the runner's process."""
    standard = settings(get_event(event.name))
    return {k: v for k, v in settings(event).items() if k in SIZED_SETTINGS and v != standard[k]}


def default_isolation() -> str:
    """A fresh process per submission where processes exist; in the browser, in-process."""
    return "in-process" if sys.platform == "emscripten" else "process"


def evaluate(folder, event: str | Event, *, queries: int | None = None, time_limit_s: float | None = None,
             python: str = sys.executable, isolation: str | None = None) -> dict:
    """The result of submission `folder` in `event` (a dict matching RESULT_SCHEMA).

    `event` may be an `events.sized` event (the browser's smaller measurement); the result
    records its settings. `isolation` is "process" (a fresh process per submission, the default
    where there are processes) or "in-process" (the default in the browser: the same steps and
    checks, with the guard armed in this process; see `rules` for what it cannot prevent); the
    result says which."""
    folder, event = Path(folder), event if isinstance(event, Event) else get_event(event)
    isolation = isolation or default_isolation()
    if isolation not in ISOLATIONS:
        raise ValueError(f"isolation must be one of {', '.join(ISOLATIONS)}, got {isolation!r}")
    queries = event.queries if queries is None else queries
    if queries < event.min_queries:
        raise ValueError(f"the {event.name} event needs at least {event.min_queries} timed queries, "
                         f"got {queries}")
    started = time.perf_counter()
    files = file_hashes(folder) if folder.is_dir() else {}
    result = {"schema": SCHEMA_ID, "event": event.name, "submission": folder.name or str(folder),
              "team": _team(folder), "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "status": "failed", "problem": None, "figures": {}, "score": None,
              "system": system_info(), "files": files, "isolation": isolation,
              "settings": {**settings(event), "queries": queries, "standard": is_standard(event)}}
    try:
        if not folder.is_dir():
            raise SubmissionProblem("missing_folder", f"{folder} is not a folder")
        check_source(folder)
        inputs, labels = event.task.load()
        check_weights(load_weights(folder), inputs, labels)
        limit = time_limit_s or event.time_limit_s
        report, outputs = (_run(folder, event, queries, limit, python) if isolation == "process"
                           else _run_in_process(folder, event, queries, limit))
    except SubmissionProblem as p:
        result["problem"] = {"kind": p.kind, "message": p.message}
        result["figures"]["wall_s"] = {"value": time.perf_counter() - started}
        return result
    result["system"] = report["system"]  # the machine the submission actually ran on
    if isinstance(event.task, TextTask):
        result["figures"] = _generation_figures(event, outputs, labels, report["times_s"], files)
        disqualified = _lookahead_problem(outputs) or _token_problem(event.task, outputs)
    else:
        result["figures"] = _figures(outputs["scores"], labels, report["latencies_s"], files)
        disqualified = None
    result["figures"]["wall_s"] = {"value": time.perf_counter() - started}
    result["score"] = {"metric": event.metric, "value": result["figures"][event.metric]["value"],
                       "better": event.better}
    result["status"], result["problem"] = (("not_qualified", disqualified) if disqualified
                                           else _qualification(event, result["figures"]))
    validate_result(result)
    return result


def _generation_figures(event: Event, outputs: dict, targets: np.ndarray, times: list[float],
                        files: dict) -> dict:
    """Held-out loss (nats per character, mean over windows with its interval) and greedy
    characters per second (median over the timed generations with its interval)."""
    scores = outputs["scores"].astype(np.float64)
    top = scores.max(axis=-1, keepdims=True)
    log_probs = scores - top - np.log(np.exp(scores - top).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    per_window = -picked.mean(axis=1)
    loss_low, loss_high = mean_interval(per_window)
    new_tokens = event.task.new_tokens
    timings = Measurement.from_times(times, "greedy generation", items=new_tokens)
    return {
        "val_loss_nats": {"value": float(per_window.mean()), "ci_low": loss_low, "ci_high": loss_high,
                          "characters": int(targets.size)},
        "tokens_per_s": {"value": timings.throughput, "ci_low": new_tokens / timings.ci[1],
                         "ci_high": new_tokens / timings.ci[0], "queries": timings.repeats,
                         "tokens_per_query": new_tokens},
        "median_generation_s": {"value": timings.median, "ci_low": timings.ci[0], "ci_high": timings.ci[1],
                                "queries": timings.repeats},
        "size_bytes": {"value": sum(f["bytes"] for f in files.values()), "files": len(files)},
    }


def _lookahead_problem(outputs: dict) -> dict | None:
    """A language model's score for position t may use characters 0..t only: scores before
    each window's cut point must not move when everything from the cut on is changed."""
    for row, cut in enumerate(outputs["cuts"]):
        before, after = outputs["scores"][row, :cut], outputs["scrambled_scores"][row, :cut]
        moved = np.abs(before.astype(np.float64) - after).max()
        if not moved <= CAUSAL_TOLERANCE * max(1.0, np.abs(before).max()):
            return {"kind": "not_causal", "message": f"scores at positions before {cut} changed by "
                    f"{moved:.3g} when the characters from position {cut} on were changed: the "
                    "model looks at the characters it is predicting"}
    return None


def _token_problem(task: TextTask, outputs: dict) -> dict | None:
    """Every generated character must be the argmax of the model's own uncached scores for the
    text before it (within TIE_NATS): the first one that is not is named."""
    tokenizer = task.tokenizer()
    for k, prompt in enumerate(task.prompts):
        text, scores = outputs[f"text_{k}"], outputs[f"text_scores_{k}"].astype(np.float64)
        for t in range(len(prompt), len(text)):
            row, got = scores[t - 1], int(text[t])
            if row[got] < row.max() - TIE_NATS:
                best = int(row.argmax())
                return {"kind": "wrong_tokens", "message": f"after prompt {k + 1} ({prompt!r}), "
                        f"generated character {t - len(prompt) + 1} is {tokenizer.decode([got])!r} but "
                        f"the model's own uncached forward pass over the text before it picks "
                        f"{tokenizer.decode([best])!r} (scores {row[got]:.4g} vs {row[best]:.4g}): "
                        "the generation is not the model's greedy output"}
    return None


def _figures(outputs: np.ndarray, labels: np.ndarray, latencies: list[float], files: dict) -> dict:
    acc = accuracy(outputs, labels)
    correct = int(round(acc * len(labels)))
    timings = Measurement.from_times(latencies, "single stream")
    p90_low, p90_high = quantile_interval(latencies, 0.9)
    return {
        "accuracy": {"value": acc, "ci_low": wilson_interval(correct, len(labels))[0],
                     "ci_high": wilson_interval(correct, len(labels))[1], "samples": len(labels)},
        "p90_latency_s": {"value": timings.percentiles["p90"], "ci_low": p90_low, "ci_high": p90_high,
                          "queries": timings.repeats},
        "median_latency_s": {"value": timings.median, "ci_low": timings.ci[0], "ci_high": timings.ci[1],
                             "queries": timings.repeats},
        "p99_latency_s": {"value": timings.percentiles["p99"], "queries": timings.repeats},
        "size_bytes": {"value": sum(f["bytes"] for f in files.values()), "files": len(files)},
    }


def _qualification(event: Event, figures: dict) -> tuple[str, dict | None]:
    if event.max_val_loss is not None:
        loss = figures["val_loss_nats"]
        if loss["value"] > event.max_val_loss:
            return "not_qualified", {"kind": "loss_too_high", "message": f"validation loss "
                                     f"{loss['value']:.3f} nats/char on {loss['characters']} held-out "
                                     f"characters is above the event's {event.max_val_loss:g}"}
        return "scored", None
    acc = figures["accuracy"]["value"]
    if acc < event.min_accuracy:
        return "not_qualified", {"kind": "accuracy_too_low", "message": f"accuracy {acc:.2%} on "
                                 f"{figures['accuracy']['samples']} held-out samples is below the "
                                 f"event's {event.min_accuracy:.0%}"}
    budget, p90 = event.max_p90_latency_s, figures["p90_latency_s"]["value"]
    if budget is not None and p90 > budget:
        return "not_qualified", {"kind": "too_slow", "message": f"p90 latency {1e3 * p90:.3g} ms is over "
                                 f"the event's budget of {1e3 * budget:.3g} ms"}
    return "scored", None


def validate_result(d: dict) -> None:
    """Raise ValueError naming the first field of `d` that does not match RESULT_SCHEMA."""
    _check(d, RESULT_SCHEMA, "result")


def save_result(result: dict, path) -> Path:
    validate_result(result)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    return path


def load_results(folder) -> list[dict]:
    """Every result file (*.json) in `folder`, each checked against the schema; a file that is
    not a capstone result raises ValueError naming it."""
    results = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            d = json.loads(path.read_text())
            validate_result(d)
        except (json.JSONDecodeError, ValueError) as e:
            raise ValueError(f"{path}: not a capstone result ({e})") from None
        results.append(d)
    return results


__all__ = ["RESULT_SCHEMA", "evaluate", "file_hashes", "load_results", "save_result", "validate_result"]
