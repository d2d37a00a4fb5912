"""A course app driven in headless Chromium as a learner drives it, with the figures it measured
read back as values. Used by the browser tests of the training milestones and by
`bench/bench_site.py`, which sets an app's browser figures beside the same notebook run natively.

The page is opened and left to finish running; the run buttons are pressed in order, each
after the work of the one before has finished; then the driver waits for the app's `results`
as its cell publishes them in the page (`tinytorch.course.results.published`), recognised by
one of their keys, so nothing parses numbers out of the prose around them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from tests.wasm import browser
from tinytorch.course.results import RESULTS_CLASS, read

STOP_BUTTON = "Stop training"  # the live-training display's own button (tinytorch.course.live)


@dataclass
class AppRun:
    results: dict  # the app's own `results`, as published by the cell that shows them
    open_s: float  # navigation until the notebook had finished running, before any press
    wall_s: float  # the last press until the results were on the page


def published(page, key: str):
    """The first published results in `page` that have `key`: a Playwright CSS locator pierces
    the open shadow roots marimo's outputs sit in (the outputs' innerText does not)."""
    return page.locator(f".{RESULTS_CLASS}[data-results*={json.dumps(json.dumps(key))}]").first


def run(page, base: str, app: str, press: tuple[str, ...] = ("Train",), *, key: str, view: str = "embed",
        timeout_s: float = 900, choose: str | None = None, stop_after_s: float | None = None) -> AppRun:
    """Open `app` on the site at `base` (`view`: "embed" or "notebooks"), pick the radio option
    labelled `choose` if given, press the buttons labelled `press` in order, and read the results
    that carry `key`. stop_after_s: press the run's own "Stop training" button (in a small frame
    of its own) that many seconds into the last press's work, unless the results are there by
    then."""
    open_s = browser.open_and_run(page, f"{base}{view}/{app}/", timeout_s=timeout_s)
    if choose is not None:
        page.get_by_label(choose).check()
        browser.wait_until_idle(page, timeout_s)
    for label in press[:-1]:
        page.get_by_role("button", name=label, exact=True).click()
        browser.wait_until_idle(page, timeout_s)
    pressed = time.perf_counter()
    page.get_by_role("button", name=press[-1], exact=True).click()
    results = published(page, key)
    if stop_after_s is not None:
        stop = page.frame_locator("iframe").get_by_role("button", name=STOP_BUTTON)
        stop.wait_for(timeout=timeout_s * 1000)
        page.wait_for_timeout(stop_after_s * 1000)
        if results.count() == 0:  # still running
            stop.click()
    results.wait_for(state="attached", timeout=max(timeout_s - open_s, 1) * 1000)
    return AppRun(read(results.get_attribute("data-results")), open_s, time.perf_counter() - pressed)
