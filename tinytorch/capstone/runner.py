"""One submission's run: in its own fresh process (`python -m tinytorch.capstone.runner FOLDER
EVENT OUT_DIR QUERIES [SETTINGS]`), or, where there are no processes (the browser), inside the
harness's own (`run`, called by `harness.evaluate(..., isolation="in-process")`). Both go
through `held_out_inputs`, `guard_for` and `run`: one implementation, two isolations.

The harness starts this process, so whatever the submission does (loops forever, crashes the
interpreter, imports what it must not) cannot take the harness down with it. Here the
held-out inputs are loaded (never the labels: they stay in the harness), the report and
output files are opened, and only then are the rules armed (`rules.Guard`) and the
submission imported.

Classification: it answers every held-out input in batches (the harness scores the answers),
then `QUERIES` single-image queries are timed one after the other (MLPerf's single stream).
Generation: the model scores every held-out window (the harness computes the loss), scores a
few windows again with their ends scrambled (the harness checks that no score looked ahead),
generates greedily after each prompt and scores that text with its own uncached forward pass
(the harness checks every generated character against it), then `QUERIES` generations are
timed, each required to give the same text again.

Everything is written to OUT_DIR: `report.json` (timings, system info, or the named problem)
and `outputs.npz` (the answers).
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
from tinytorch.capstone.events import Event, TextTask, get_event, sized
from tinytorch.capstone.rules import SOURCE_FILE, Guard, SubmissionProblem, load_weights
from tinytorch.core.autograd import no_grad
from tinytorch.core.module import Module
from tinytorch.core.tensor import Tensor

BATCH = 500
SHIPPED_DATA = str(Path(tinytorch.__file__).parent / "datasets" / "data")  # the books, the digits
TEXT_BATCH = 16
CAUSALITY_WINDOWS = 8  # held-out windows scored again with everything after a cut point changed


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


def language_model(model):
    """(forward, generate) on NumPy: `forward(ids)` the model's scores without a graph,
    `generate(prompt, n)` its greedy continuation (temperature 0), both in eval mode."""
    if not (callable(model) and callable(getattr(model, "generate", None))):
        raise SubmissionProblem("bad_model", f"build_model returned a {type(model).__name__}; the "
                                "generation event needs model(ids) and model.generate(prompt_ids, "
                                "max_new_tokens, temperature=0), as a tinytorch GPT has")
    if isinstance(model, Module):
        model.eval()

    def forward(ids):
        with no_grad():
            return _as_array(model(ids))

    def generate(prompt, max_new_tokens):
        with no_grad():
            return _as_array(model.generate(prompt, max_new_tokens, temperature=0))
    return forward, generate


def _as_array(out):
    return out.data if isinstance(out, Tensor) else out


def checked(out, rows: int, classes: int, positions: int | None = None) -> np.ndarray:
    """The scores `out` as an array of shape (rows, classes), or (rows, positions, classes)
    for a language model; SubmissionProblem naming what is wrong with them."""
    out = np.asarray(_as_array(out))
    expected = (rows, classes) if positions is None else (rows, positions, classes)
    if out.shape != expected:
        what = "class scores" if positions is None else "next-character scores"
        raise SubmissionProblem("wrong_output_shape", f"{rows} inputs gave outputs of shape {out.shape}; "
                                f"expected {expected} {what}")
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


def checked_text(out, prompt: np.ndarray, new_tokens: int, vocab: int) -> np.ndarray:
    """A generated text: the prompt followed by `new_tokens` ids in [0, vocab)."""
    out = np.asarray(_as_array(out))
    expected = len(prompt) + new_tokens
    if out.shape != (expected,) or out.dtype.kind not in "iu":
        raise SubmissionProblem("wrong_generation", f"generate(prompt of {len(prompt)} ids, {new_tokens}) "
                                f"returned {out.dtype} of shape {out.shape}; expected {expected} integer "
                                "ids: the prompt followed by the new ones")
    if not np.array_equal(out[:len(prompt)], prompt):
        raise SubmissionProblem("wrong_generation", "the generated text does not start with the prompt")
    if out.min() < 0 or out.max() >= vocab:
        raise SubmissionProblem("wrong_generation", f"generated ids outside the vocabulary 0..{vocab - 1}")
    return out.astype(np.int64)


def scrambled_futures(inputs: np.ndarray, vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """The first CAUSALITY_WINDOWS windows with every character from a cut point on replaced
    (each id + 1), and the cut points: scores before the cut must not change."""
    windows = inputs[:CAUSALITY_WINDOWS].copy()
    cuts = np.linspace(1, windows.shape[1] - 1, len(windows)).astype(np.int64)
    for row, cut in zip(windows, cuts, strict=True):
        row[cut:] = (row[cut:] + 1) % vocab
    return windows, cuts


def evaluate_generation(folder: Path, event, queries: int, inputs: np.ndarray, prompts: list[np.ndarray],
                        vocab: int) -> dict:
    forward, generate = language_model(load_submission(folder))
    new_tokens = event.task.new_tokens

    def score(ids):
        return np.concatenate([checked(forward(ids[i:i + TEXT_BATCH]), len(ids[i:i + TEXT_BATCH]), vocab,
                                       ids.shape[1]) for i in range(0, len(ids), TEXT_BATCH)])

    outputs = {"scores": score(inputs)}
    scrambled, outputs["cuts"] = scrambled_futures(inputs, vocab)
    outputs["scrambled_scores"] = score(scrambled)
    texts = [checked_text(generate(p, new_tokens), p, new_tokens, vocab) for p in prompts]
    for k, text in enumerate(texts):
        outputs[f"text_{k}"], outputs[f"text_scores_{k}"] = text, score(text[None, :-1])[0]
    times = []
    for i in range(queries):
        k = i % len(prompts)
        start = time.perf_counter()
        text = generate(prompts[k], new_tokens)
        times.append(time.perf_counter() - start)
        if not np.array_equal(np.asarray(text), texts[k]):
            raise SubmissionProblem("inconsistent_generation", f"timed generation {i + 1} after prompt "
                                    f"{k + 1} gave a different text than the checked one")
    return {"outputs": outputs, "times_s": times}


def evaluate(folder: Path, event: Event, queries: int, inputs: np.ndarray) -> dict:
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
    return {"outputs": {"scores": outputs}, "latencies_s": latencies}


def held_out_inputs(event: Event) -> dict:
    """What the submission's run may see of the held-out set: the inputs (never the labels), and
    for generation the prompts and the vocabulary size; the book's cached text is dropped, so it
    stays out of the submission's reach."""
    given = {"inputs": event.task.load_inputs()}
    if isinstance(event.task, TextTask):
        from tinytorch.datasets import text

        given.update(prompts=event.task.prompt_ids(), vocab=event.task.classes)
        text.load_shipped_text.cache_clear()
    return given


def guard_for(folder: Path) -> Guard:
    """The rules' guard for one submission: the data mirror, the download cache and the books
    shipped with tinytorch are off limits even where they sit inside readable folders."""
    return Guard(folder, forbidden_roots=(os.environ.get("TINYTORCH_DATA", ""),
                                          os.environ.get("TINYTORCH_CACHE", ""), SHIPPED_DATA))


def run(folder: Path, event: Event, queries: int, given: dict, guard: Guard) -> tuple[dict, dict]:
    """The submission's run, the one both isolations share: the guard armed around it, every
    exception the submission raises turned into a named problem. (report, outputs): the report
    holds the timings, or `problem` (kind, message), in which case outputs is empty."""
    report, outputs = {}, {}
    guard.install()
    try:
        if isinstance(event.task, TextTask):
            result = evaluate_generation(folder, event, queries, given["inputs"], given["prompts"],
                                         given["vocab"])
        else:
            result = evaluate(folder, event, queries, given["inputs"])
        outputs = result.pop("outputs")
        report.update(result)
    except SubmissionProblem as p:
        report["problem"] = {"kind": p.kind, "message": p.message}
    except BaseException as e:  # noqa: BLE001  (anything the submission raises is its result)
        frames = traceback.extract_tb(e.__traceback__)
        where = next((f"{SOURCE_FILE} line {f.lineno}" for f in reversed(frames)
                      if f.filename.endswith(SOURCE_FILE)), "")
        report["problem"] = {"kind": "submission_error",
                             "message": f"{type(e).__name__}: {e}" + (f" ({where})" if where else "")}
    finally:
        guard.uninstall()
    if guard.violations:  # a violation the submission caught still counts
        first = guard.violations[0]
        report["problem"] = {"kind": first.kind, "message": first.message}
    if "problem" in report:
        outputs = {}
    return report, outputs


def main(argv: list[str]) -> int:
    folder, out_dir, queries = Path(argv[0]), Path(argv[2]), int(argv[3])
    event = sized(get_event(argv[1]), json.loads(argv[4]) if len(argv) > 4 else {})
    report_file, outputs_file = open(out_dir / "report.json", "w"), open(out_dir / "outputs.npz", "wb")
    given = held_out_inputs(event)
    report = {"system": {**system_info(), "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}}
    measured, outputs = run(folder, event, queries, given, guard_for(folder))
    report.update(measured)
    np.savez(outputs_file, **outputs)
    json.dump(report, report_file)
    report_file.close()
    outputs_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
