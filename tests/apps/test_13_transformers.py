"""Module 13 counts a block's weights, trains a small GPT, samples with temperature and top-k,
and measures what temperature does; a stopped run still samples, marked as stopped."""

from tests.apps.harness import APPS, Pressed, output_text, run_app, stopping_after
from tests.apps.quick import SETTINGS

APP = APPS / "13_transformers.py"
BUTTONS = {"train_button": Pressed(), "sweep_button": Pressed()}


def test_training_sampling_and_the_temperature_sweep_run():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    text = output_text(outputs)
    e = names["width_choice"].value
    assert names["block_results"]["weights"] == 12 * e * e + 13 * e == names["block"].num_parameters()
    assert names["training_results"]["steps"] == SETTINGS[APP.stem]["budget"]["steps"]
    assert names["training_results"]["val_loss"] < 4.5
    rows = names["sampling_results"]["rows"]
    assert [r["temperature"] for r in rows] == list(SETTINGS[APP.stem]["budget"]["temperatures"])
    assert all(0 <= r["real words"] <= 1 and 0 <= r["different words"] <= 1 for r in rows)
    assert "next-character distribution" in text


def test_a_stopped_run_still_writes_marked_stopped():
    """Stopped before the first validation (every 3rd step of 24): still graded and sampled."""
    defs = stopping_after(APP, 2)
    longer = {"budget": SETTINGS[APP.stem]["budget"] | {"steps": 24}}
    outputs, names = run_app(APP, defs=defs | BUTTONS | longer)
    text = output_text(outputs)
    assert names["training_results"]["steps"] == 2 and names["training_results"]["val_loss"] > 0
    assert "Stopped</strong> after 2 of 24" in text and "stopped early" in text
    assert "next-character distribution" in text
