"""The course map counts a module's exercises from its app's source (`exercises.checked_in`):
every check cell of every app must be one it can see, and must record under its own app."""

import ast

import pytest

from tests.apps.harness import APPS
from tinytorch.course.course_map import APPS as COURSE_APPS
from tinytorch.course.exercises import IN_APPS, checked_in, tensor


@pytest.mark.parametrize("stem", sorted(COURSE_APPS.values()))
def test_every_check_cell_is_counted_and_records_under_its_app(stem):
    source = (APPS / f"{stem}.py").read_text()
    calls = [n for n in ast.walk(ast.parse(source))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "feedback"]
    assert len(checked_in(source)) == len(calls)
    for call in calls:
        app = {k.arg: k.value for k in call.keywords}.get("app")
        assert isinstance(app, ast.Constant) and app.value == stem, f"line {call.lineno}: app={stem!r}"


def test_exercises_are_found_through_the_apps_import_alias():
    source = ("from tinytorch.course.exercises import tensor as ex\n"
              "checks.feedback(ex.STRIDES, f, app='01_tensor')\nother.feedback(unknown.X, f)\n")
    assert checked_in(source) == {"STRIDES": tensor.STRIDES}



@pytest.mark.parametrize("key", sorted(IN_APPS))
def test_each_exercise_is_recorded_under_its_name_in_the_command_lines_table(key):
    for item in IN_APPS[key]:
        assert item.load().name == item.exercise
