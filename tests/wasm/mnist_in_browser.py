"""The course's headline claim, measured: the 1986 milestone app trains an MLP on MNIST inside
the browser. Used by the browser test (which asserts the accuracy) and `bench/bench_site.py`
(which sets it beside the same run natively).

The page is driven as a learner drives it: wait for the notebook to finish opening, press
"Train" with the app's default settings, wait for the test accuracy, and read the figures the
app itself measured, as values: its `results`, which the grading cell publishes in the page
(`tinytorch.course.results`; the training time excludes loading the data and grading the test set).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tests.wasm import browser
from tinytorch.course.results import RESULTS_CLASS, read

APP = "milestone_1986_mlp"
TRAIN_BUTTON = "Train"


@dataclass
class BrowserRun:
    open_s: float  # navigation until the notebook had finished running, before training
    train_s: float  # the app's own training time
    accuracy: float  # test accuracy, 0..1
    wall_s: float  # press of "Train" until the accuracy was on the page
    stopped_at: int | None = None  # batches trained before the Stop button ended the run
    total_batches: int | None = None


def train(page, base: str, timeout_s: float = 600, stop_after_s: float | None = None,
          view: str = "embed", app: str = APP, run_option: str | None = None) -> BrowserRun:
    """Open the 1986 app, or another MNIST app that shows the same figures (`app`), on the site
    at `base` (`view`: "embed" or "notebooks"), train it, read the figures. run_option: the
    label of a run choice (a radio button) to pick before pressing Train. stop_after_s: press
    the run's own "Stop training" button that many seconds into training (it sits in a small
    frame of its own, see `tinytorch.course.live`)."""
    open_s = browser.open_and_run(page, f"{base}{view}/{app}/", timeout_s=timeout_s)
    if run_option is not None:
        page.get_by_label(run_option).check()
        browser.wait_until_idle(page, timeout_s)
    pressed = time.perf_counter()
    page.get_by_role("button", name=TRAIN_BUTTON).click()
    if stop_after_s is not None:
        stop = page.frame_locator("iframe").get_by_role("button", name="Stop training")
        stop.wait_for(timeout=timeout_s * 1000)
        page.wait_for_timeout(stop_after_s * 1000)
        stop.click()
    # The results sit in the grading cell's output, in a shadow root: a Playwright CSS locator
    # reaches it (it pierces open shadow roots), the outputs' innerText does not.
    published = page.locator(f".{RESULTS_CLASS}").first
    published.wait_for(state="attached", timeout=max(timeout_s - open_s, 1) * 1000)
    wall = time.perf_counter() - pressed
    results = read(published.get_attribute("data-results"))
    if results["stopped"]:
        return BrowserRun(open_s, results["train_seconds"], results["test_accuracy"], wall,
                          results["batches_done"], results["batches_total"])
    return BrowserRun(open_s, results["train_seconds"], results["test_accuracy"], wall)
