"""Module 19 trains two MLPs, runs the harness on both (single-stream scenario, interleaved
timings), shows their distributions with intervals and says whether the difference is real,
with an A/A comparison beside it."""

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS

APP = APPS / "19_benchmarking.py"
BUTTONS = {"train_button": Pressed(), "measure_button": Pressed()}


def test_the_harness_measures_both_models_with_intervals_and_a_verdict():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    results, budget = names["results"], SETTINGS[APP.stem]["budget"]
    assert results["models"] == [f"MLP 64-{w}-10" for w in budget["widths"]]
    assert all(0 <= a <= 1 for a in results["accuracy"]) and results["accuracy"][1] > 0.5
    for accuracy, (low, high) in zip(results["accuracy"], results["accuracy_ci"], strict=True):
        assert low <= accuracy <= high
    for median, (low, high) in zip(results["median_us"], results["median_ci_us"], strict=True):
        assert low <= median <= high  # every interval holds its estimate
    assert results["ratio_ci"][0] <= results["ratio"] <= results["ratio_ci"][1]
    assert results["aa_ratio_ci"][0] <= results["aa_ratio"] <= results["aa_ratio_ci"][1]
    assert 0 < results["p_value"] <= 1 and 0 < results["aa_p_value"] <= 1
    assert results["speedup"] == 1 / results["ratio"]
    # the verdict is the harness's own rule, whatever the timings were
    assert results["significant"] == (results["p_value"] < 0.05
                                      and not results["ratio_ci"][0] <= 1 <= results["ratio_ci"][1])
    assert names["timings"][results["models"][0]].repeats == results["repeats"] >= 10
    # each timing spans enough calls to be 200 ticks of the clock; figures are per call
    assert results["timer_tick_us"] > 0 and results["calls_per_timing"] >= 1
    assert names["timings"][results["models"][0]].items == results["calls_per_timing"]
    text = output_text(outputs)
    assert "tt-results" in text and "A/A" in text and "single-stream" in text.lower()
