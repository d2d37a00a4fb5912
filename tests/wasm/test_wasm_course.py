"""The real course site (every app in apps/, self-hosted, with the datasets) in headless
Chromium: every app shows the outputs the build pre-rendered before its own Python has run
anything, then runs to the end with no cell error and no request leaving 127.0.0.1, and the
1986 milestone trains on MNIST in the browser to >= 95% test accuracy.

Slow by nature (each page boots Pyodide: 15-30 s here), and the point of the course, so they
run by default. They skip, naming what is missing, without Chromium, Playwright or numpy's
Pyodide wheel (conftest.site_build_missing); the MNIST test also without TINYTORCH_DATA.
"""

import time
from pathlib import Path

import pytest

from tests.wasm import app_in_browser, browser
from wasm.apps import discover
from wasm.serve import serving

pytestmark = pytest.mark.browser

APPS = discover(Path(__file__).resolve().parents[2] / "apps")
MNIST_APP = "milestone_1986_mlp"


VIEWS = [
    pytest.param("embed", id="embed"),
    # The learner's full notebook: it runs every cell on open (the exercise stubs say "not
    # yet", they do not fail). Slow (about 20 s per app here) and the same cells as the embed
    # view, so only with `pytest -m slow`.
    pytest.param("notebooks", id="edit", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module")
def shared_browser(course_url):
    """One Chromium for every app's page (per test process), keeping its HTTP cache and its
    compiled-code cache between them, as a learner's browser does between the course's apps: the
    Pyodide runtime, marimo's frontend and the wheels are fetched and compiled once, not once per
    app. Its requests are watched rather than routed (routing turns the cache off); every test
    still sees every request of its own visit (`browser.Browser`, `cache`)."""
    with browser.Browser([course_url], cache=True) as b:
        yield b


# While Python starts, the loading message says so, in words (`wasm.page.OUTPUTS_SHOWN_NOTE`):
# once it does, the kernel's message count and the message, read at the same moment.
_SAYS_STARTING = ("() => { const box = document.getElementById('tt-loading'); "
                  "const text = box ? box.innerText : ''; "
                  "return text.includes('Python is still starting') && [window.__ttKernel.messages, text]; }")


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("app", APPS, ids=[a.stem for a in APPS])
def test_app_opens_and_runs_without_errors_offline(course_url, shared_browser, app, view, record_figure):
    b = shared_browser
    page = b.next_visit()
    t0 = time.perf_counter()
    page.goto(f"{course_url}{view}/{app.stem}/", wait_until="commit")
    browser.wait_for_output(page, None)
    shown = time.perf_counter() - t0
    if view == "embed":
        # pre-rendered by the build: shown before the browser's own kernel has said anything, and
        # the page says that Python is still starting (it does not look ready)
        assert browser.kernel_messages(page) == 0
        said = page.wait_for_function(_SAYS_STARTING, polling=250, timeout=20_000).json_value()
        assert said[0] == 0, f"the page said Python was starting after the kernel had spoken: {said}"
    finished = browser.wait_until_idle(page, since=t0)
    record_figure(f"{view}/{app.stem}/", f"first output {shown:.1f} s, every cell ran {finished:.1f} s "
                  f"after navigation, chromium {b.memory()}")
    assert browser.cell_errors(page, b.console) == []
    assert b.net.outside() == [], "requests left 127.0.0.1"
    assert b.net.failed == []
    # every package came from the lock file in one load, none through micropip (wasm.selfhost.mirror)
    assert not [line for line in b.console if "Loading from micropip" in line]
    # once Python runs, marimo's own page has replaced the build's copy, and the message is gone
    assert page.locator(".tt-prerendered, #tt-loading").count() == 0


def test_mnist_trains_in_the_browser_to_95_percent(course_url, course_site, record_figure):
    if not (course_site.path / "data" / "mnist").is_dir():
        pytest.skip("the site has no MNIST: set TINYTORCH_DATA to the data mirror (../shared/data) "
                    "when running the tests, so the build copies it")
    with browser.Browser([course_url]) as b:
        page = b.page()
        run = app_in_browser.run(page, course_url, MNIST_APP, key="test_accuracy")
        record_figure("1986 MNIST app in the browser (default settings)",
                      f"test accuracy {run.results['test_accuracy']:.2%}, training "
                      f"{run.results['train_seconds']:.1f} s (press to accuracy {run.wall_s:.1f} s), opened "
                      f"in {run.open_s:.1f} s, chromium {b.memory()}")
        assert run.results["test_accuracy"] >= 0.95
        assert browser.cell_errors(page, b.console) == []
        assert b.net.outside() == []


def test_a_stopped_mnist_run_is_graded_and_labelled_stopped_without_isolation(course_site, record_figure):
    """The run's own Stop button works where marimo's cannot (a host without cross-origin
    isolation), and the cells after training still grade the network, marked as stopped."""
    if why := browser.missing():
        pytest.skip(why)
    if not (course_site.path / "data" / "mnist").is_dir():
        pytest.skip("the site has no MNIST: set TINYTORCH_DATA to the data mirror (../shared/data)")
    with serving(course_site.path, isolation=False) as url, browser.Browser([url]) as b:
        page = b.page()
        run = app_in_browser.run(page, url, MNIST_APP, key="test_accuracy", stop_after_s=2)
        assert page.evaluate("crossOriginIsolated") is False
        done, total = run.results["batches_done"], run.results["batches_total"]
        record_figure("1986 MNIST app, stopped 2 s into training (no isolation)",
                      f"stopped after {done} of {total} batches, test accuracy "
                      f"{run.results['test_accuracy']:.2%}, press of Train to grade {run.wall_s:.1f} s")
        assert run.results["stopped"] and 0 < done < total
        # graded: a network trained for a few hundred batches reads digits
        assert run.results["test_accuracy"] > 0.5
        assert page.get_by_text("Stopped after").count() >= 1
        assert page.get_by_text("needs to be re-run").count() == 0
        assert browser.cell_errors(page, b.console) == []
        # view-only: the exercises offer the notebook instead of checks that cannot pass here
        assert page.get_by_text("Try this exercise in the notebook").first.is_visible()
        assert not page.get_by_text("checks passed").first.is_visible()
