"""Milestone 2017 measured where the learner runs it: the app trains a character-level GPT
inside the browser. Used by the (slow) browser test and `bench/bench_site.py --transformer`,
which sets it beside the same run natively.

The page is driven as a learner drives it: wait for the notebook to finish opening, press
"Train" with the app's default settings, wait for the validation loss, and read the figures the
app itself shows (its training time includes grading, which it also reports apart).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from tests.wasm import browser

APP = "milestone_2017_transformer"
TRAIN_BUTTON = "Train"
VALIDATION = re.compile(r"Validation loss: ([0-9.]+) nats/char")
FIGURES = re.compile(r"after ([0-9,]+) steps in ([0-9]+) s: ([0-9]+) s of training \(([0-9.]+) steps/s, "
                     r"([0-9,]+) characters/s")
STOPPED = re.compile(r"\(stopped after ([0-9,]+) of ([0-9,]+) steps\)")
WORDS = re.compile(r"([0-9]+)% of their words")


@dataclass
class BrowserRun:
    open_s: float  # navigation until the notebook had finished running, before training
    val_loss: float  # nats per character on the validation text, as the app shows it
    steps: int
    seconds: float  # the run's time as the app shows it (training, grading and samples)
    train_s: float  # of which training
    steps_per_s: float
    chars_per_s: float
    real_word_share: float  # 0..1
    wall_s: float  # press of "Train" until the result was on the page
    stopped: bool


def train(page, base: str, timeout_s: float = 900, stop_after_s: float | None = None,
          view: str = "embed") -> BrowserRun:
    """Open the 2017 app on the site at `base`, train it with its defaults, read the figures.
    stop_after_s: press the run's own "Stop training" button that many seconds into training,
    unless it has finished by then."""
    open_s = browser.open_and_run(page, f"{base}{view}/{APP}/", timeout_s=timeout_s)
    pressed = time.perf_counter()
    page.get_by_role("button", name=TRAIN_BUTTON).click()
    if stop_after_s is not None:
        stop = page.frame_locator("iframe").get_by_role("button", name="Stop training")
        stop.wait_for(timeout=timeout_s * 1000)
        page.wait_for_timeout(stop_after_s * 1000)
        if page.get_by_text(VALIDATION).count() == 0:  # still training
            stop.click()
    # The figures are in a callout, whose text is in a shadow root: a Playwright text locator
    # reaches it, the outputs' innerText does not.
    result = page.get_by_text(VALIDATION).first
    result.wait_for(timeout=max(timeout_s - open_s, 1) * 1000)
    wall = time.perf_counter() - pressed
    heading = result.inner_text()
    figures = FIGURES.search(page.get_by_text(FIGURES).first.inner_text())
    words = WORDS.search(page.get_by_text(WORDS).first.inner_text())
    steps, seconds, train_s, steps_per_s, chars_per_s = (float(figures.group(i).replace(",", ""))
                                                         for i in range(1, 6))
    return BrowserRun(open_s, float(VALIDATION.search(heading).group(1)), int(steps), seconds, train_s,
                      steps_per_s, chars_per_s, int(words.group(1)) / 100, wall,
                      STOPPED.search(heading) is not None)
