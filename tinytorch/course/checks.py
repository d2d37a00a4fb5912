"""Exercise checks: run a learner's function against tinytorch's reference, case by case.

A check is a name, a test and a hint. The test gets the learner's function and raises
`AssertionError` (or anything else) when it is wrong; the hint says what to look at. Checks
never stop at the first failure: a learner sees every case that passes and every one that
does not, which is what tells them *how* their code is wrong.
"""

from __future__ import annotations

import inspect
import textwrap
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Check:
    name: str
    test: Callable[[Callable], None]
    hint: str = ""


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    message: str
    hint: str


@dataclass(frozen=True)
class Exercise:
    """An exercise: the checks a learner's function must pass, and the reference solution.

    Kept in `tinytorch.course.exercises` rather than in the app, so the tests can prove that
    the solution passes every check and that typical wrong answers fail at least one.

    `name` is the exercise's stable name in the learner's record (`tinytorch.course.learner_record`),
    its variable name in its module (as `tinytorch check` records it): the course map counts
    passed exercises by it, so it must not change when the checks do. Without one, the
    solution's function name stands in.
    """

    checks: tuple[Check, ...]
    solution: Callable
    name: str = ""

    def __post_init__(self):
        if not self.name:
            object.__setattr__(self, "name", self.solution.__name__)

    def run(self, candidate: Callable) -> list[CheckResult]:
        return run_checks(self.checks, candidate)

    def solution_code(self) -> str:
        return textwrap.dedent(inspect.getsource(self.solution))


NOT_IMPLEMENTED = "not implemented yet"  # a check's message while the learner's stub still raises


def attempted(results: list[CheckResult]) -> bool:
    """Whether the learner's code got past its `raise NotImplementedError` stub in any check."""
    return any(r.message != NOT_IMPLEMENTED for r in results)


def run_checks(checks: list[Check], candidate: Callable) -> list[CheckResult]:
    results = []
    for check in checks:
        try:
            check.test(candidate)
            results.append(CheckResult(check.name, True, "", check.hint))
        except NotImplementedError:
            results.append(CheckResult(check.name, False, NOT_IMPLEMENTED, check.hint))
        except AssertionError as error:
            results.append(CheckResult(check.name, False, str(error), check.hint))
        except Exception as error:  # the learner's code raised: show where, not a crash
            where = traceback.extract_tb(error.__traceback__)[-1]
            results.append(CheckResult(check.name, False,
                                       f"{type(error).__name__}: {error} (line {where.lineno})",
                                       check.hint))
    return results


def all_passed(results: list[CheckResult]) -> bool:
    return all(r.passed for r in results)


def _as_array(x) -> np.ndarray:
    return np.asarray(x.data if hasattr(x, "data") and not isinstance(x, np.ndarray) else x)


def expect_close(actual, expected, what: str = "result", rtol: float = 1e-5,
                 atol: float = 1e-6) -> None:
    """Assert two arrays (or tensors) match, with a message a learner can act on."""
    if actual is None:
        raise AssertionError(f"{what} is None: did the function forget to `return`?")
    a, e = _as_array(actual), _as_array(expected)
    if a.shape != e.shape:
        raise AssertionError(f"{what} has shape {a.shape}, expected {e.shape}")
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
        i = np.unravel_index(np.argmax(np.abs(a.astype(np.float64) - e)), a.shape) if a.size else ()
        raise AssertionError(f"{what} differs from the reference: at index {tuple(map(int, i))} "
                             f"got {a[i].tolist()!r}, expected {e[i].tolist()!r}")


def expect_equal(actual, expected, what: str = "result") -> None:
    if actual != expected:
        raise AssertionError(f"{what} is {actual!r}, expected {expected!r}")


def expect_raises(error: type[Exception], fn: Callable, *args, what: str = "the call") -> None:
    """Assert that `fn(*args)` raises `error` (bad input must fail loudly, not guess)."""
    try:
        result = fn(*args)
    except error:
        return
    raise AssertionError(f"{what} returned {result!r} instead of raising {error.__name__}")


PASSED_COLOUR, FAILED_COLOUR = "#15803d", "#b91c1c"


def mark(passed: bool) -> str:
    """A check's result in a word and a colour. Why words: headless and some desktop browsers
    have no emoji font, and every emoji mark then renders as the same empty box."""
    word, colour = ("passed", PASSED_COLOUR) if passed else ("failed", FAILED_COLOUR)
    return f"<span class='tt-{word}' style='color: {colour}; font-weight: 700'>{word}</span>"


def report(results: list[CheckResult]):
    """The results as a marimo callout: green when all pass, with every failure's hint."""
    import marimo as mo

    lines = []
    for r in results:
        if r.passed:
            lines.append(f"- {mark(True)} **{r.name}**")
        else:
            hint = f"<br>*Hint:* {r.hint}" if r.hint else ""
            lines.append(f"- {mark(False)} **{r.name}**: {r.message}{hint}")
    passed = sum(r.passed for r in results)
    title = f"**{passed} / {len(results)} checks passed**"
    kind = "success" if passed == len(results) else ("warn" if passed else "danger")
    return mo.callout(mo.md(title + "\n\n" + "\n".join(lines)), kind=kind)


def solution(exercise: Exercise, label: str = "Reveal the solution"):
    """The reference solution, folded away until the learner opens it."""
    import marimo as mo

    return mo.accordion({label: mo.md(f"```python\n{exercise.solution_code().strip()}\n```")})


# The embed view (code hidden, for textbooks) cannot edit code, so checks that can only fail
# there are replaced by a link to the notebook. The site's embed pages carry a style that shows
# EMBED_ONLY and hides NOTEBOOK_ONLY (`wasm.page.EMBED_STYLE`); elsewhere EMBED_ONLY stays hidden.
EMBED_ONLY, NOTEBOOK_ONLY = "tt-embed-only", "tt-notebook-only"


def try_in_notebook(app: str):
    """The embed view's stand-in for an exercise: a link to the same app's notebook view."""
    import marimo as mo

    return mo.Html(f"<p class='{EMBED_ONLY}' style='display: none'><a href='../../notebooks/{app}/' "
                   "target='_blank' rel='noopener'>Try this exercise in the notebook</a>: "
                   "write the code there and its checks tell you what is right.</p>")


def feedback(exercise: Exercise, candidate: Callable, app: str | None = None):
    """What an app's check cell shows: every check's result, then the folded solution. For
    `app` (its file stem), the run is recorded in the learner's record (`recording.exercise`)
    and the embed view, where nothing can be edited, shows a link to the notebook instead."""
    import marimo as mo

    from tinytorch.course import recording

    results = exercise.run(candidate)
    if app is None:
        return mo.vstack([report(results), solution(exercise)])
    if mo.app_meta().mode == "run":  # `marimo run`: code hidden, nothing to edit, nothing to record
        return mo.Html(try_in_notebook(app).text.replace("style='display: none'", ""))
    recorded = recording.exercise(app, exercise, results)
    checked = mo.vstack([report(results), *([recorded] if recorded is not None else []), solution(exercise)])
    return mo.vstack([try_in_notebook(app), mo.Html(f"<div class='{NOTEBOOK_ONLY}'>{checked.text}</div>")])
