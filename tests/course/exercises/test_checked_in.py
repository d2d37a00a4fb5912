"""Every check cell records under its own app, and under the name `tinytorch check` uses: the
course map counts an app's exercises from `IN_APPS`, the learner's record keeps them by name."""

import ast

import pytest

from tests.apps.harness import APPS
from tinytorch.course.course_map import APPS as COURSE_APPS
from tinytorch.course.exercises import IN_APPS


@pytest.mark.parametrize("stem", sorted(COURSE_APPS.values()))
def test_every_check_cell_records_under_its_app(stem):
    calls = [n for n in ast.walk(ast.parse((APPS / f"{stem}.py").read_text()))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "feedback"]
    for call in calls:
        app = {k.arg: k.value for k in call.keywords}.get("app")
        assert isinstance(app, ast.Constant) and app.value == stem, f"line {call.lineno}: app={stem!r}"


@pytest.mark.parametrize("key", sorted(IN_APPS))
def test_each_exercise_is_recorded_under_its_name_in_the_table(key):
    for item in IN_APPS[key]:
        assert item.load().name == item.exercise
