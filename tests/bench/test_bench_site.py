"""bench/bench_site.py --figures presses an app's buttons by label in Chromium and by name
natively, then reads a published results value by one of its keys: each entry of its table
must name buttons, labels, a results value and a key that the app really has, or the benchmark
would time out in the browser instead of saying what is wrong."""

import ast
import importlib.util
import sys

import pytest

from tests.conftest import REPO

pytest.importorskip("marimo", reason="bench_site.py runs the apps natively with marimo (not in Pyodide)")


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_site", REPO / "bench" / "bench_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


FIGURES = load_bench().FIGURES


def run_buttons(tree: ast.Module) -> dict[str, str]:
    """name -> label of every `name = mo.ui.run_button(label="...")` in an app."""
    found = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and ast.unparse(node.value.func) == "mo.ui.run_button"):
            label = {k.arg: k.value for k in node.value.keywords}["label"]
            found[node.targets[0].id] = label.value
    return found


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_entry_names_the_apps_own_buttons_and_results(name):
    figures = FIGURES[name]
    source = (REPO / "apps" / f"{figures.app}.py").read_text()
    tree = ast.parse(source)
    buttons = run_buttons(tree)
    assert [buttons.get(b) for b in figures.buttons] == list(figures.press)
    assigned = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    assert figures.results in assigned
    assert f'"{figures.key}"' in source
    assert f"published({figures.results})" in source


def test_repeated_first_visits_keep_the_median_visit_and_every_time():
    bench = load_bench()
    visits = [{"all_run_s": t, "timeline_s": {"runtime": t / 2}, "second_visit": {"all_run_s": t - 2}}
              for t in (9.1, 7.4, 8.0)] + [{"error": "timed out", "second_visit": {}}]
    row = bench._median_visit(visits)
    assert row["all_run_s"] == 9.1 and row["timeline_s"] == {"runtime": 4.55}  # one real visit, whole
    assert row["runs"] == {"all_run_s": [7.4, 8.0, 9.1, float("inf")],
                           "second_visit_all_run_s": [5.4, 6.0, 7.1, float("inf")]}
    assert "runs" not in bench._median_visit(visits[:1])
    table = bench.before_after([dict(row, page="embed/x/", before=visits[1])], "main")
    assert "| embed/x/ | - -> - | 7.4 -> 9.1 (7.4-inf) |" in table
