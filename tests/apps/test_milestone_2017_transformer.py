"""Milestone 2017 trains a character-level GPT and grades it on held-out text; a stopped run is
graded and labelled stopped; (slow) the default run reaches the 2.2 nats/char target natively."""

import pytest

from tests.apps.harness import APPS, Pressed, output_text, run_app, stopping_after
from tests.apps.quick import SETTINGS

APP = APPS / "milestone_2017_transformer.py"
QUICK = {"train_button": Pressed()} | SETTINGS[APP.stem]


def test_a_quick_run_trains_grades_and_samples():
    outputs, names = run_app(APP, defs=QUICK)
    text = output_text(outputs)
    results = names["results"]
    assert results["steps"] == SETTINGS[APP.stem]["budget"]["steps"] and not results["stopped"]
    assert results["val_loss"] < names["corpus"].uniform_loss()
    assert 0 < results["train_seconds"] <= results["seconds"] and results["characters_per_second"] > 0
    assert "Validation loss:" in text and "Two samples" in text
    assert "validation loss against training time" in text
    assert len(names["samples"]) >= 2


def test_a_stopped_run_is_graded_and_labelled_stopped():
    """Stopped before its first grading (every 4th step of 40): the final model is graded."""
    defs = stopping_after(APP, 3)
    longer = {"budget": SETTINGS[APP.stem]["budget"] | {"steps": 40}}
    outputs, names = run_app(APP, defs=defs | QUICK | longer)
    text = output_text(outputs)
    assert names["results"]["stopped"] and names["results"]["steps"] == 3
    assert [s[0] for s in names["samples"]] == [3]
    assert "(stopped after 3 of 40 steps)" in text and "not met" in text


@pytest.mark.slow
def test_the_default_run_reaches_the_target_natively():
    _, names = run_app(APP, defs={"train_button": Pressed()})
    results = names["results"]
    print(f"default run natively: {results['val_loss']:.3f} nats/char after {results['steps']} steps, "
          f"{results['train_seconds']:.1f} s training, {results['real_word_share']:.0%} real words")
    assert results["val_loss"] <= 2.2 and results["real_word_share"] >= 0.2
