"""Progress recorded from what the learner did, in headless Chromium on the real course site:
an exercise passed in the notebook view shows on the course map, a failing one does not.

The app's check cell runs in marimo's Pyodide worker, which has no localStorage; the record is
written by the check's same-origin frame (tinytorch.course.recording), which this proves works
in a real page, and read by the course map (wasm/landing.py)."""

import json

import pytest

from tests.wasm import browser
from tinytorch.course.exercises import tensor
from tinytorch.course.recording import BROWSER_KEY

pytestmark = pytest.mark.browser

PASSING = tensor.BROADCAST.solution_code().replace("def broadcast_shape_solution", "def broadcast_shape")
FAILING = "def strides(shape, itemsize):\n    return (itemsize,) * len(shape)\n"


def run_edited(page, defines: str, code: str) -> None:
    """Replace the code of the cell that defines `defines` and run it (Ctrl+Enter), as a learner does."""
    cell = page.locator(".cm-content", has_text=f"def {defines}(")
    cell.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)
    page.keyboard.press("Control+Enter")


def wait_for_record(page, name: str, timeout_s: float = 240) -> None:
    """Until the check cell's frame has recorded exercise `name` of module 01 (each cell's run
    waits for the one before it: a busy machine takes minutes, not seconds)."""
    try:
        page.wait_for_function(
            f"() => {{ const r = JSON.parse(localStorage.getItem({BROWSER_KEY!r}) || 'null');"
            f" return !!(r && r.exercises['module-01'] && r.exercises['module-01'][{name!r}]); }}",
            timeout=timeout_s * 1000)
    except Exception as error:
        raise AssertionError(f"{name} not recorded; the record is {recorded(page)}") from error


def recorded(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem({BROWSER_KEY!r})") or "null") or {}


def test_a_passed_exercise_shows_on_the_course_map_and_a_failing_one_does_not(course_url, record_figure):
    with browser.Browser([course_url]) as b:
        page = b.page()
        opened = browser.open_and_run(page, f"{course_url}notebooks/01_tensor/")
        assert recorded(page) == {}, "opening the notebook recorded the untouched exercises"
        for defines, code, name in (("broadcast_shape", PASSING, "BROADCAST"),
                                    ("strides", FAILING, "STRIDES")):
            run_edited(page, defines, code)
            wait_for_record(page, name)
        exercises = recorded(page)["exercises"]["module-01"]
        assert exercises["BROADCAST"]["passed"] == exercises["BROADCAST"]["total"]
        assert exercises["STRIDES"]["passed"] < exercises["STRIDES"]["total"]
        page.goto(course_url)
        item = page.locator('[data-key="module-01"]')
        assert item.locator(".did").inner_text() == "1 of 2 exercises passed"
        one = page.locator('[data-key="module-08"]')  # a module with one exercise
        assert one.locator(".did").inner_text() == "0 of 1 exercise passed"
        assert item.locator("input[type=checkbox]").count() == 0  # a module with exercises has no box
        assert "done" not in (item.get_attribute("class") or "").split()
        assert browser.cell_errors(page, b.console) == [] and b.net.outside() == []
        record_figure("progress: 01_tensor notebook opened", f"{opened:.1f} s")
