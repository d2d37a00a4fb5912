"""The course's headline claim, measured: the 1986 milestone app trains an MLP on MNIST inside
the browser. Used by the browser test (which asserts the accuracy) and `bench/bench_site.py`
(which sets it beside the same run natively).

The page is driven as a learner drives it: wait for the notebook to finish opening, press
"Train" with the app's default settings, wait for the test accuracy, and read the figures the
app itself shows (its training time excludes loading the data and grading the test set).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from tests.wasm import browser

APP = "milestone_1986_mlp"
TRAIN_BUTTON = "Train"
ACCURACY = re.compile(r"Test accuracy: ([0-9.]+)%")
STOPPED = re.compile(r"Test accuracy: ([0-9.]+)% \(stopped after ([0-9,]+) of ([0-9,]+) batches\)")
TRAIN_TIME = re.compile(r"batches of \d+ in ([0-9.]+) s")


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
    # The accuracy is in a callout, whose text is in a shadow root: a Playwright text locator
    # reaches it, the outputs' innerText does not.
    result = page.get_by_text(ACCURACY).first
    result.wait_for(timeout=max(timeout_s - open_s, 1) * 1000)
    wall = time.perf_counter() - pressed
    accuracy = float(ACCURACY.search(result.inner_text()).group(1)) / 100
    seconds = float(TRAIN_TIME.search(browser.output_line(page, " batches of ")).group(1))
    if stopped := STOPPED.search(result.inner_text()):
        done, total = (int(stopped.group(i).replace(",", "")) for i in (2, 3))
        return BrowserRun(open_s, seconds, accuracy, wall, done, total)
    return BrowserRun(open_s, seconds, accuracy, wall)
