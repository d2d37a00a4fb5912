"""What every module's exercise tests assert, written once.

A case is (exercise, app stem, name of the learner's function in the app, wrong answers).
The reference solution must pass every check and each typical wrong answer must fail at least
one; and the app's own check cells must say so: run with every solution substituted, each
exercise's report reads "N / N checks passed" and the learner's record has it passed; run with
the first wrong answers, none does, and the record has none passed.
"""

from collections import Counter

from tests.apps.harness import APPS, output_text, run_app
from tinytorch.course import learner_record
from tinytorch.course.checks import all_passed


def assert_solution_passes_and_wrong_answers_fail(exercise, wrong) -> None:
    assert all_passed(exercise.run(exercise.solution)), [
        (r.name, r.message) for r in exercise.run(exercise.solution) if not r.passed]
    for i, candidate in enumerate(wrong):
        assert not all_passed(exercise.run(candidate)), f"wrong answer {i} passes every check"


def assert_app_reports_the_learners_result(cases, app: str, defs: dict | None = None) -> None:
    """Run `app` with all its exercises solved, then with all of them wrong; `defs` adds
    other substitutions (e.g. smaller settings)."""
    cases = [case for case in cases if case[1] == app]
    wanted = Counter(len(exercise.checks) for exercise, *_ in cases)
    solved = output_text(run_app(APPS / f"{app}.py", defs={
        name: exercise.solution for exercise, _, name, _ in cases} | (defs or {}))[0])
    for n, count in wanted.items():
        assert solved.count(f"{n} / {n} checks passed") >= count, f"a solved exercise with {n} checks"
    names = sorted(exercise.name for exercise, *_ in cases)
    assert learner_record.exercises_passed(learner_record.load(), app) == names
    if app in ("milestone_1957_perceptron", "milestone_1969_xor"):  # their bar: every check passes
        year = app.split("_")[1]
        assert learner_record.load()["milestones"][f"milestone-{year}"]["figures"] == {"checks_passed": 1.0}
    broken = output_text(run_app(APPS / f"{app}.py", defs={
        name: wrong[0] for _, _, name, wrong in cases} | (defs or {}))[0])
    assert "checks passed" in broken
    for n in wanted:
        assert f"{n} / {n} checks passed" not in broken, f"a wrong answer passes all {n} checks"
    assert learner_record.exercises_passed(learner_record.load(), app) == []
