"""`IN_APPS` says what every app asks the learner to write: it must match the apps' own check
cells, which pass the learner's function to an `Exercise` (`checks.feedback(exercises.NAME,
fn, ...)` or `exercises.NAME.run(fn)`)."""

import ast

import pytest

from tests.conftest import REPO
from tinytorch.course import course_map
from tinytorch.course.checks import Exercise
from tinytorch.course.exercises import IN_APPS


def exercises_module(tree: ast.Module) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tinytorch.course.exercises":
            for alias in node.names:
                if alias.asname == "exercises":
                    return alias.name
    return None


def checked_in_app(tree: ast.Module) -> list[tuple[str, str]]:
    """(exercise name, learner's name) for every call that runs an exercise's checks."""
    def exercise_name(node) -> str | None:
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "exercises"):
            return node.attr
        return None

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 1:
            continue
        learner = node.args[1] if len(node.args) >= 2 else None
        if (name := exercise_name(node.args[0])) and isinstance(learner, ast.Name):
            found.append((node.lineno, name, node.args[1].id))  # checks.feedback(exercises.X, fn, ...)
        elif (isinstance(node.func, ast.Attribute) and node.func.attr == "run"
              and (name := exercise_name(node.func.value)) and isinstance(node.args[0], ast.Name)):
            found.append((node.lineno, name, node.args[0].id))  # exercises.X.run(fn)
    # once each, in the order the app first checks them (a milestone may rerun an exercise's
    # checks to decide whether it was achieved)
    return list(dict.fromkeys((name, writes) for _, name, writes in sorted(found)))


@pytest.mark.parametrize("key", sorted(course_map.APPS))
def test_the_table_matches_the_app(key):
    tree = ast.parse((REPO / "apps" / f"{course_map.APPS[key]}.py").read_text())
    module = exercises_module(tree)
    if module is None:
        assert key not in IN_APPS
        return
    listed = IN_APPS[key]
    assert {item.module for item in listed} == {module}
    assert [(item.exercise, item.learner_writes) for item in listed] == checked_in_app(tree)
    for item in listed:
        assert isinstance(item.load(), Exercise)


def test_the_table_names_only_apps_of_the_course_map():
    assert set(IN_APPS) <= set(course_map.APPS)
