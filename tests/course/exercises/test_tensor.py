"""Module 01's exercises: the reference solution passes every check, typical wrong answers
fail at least one, and the app's own check cell reports both outcomes."""

import numpy as np
import pytest

from tests.apps.harness import APPS, output_text, run_app
from tinytorch.course.checks import all_passed
from tinytorch.course.exercises import tensor

# (exercise, the app that uses it, the name of the learner's function, wrong answers)
CASES = [
    (tensor.BROADCAST, "01_tensor", "broadcast_shape", [
        lambda a, b: tuple(max(x, y) for x, y in zip(a, b, strict=False)),  # aligns at the left
        lambda a, b: np.broadcast_shapes(a, b)[:1],                          # truncates
        lambda a, b: tuple(np.maximum(np.ones(2, int), 1)),                  # ignores its input
    ]),
    (tensor.STRIDES, "01_tensor", "strides", [
        lambda shape, itemsize: tuple(itemsize for _ in shape),               # forgets the sizes
        lambda shape, itemsize: tuple(int(np.prod(shape[i + 1:])) for i in range(len(shape))),
    ]),
]
IDS = [f"{app}:{name}" for _, app, name, _ in CASES]


@pytest.mark.parametrize(("exercise", "app", "name", "wrong"), CASES, ids=IDS)
def test_solution_passes_and_wrong_answers_fail(exercise, app, name, wrong):
    assert all_passed(exercise.run(exercise.solution))
    for candidate in wrong:
        assert not all_passed(exercise.run(candidate))


@pytest.mark.parametrize(("exercise", "app", "name", "wrong"), CASES, ids=IDS)
def test_app_reports_the_learners_result(exercise, app, name, wrong):
    n = len(exercise.checks)
    solved = output_text(run_app(APPS / f"{app}.py", defs={name: exercise.solution})[0])
    assert f"{n} / {n} checks passed" in solved
    broken = output_text(run_app(APPS / f"{app}.py", defs={name: wrong[0]})[0])
    assert f"{n} / {n} checks passed" not in broken and "checks passed" in broken
