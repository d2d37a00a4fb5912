"""Milestone 2017 in headless Chromium from the self-hosted course site: the default run trains
a character-level GPT in the browser and reaches <= 2.2 nats/char on held-out text within three
minutes, with samples in which real words are measured (>= 20% of them); a run stopped with
its own button is graded and labelled stopped. Minutes each (the full in-browser run), so slow."""

import pytest

from tests.wasm import app_in_browser, browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP = "milestone_2017_transformer"


def test_the_2017_gpt_trains_in_the_browser_to_the_target(course_url, record_figure):
    with browser.Browser([course_url]) as b:
        page = b.page()
        r = app_in_browser.run(page, course_url, APP, key="val_loss").results
        record_figure("2017 GPT in the browser (default settings)",
                      f"validation {r['val_loss']:.3f} nats/char, {r['steps']} steps in {r['seconds']:.0f} s "
                      f"({r['train_seconds']:.0f} s training, {r['steps_per_second']:.2f} steps/s), "
                      f"{r['real_word_share']:.0%} real words, chromium {b.memory()}")
        assert browser.cell_errors(page, b.console) == []
        assert b.net.outside() == []
        assert not r["stopped"] and r["val_loss"] <= 2.2 and r["seconds"] <= 180
        assert r["real_word_share"] >= 0.2


def test_a_stopped_2017_run_is_graded_and_labelled_stopped(course_url):
    with browser.Browser([course_url]) as b:
        page = b.page()
        r = app_in_browser.run(page, course_url, APP, key="val_loss", stop_after_s=5).results
        assert r["stopped"] and 0 < r["steps"] < 450
        assert page.get_by_text("Stopped after").count() >= 1
        assert browser.cell_errors(page, b.console) == []
