"""Module 12 trains a small GPT, shows its attention on the learner's text, checks the causal
mask and measures attention's cost against sequence length; a stopped run still shows maps."""

from tests.apps.harness import APPS, Pressed, output_text, run_app, stopping_after
from tests.apps.quick import SETTINGS

APP = APPS / "12_attention.py"
BUTTONS = {"train_button": Pressed(), "measure_button": Pressed()}


def test_maps_are_causal_and_the_sweep_grows_with_length():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    text = output_text(outputs)
    assert names["attention_results"]["max_weight_on_later_characters"] == 0.0
    assert names["maps"].shape[:2] == (2, 4) and "head 4" in text
    rows = names["scaling_results"]["rows"]
    assert [r["length"] for r in rows] == list(SETTINGS[APP.stem]["budget"]["lengths"])
    assert rows[-1]["bytes"] > rows[0]["bytes"]
    assert 1.0 < names["scaling_results"]["memory_exponent"] < 3.0


def test_a_stopped_run_still_shows_its_attention_marked_stopped():
    defs = stopping_after(APP, 3)
    outputs, names = run_app(APP, defs=defs | BUTTONS | SETTINGS[APP.stem])
    text = output_text(outputs)
    assert names["training"].stopped and names["training"].done == 3
    assert "Stopped</strong> after 3 of " in text and "stopped early" in text and "head 1" in text
