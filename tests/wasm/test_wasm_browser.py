"""The self-hosted fixture site in headless Chromium: it runs, a running cell can be stopped, and
it asks nothing of any host but 127.0.0.1. Slow (each notebook page starts Pyodide: 15-45 s
here), hence few tests.

Skips name what is missing: Playwright / Debian chromium (tests.wasm.browser.missing), or whatever
the site build needs (conftest.site_build_missing).
"""

import json
import tempfile
import time
from pathlib import Path

import pytest

from tests.wasm import browser
from tinytorch.course.recording import BROWSER_KEY
from wasm.landing import LEGACY_KEY
from wasm.serve import serving

pytestmark = pytest.mark.browser

EXPECTED = "FIXTURE_RESULT numpy=2.4.3 tinytorch=0.1.0 sum=66"


def test_full_notebook_runs_offline_and_a_running_cell_can_be_stopped(site_url, record_figure):
    with browser.Browser([site_url]) as b:
        page = b.page()
        t0 = time.perf_counter()
        page.goto(site_url + "notebooks/01_tensor/")
        browser.wait_for_output(page)
        shown = time.perf_counter() - t0
        assert browser.output_line(page).startswith("FIXTURE_RESULT numpy=")  # pre-rendered or live
        browser.wait_for_output(page, EXPECTED)  # the browser's own run: Pyodide's numpy
        record_figure("fixture edit view", f"first output {shown:.1f} s, the browser's own "
                      f"{time.perf_counter() - t0:.1f} s after navigation, chromium {b.memory()}")
        assert browser.output_line(page) == EXPECTED
        assert browser.cell_errors(page, b.console) == []
        assert b.net.outside() == [], "requests left 127.0.0.1"
        assert b.net.failed == []
        # The fixture's second cell loops until stopped; stopping needs cross-origin isolation.
        assert page.evaluate("crossOriginIsolated") is True
        assert stop_running_cell(page), "marimo's stop button did not interrupt the running cell"


def stop_running_cell(page, attempts: int = 6) -> bool:
    """Press marimo's stop button until a cell reports it was interrupted (True) or give up.

    A press that lands between two cells (the loop not started yet) stops nothing, as for a
    learner, who would press again.
    """
    for _ in range(attempts):
        page.locator('[data-testid="interrupt-button"]').click()
        try:
            page.get_by_text("This cell was interrupted").wait_for(timeout=10_000)
            return True
        except Exception:
            continue
    return False


def test_embed_view_works_in_an_iframe_of_another_site(site_url, record_figure):
    with tempfile.TemporaryDirectory() as tmp:
        host = Path(tmp)
        (host / "chapter.html").write_text(
            "<!DOCTYPE html><html><body><h1>A textbook chapter</h1>"
            f'<iframe id="nb" src="{site_url}embed/01_tensor/" width="100%" height="600" style="border:0" '
            'allow="cross-origin-isolated"></iframe></body></html>'
        )
        with serving(host, isolation=False) as textbook, browser.Browser([site_url, textbook]) as b:
            page = b.page()
            t0 = time.perf_counter()
            page.goto(textbook + "chapter.html")
            frame = page.frame(url=lambda u: "/embed/01_tensor/" in u)
            browser.wait_for_output(frame, EXPECTED)
            record_figure("fixture embed view in a cross-origin iframe", f"first output "
                          f"{time.perf_counter() - t0:.1f} s after navigation, chromium {b.memory()}")
            assert browser.output_line(frame) == EXPECTED
            assert browser.cell_errors(frame, b.console) == []
            assert frame.locator(".cm-content").count() == 0  # code hidden
            assert b.net.outside() == []


@pytest.mark.parametrize("view", [
    "embed",
    # the same check in the learner's notebook view: slow-marked to keep CI's default run under
    # 15 minutes (30-40 s a page; run with -m slow)
    pytest.param("notebooks", marks=pytest.mark.slow),
])
def test_a_failing_cell_is_reported(site_url, view):
    """The check every real app must pass (tests/wasm/test_wasm_course.py) sees a failure, in
    the embed view (run mode: a traceback in the console) and the edit view (a marked cell)."""
    with browser.Browser([site_url]) as b:
        page = b.page()
        browser.open_and_run(page, f"{site_url}{view}/broken/")
        errors = browser.cell_errors(page, b.console)
        assert any("BROKEN_FIXTURE fails on purpose" in e for e in errors), errors


def test_landing_page_remembers_progress(site_url):
    with browser.Browser([site_url]) as b:
        page = b.page()
        page.goto(site_url)
        item = page.locator('[data-key="module-01"]')
        assert item.locator("a", has_text="Open notebook").get_attribute("href") == "notebooks/01_tensor/"
        assert page.locator('[data-key="module-02"] .badge').inner_text() == "coming"
        item.locator("input[type=checkbox]").check()
        page.reload()
        assert page.locator('[data-key="module-01"] input[type=checkbox]').is_checked()
        assert "1 of 2 done" in page.locator('[data-progress="all"]').inner_text()
        assert "module-01" in json.loads(page.evaluate(f"localStorage.getItem({BROWSER_KEY!r})"))["read"]
        assert b.net.outside() == []


def test_landing_page_keeps_checkmarks_from_before_the_learner_record(site_url):
    """The course map's old "done" checkmarks (LEGACY_KEY) move into the record, never lost."""
    with browser.Browser([site_url]) as b:
        page = b.page()
        page.goto(site_url)
        page.evaluate(f"localStorage.setItem({LEGACY_KEY!r}, JSON.stringify("
                      "{'module-01': {done: true, opened: 1700000000000}}))")
        page.reload()
        assert page.locator('[data-key="module-01"] input[type=checkbox]').is_checked()
        assert "module-01" in json.loads(page.evaluate(f"localStorage.getItem({BROWSER_KEY!r})"))["read"]
        assert json.loads(page.evaluate(f"localStorage.getItem({LEGACY_KEY!r})")) == {
            "module-01": {"opened": 1700000000000}}
        page.locator('[data-key="module-01"] input[type=checkbox]').uncheck()
        page.reload()
        assert not page.locator('[data-key="module-01"] input[type=checkbox]').is_checked()


def test_embed_page_copy_button_says_what_it_did(site_url):
    with browser.Browser([site_url]) as b:
        page = b.page()
        page.goto(site_url + "embed.html")
        page.locator("button[data-copy]").first.click()
        status = page.locator("#snippet-0-status")
        page.wait_for_function("() => document.getElementById('snippet-0-status').textContent !== ''")
        # the clipboard, or (permission refused) the snippet selected for Ctrl+C
        said = status.inner_text()
        assert said in ("Copied to the clipboard.", "Selected: press Ctrl+C (Cmd+C on a Mac) to copy.")
        assert b.net.outside() == []
