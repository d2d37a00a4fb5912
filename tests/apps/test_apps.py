"""Every app runs top to bottom without a cell error, with its buttons unpressed and pressed
(then exposing what they measured as `results`), and passes `marimo check`."""

import subprocess
import sys

import pytest

from tests.apps.harness import APPS, Pressed, output_text, run_app, run_buttons
from tinytorch.course.progress import WAITING_CLASS

APP_FILES = sorted(APPS.glob("*.py"))


@pytest.fixture(params=APP_FILES, ids=[p.stem for p in APP_FILES])
def app_path(request):
    return request.param


def test_app_runs_without_cell_errors(app_path):
    outputs, defs = run_app(app_path)
    assert outputs, "the app produced no output"


def test_app_runs_with_every_button_pressed(app_path):
    _, defs = run_app(app_path)
    buttons = run_buttons(defs)
    if not buttons:
        pytest.skip("this app has no run buttons")
    outputs, defs = run_app(app_path, defs={name: Pressed() for name in buttons} | quick_settings(app_path))
    assert WAITING_CLASS not in output_text(outputs), "a button-gated cell did not run"
    if defs.get("mnist_error"):
        return  # the 1986 app cannot train without MNIST (tests/apps/test_milestone_1986_mlp.py)
    # what its buttons measured, as values for tests and benchmarks (never scraped from the prose)
    # (`results`, or one `<thing>_results` per measurement in an app that measures several)
    measured = {name: value for name, value in defs.items()
                if name == "results" or name.endswith("_results")}
    assert measured, "no `results` after the buttons ran"
    for name, value in measured.items():
        assert isinstance(value, dict) and value, f"`{name}` is not a non-empty dict of figures"


def test_app_passes_marimo_check(app_path):
    result = subprocess.run([sys.executable, "-m", "marimo", "check", str(app_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def quick_settings(app_path) -> dict:
    """Smaller workloads for apps whose pressed buttons would train for minutes."""
    module = __import__("tests.apps.quick", fromlist=["SETTINGS"])
    return module.SETTINGS.get(app_path.stem, {})
