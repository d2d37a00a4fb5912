"""`tinytorch check NN` runs the exercises as written in a copy of the app: the reference
solution pasted in passes every check and is recorded; a wrong answer fails (exit 1) and the
failure is recorded too; code that does not even load fails every check, loudly."""

import ast
import shutil
import textwrap

import pytest

from tests.cli.conftest import no_traceback
from tests.conftest import REPO
from tinytorch.course import course_map
from tinytorch.course.exercises import IN_APPS


def with_code(source: str, name: str, code: str) -> str:
    """`source` (a marimo app) with the definition of `name` in its cell replaced by `code`."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name and node.col_offset == 4:
            first = node.lineno - 1 - len(node.decorator_list)
            new = textwrap.indent(textwrap.dedent(code).strip() + "\n", " " * node.col_offset)
            return "".join(lines[:first] + [new] + lines[node.end_lineno:])
    raise AssertionError(f"no cell defines {name}")


def solved(source: str, key: str, skip: tuple[str, ...] = ()) -> str:
    """The app with the reference solutions pasted in under the learner's names (but `skip`)."""
    for item in (i for i in IN_APPS[key] if i.learner_writes not in skip):
        solution = item.load().solution
        code = item.load().solution_code().replace(solution.__name__, item.learner_writes, 1)
        source = with_code(source, item.learner_writes, code)
    return source


@pytest.fixture
def autograd_app(tmp_path):
    return (REPO / "apps" / "05_autograd.py").read_text()


def test_the_solution_passes_and_is_recorded(tinytorch_cli, tmp_path, autograd_app):
    copy = tmp_path / "my_05.py"
    copy.write_text(solved(autograd_app, "module-05"))
    shown = tinytorch_cli("check", "05", "--file", copy)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "SILU_BACKWARD (MySiLU): 5/5 checks passed" in shown.stdout
    assert "passed  tinytorch.gradcheck agrees (finite differences)" in shown.stdout
    assert "failed" not in shown.stdout
    exercises = tinytorch_cli.record()["exercises"]["module-05"]
    assert {name: (r["passed"], r["total"]) for name, r in exercises.items()} == {
        "SILU_BACKWARD": (5, 5), "BACKWARD_ORDER": (4, 4)}


def test_a_wrong_answer_fails_and_the_failure_replaces_the_pass(tinytorch_cli, tmp_path, autograd_app):
    copy = tmp_path / "my_05.py"
    copy.write_text(solved(autograd_app, "module-05"))
    assert tinytorch_cli("check", "05", "--file", copy).returncode == 0
    forgot_the_product_rule = autograd_app.replace("raise NotImplementedError", "return grad * self.s", 1)
    copy.write_text(solved(forgot_the_product_rule, "module-05", skip=("MySiLU",)))
    shown = tinytorch_cli("check", "05", "--file", copy)
    assert shown.returncode == 1
    assert "failed  equals the gradient of tinytorch's own SiLU" in shown.stdout
    assert "hint: Use what forward saved: self.x and self.s." in shown.stdout
    assert "differs from the reference" in shown.stdout  # the check's own message
    record = tinytorch_cli.record()["exercises"]["module-05"]
    assert record["SILU_BACKWARD"]["passed"] < record["SILU_BACKWARD"]["total"] == 5
    assert record["BACKWARD_ORDER"]["passed"] == 4


def test_the_unedited_app_fails_with_not_implemented(tinytorch_cli):
    shown = tinytorch_cli("check", "01")  # the repository's own copy: the exercises are not done
    assert shown.returncode == 1
    assert "not implemented yet" in shown.stdout
    assert set(tinytorch_cli.record()["exercises"]["module-01"]) == {"BROADCAST", "STRIDES"}


def test_code_that_does_not_load_fails_every_check(tinytorch_cli, tmp_path, autograd_app):
    copy = tmp_path / "broken.py"
    copy.write_text(autograd_app.replace("raise NotImplementedError", "return grad *", 1))
    shown = tinytorch_cli("check", "05", "--file", copy)
    assert shown.returncode == 1
    assert "SyntaxError" in shown.stdout
    no_traceback(shown)
    record = tinytorch_cli.record()["exercises"]["module-05"]
    assert all(r["passed"] == 0 for r in record.values())


def test_a_cell_that_raises_fails_that_exercise_only(tinytorch_cli, tmp_path, autograd_app):
    copy = tmp_path / "raises.py"
    source = solved(autograd_app, "module-05")
    copy.write_text(with_code(source, "MySiLU", "class MySiLU(Function):\n    1 / 0\n"))
    shown = tinytorch_cli("check", "05", "--file", copy)
    assert shown.returncode == 1
    assert "could not run your `MySiLU`: ZeroDivisionError" in shown.stdout
    assert "BACKWARD_ORDER (backward_order): 4/4 checks passed" in shown.stdout


def test_milestone_apps_record_the_milestone_by_its_checks(tinytorch_cli, tmp_path):
    copy = tmp_path / "perceptron.py"
    copy.write_text(solved((REPO / "apps" / "milestone_1957_perceptron.py").read_text(), "milestone-1957"))
    assert tinytorch_cli("check", "1957", "--file", copy).returncode == 0
    assert tinytorch_cli.record()["milestones"]["milestone-1957"]["achieved"] is True


@pytest.mark.slow  # reason: about 5 s per app, a minute in all; one app runs in the default suite
@pytest.mark.parametrize("key", sorted(IN_APPS))
def test_every_app_passes_with_its_solutions_pasted_in(tinytorch_cli, tmp_path, key):
    from tinytorch.course import course_map

    entry = course_map.entry(key)
    copy = tmp_path / f"{entry.app}.py"
    copy.write_text(solved((REPO / "apps" / f"{entry.app}.py").read_text(), key))
    shown = tinytorch_cli("check", key, "--file", copy)
    assert shown.returncode == 0, shown.stdout + shown.stderr


def test_usage_errors(tinytorch_cli, tmp_path):
    unknown = tinytorch_cli("check", "42")
    assert unknown.returncode == 2 and "no course module or milestone '42'" in unknown.stderr
    without = next(e for e in course_map.path() if e.key not in IN_APPS and e.kind == "module")
    no_exercises = tinytorch_cli("check", str(without.number))
    assert no_exercises.returncode == 2 and "has no exercises to check" in no_exercises.stderr
    missing = tinytorch_cli("check", "05", "--file", tmp_path / "nope.py")
    assert missing.returncode == 2 and "nope.py" in missing.stderr
    for shown in (unknown, no_exercises, missing):
        no_traceback(shown)
    assert not tinytorch_cli.progress.exists()


def test_every_app_with_exercises_checks_from_a_copy_elsewhere(tinytorch_cli, tmp_path):
    """A learner's copy outside the repository still imports tinytorch and runs (one app here;
    every app's table entry is tested against the app in tests/course/exercises)."""
    copy = tmp_path / "elsewhere" / "mine.py"
    copy.parent.mkdir()
    shutil.copy(REPO / "apps" / "08_dataloader.py", copy)
    shown = tinytorch_cli("check", "08", "--file", copy, cwd=copy.parent)
    assert shown.returncode == 1 and "BATCH_INDICES (batch_indices): 0/" in shown.stdout
