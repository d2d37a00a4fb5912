"""One submission, evaluated in its own fresh process: `python -m tinytorch.capstone.runner
FOLDER EVENT OUT_DIR QUERIES`.

The harness starts this process, so whatever the submission does (loops forever, crashes the
interpreter, imports what it must not) cannot take the harness down with it. Here the
held-out inputs are loaded (never the labels: they stay in the harness), the report and
output files are opened, and only then are the rules armed (`rules.Guard`) and the
submission imported. It answers every held-out input in batches (the harness scores the
answers), then `QUERIES` single-image queries are timed one after the other (MLPerf's single
stream). Everything is written to OUT_DIR: `report.json` (latencies, system info, or the
named problem) and `outputs.npy` (the answers).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
import traceback
from pathlib import Path

import numpy as np

import tinytorch  # noqa: F401  (imported before the guard: the submission's own imports are checked)
import tinytorch.nn  # noqa: F401
from tinytorch.bench import system_info
from tinytorch.capstone.events import get_event
from tinytorch.capstone.rules import SOURCE_FILE, Guard, SubmissionProblem, load_weights
from tinytorch.core.autograd import no_grad
from tinytorch.core.module import Module
from tinytorch.core.tensor import Tensor

BATCH = 500


def serving(model):
    """A function from a NumPy batch to a NumPy array of scores: a Module runs in eval mode
    without a graph; any other callable (a hand-written NumPy forward) is called as it is."""
    if isinstance(model, Module):
        model.eval()

        def predict(batch):
            with no_grad():
                return model(Tensor(batch)).data
        return predict
    if callable(model):
        return lambda batch: _as_array(model(batch))
    raise SubmissionProblem("bad_model", f"build_model returned a {type(model).__name__}, which is "
                            "neither a tinytorch Module nor callable")


def _as_array(out):
    return out.data if isinstance(out, Tensor) else out


def checked(out, rows: int, classes: int) -> np.ndarray:
    out = np.asarray(_as_array(out))
    if out.shape != (rows, classes):
        raise SubmissionProblem("wrong_output_shape", f"{rows} inputs gave outputs of shape {out.shape}; "
                                f"expected ({rows}, {classes}) class scores")
    if out.dtype.kind not in "fiu":
        raise SubmissionProblem("wrong_output_dtype", f"outputs of dtype {out.dtype}, expected numbers")
    if not np.isfinite(out).all():
        raise SubmissionProblem("non_finite_output", "the outputs contain NaN or infinity")
    return out


def load_submission(folder: Path):
    spec = importlib.util.spec_from_file_location("submission", folder / SOURCE_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    weights = load_weights(folder)
    try:
        return module.build_model(weights)
    except SubmissionProblem:
        raise
    except Exception as e:
        raise SubmissionProblem("build_failed", f"build_model(weights) raised {type(e).__name__}: {e}") from e


def evaluate(folder: Path, event_name: str, queries: int, inputs: np.ndarray) -> dict:
    event = get_event(event_name)
    predict = serving(load_submission(folder))
    checked(predict(inputs[:1]), 1, event.task.classes)
    outputs = np.concatenate([checked(predict(inputs[i:i + BATCH]), len(inputs[i:i + BATCH]),
                                      event.task.classes) for i in range(0, len(inputs), BATCH)])
    for i in range(min(10, queries)):  # warm-up: lazily built state, caches
        predict(inputs[i:i + 1])
    latencies = []
    for i in range(queries):
        start = time.perf_counter()
        predict(inputs[i % len(inputs):i % len(inputs) + 1])
        latencies.append(time.perf_counter() - start)
    return {"outputs": outputs, "latencies_s": latencies}


def main(argv: list[str]) -> int:
    folder, event_name, out_dir, queries = Path(argv[0]), argv[1], Path(argv[2]), int(argv[3])
    report_file, outputs_file = open(out_dir / "report.json", "w"), open(out_dir / "outputs.npy", "wb")
    inputs = get_event(event_name).task.load_inputs()
    report = {"system": {**system_info(), "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}}
    guard = Guard(folder, forbidden_roots=(os.environ.get("TINYTORCH_DATA", ""),
                                           os.environ.get("TINYTORCH_CACHE", "")))
    guard.install()
    try:
        result = evaluate(folder, event_name, queries, inputs)
        np.save(outputs_file, result.pop("outputs"))
        report.update(result)
    except SubmissionProblem as p:
        report["problem"] = {"kind": p.kind, "message": p.message}
    except BaseException as e:  # noqa: BLE001  (anything the submission raises is its result)
        frames = traceback.extract_tb(e.__traceback__)
        where = next((f"{SOURCE_FILE} line {f.lineno}" for f in reversed(frames)
                      if f.filename.endswith(SOURCE_FILE)), "")
        report["problem"] = {"kind": "submission_error",
                             "message": f"{type(e).__name__}: {e}" + (f" ({where})" if where else "")}
    if guard.violations:  # a violation the submission caught still counts
        first = guard.violations[0]
        report["problem"] = {"kind": first.kind, "message": first.message}
    json.dump(report, report_file)
    report_file.close()
    outputs_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
