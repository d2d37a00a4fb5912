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
