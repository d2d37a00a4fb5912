"""The exercises of each course module: checks plus a reference solution, one file per module."""

from __future__ import annotations

import ast
import importlib

from tinytorch.course.checks import Exercise


def checked_in(source: str) -> dict[str, Exercise]:
    """The exercises an app's source checks with `checks.feedback(<module>.<EXERCISE>, ...)`,
    by name: the exercises the app records, which the course map counts.

    Why read the source: the course map is built without running any app, and the calls that
    record are what count, so an exercise module shared by two apps is counted where it is
    checked. The modules are the ones the app imports from this package
    (`from tinytorch.course.exercises import tensor as exercises`)."""
    tree = ast.parse(source)
    modules = {alias.asname or alias.name: f"{__name__}.{alias.name}"
               for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == __name__
               for alias in node.names}
    found: dict[str, Exercise] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "feedback" and node.args):
            continue
        first = node.args[0]
        if (isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name)
                and first.value.id in modules):
            exercise = getattr(importlib.import_module(modules[first.value.id]), first.attr)
            found[exercise.name] = exercise
    return found
