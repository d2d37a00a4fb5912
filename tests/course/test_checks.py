import numpy as np
import pytest

from tinytorch.course.checks import Check, all_passed, expect_close, expect_raises, run_checks


def test_every_check_runs_and_reports_its_own_outcome():
    checks = [
        Check("passes", lambda f: expect_close(f(2), 4)),
        Check("wrong value", lambda f: expect_close(f(3), 9), hint="square it"),
        Check("crashes", lambda f: f(None)),
    ]
    results = run_checks(checks, lambda x: x * 2)
    assert [r.passed for r in results] == [True, False, False]
    assert "got 6, expected 9" in results[1].message and results[1].hint == "square it"
    assert results[2].message.startswith("TypeError")
    assert not all_passed(results)


def test_not_implemented_is_reported_as_such():
    def todo(x):
        raise NotImplementedError

    assert run_checks([Check("c", lambda f: f(1))], todo)[0].message == "not implemented yet"


@pytest.mark.parametrize(
    ("actual", "message"),
    [(None, "forget to `return`"), (np.zeros(3), r"shape \(3,\), expected \(2,\)"),
     (np.array([1.0, 5.0]), r"index \(1,\) got 5.0, expected 2.0")],
)
def test_expect_close_messages_are_actionable(actual, message):
    with pytest.raises(AssertionError, match=message):
        expect_close(actual, np.array([1.0, 2.0]))


def test_expect_raises():
    expect_raises(ValueError, int, "x")
    with pytest.raises(AssertionError, match="returned 3 instead of raising ValueError"):
        expect_raises(ValueError, int, "3")


def test_marks_are_words_in_colour_not_emoji_alone():
    from tinytorch.course.checks import FAILED_COLOUR, PASSED_COLOUR, mark, report

    assert "passed" in mark(True) and PASSED_COLOUR in mark(True)
    assert "failed" in mark(False) and FAILED_COLOUR in mark(False)
    results = run_checks([Check("good", lambda f: None), Check("bad", lambda f: f(), hint="look")],
                         lambda: 1 / 0)
    text = report(results).text
    assert "tt-passed" in text and "tt-failed" in text and "Hint:" in text
    assert not any(ch in text for ch in "✅❌💡")


def test_feedback_offers_the_notebook_where_code_cannot_be_edited(monkeypatch):
    import marimo as mo

    from tinytorch.course import checks
    from tinytorch.course.exercises import tensor

    exercise = next(v for v in vars(tensor).values() if isinstance(v, checks.Exercise))
    both = checks.feedback(exercise, exercise.solution, app="01_tensor").text
    # The site's embed style shows the link and hides the checks; elsewhere the link is hidden.
    assert checks.EMBED_ONLY in both and checks.NOTEBOOK_ONLY in both
    assert "../../notebooks/01_tensor/" in both and "display: none" in both
    assert "checks passed" in both
    monkeypatch.setattr(mo, "app_meta", lambda: type("Meta", (), {"mode": "run"})())
    only_link = checks.feedback(exercise, exercise.solution, app="01_tensor").text
    assert "Try this exercise in the notebook" in only_link
    assert "checks passed" not in only_link and "display: none" not in only_link
