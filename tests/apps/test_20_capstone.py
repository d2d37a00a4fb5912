"""Module 20 submits the learner's optimized model to the real harness (its own process
natively, in-process in the browser) beside the event's two references, and records module 20
done only when a submission is scored. Quick runs train the references on 2,000 images (or one
GPT step), so nothing qualifies; the slow test uses the full references and qualifies."""

import json

import pytest

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS
from tinytorch.capstone import validate_result
from tinytorch.course import learner_record

APP = APPS / "20_capstone.py"
BUTTONS = {"baselines_button": Pressed(), "submit_button": Pressed()}


class Chosen:
    """Stands in for the event dropdown with `value` picked."""

    def __init__(self, value):
        self.value = value


@pytest.fixture
def progress_file(tmp_path, monkeypatch, capstone_cache):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv("TINYTORCH_CAPSTONE_CACHE", str(capstone_cache))
    return tmp_path / "progress.json"


def test_a_pruned_int8_submission_is_measured_beside_the_references(mnist_test, progress_file):
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    result, results = names["my_result"], names["olympics_results"]
    validate_result(result)
    assert result["isolation"] == "in-process" and result["event"] == "latency"  # as in the browser
    assert [r["submission"].split("-")[0] for r in names["reference_runs"]] == ["mnist_mlp_baseline",
                                                                                  "mnist_mlp_fast"]
    # the app's defaults: 50% pruned, int8, deflated: far fewer bytes than the float32 baseline
    baseline = names["reference_runs"][0]
    assert results["size_bytes"] < baseline["figures"]["size_bytes"]["value"] / 3
    assert results["score"] == result["figures"]["p90_latency_s"]["value"] > 0
    assert result["status"] == "not_qualified" and result["problem"]["kind"] == "accuracy_too_low"
    text = output_text(outputs)
    assert "Download the result" in text and "accuracy_too_low" in text and "Latency sprint" in text
    assert "Module 20 counts as done once a submission is scored" in text
    assert not progress_file.exists() or "module-20" not in learner_record.load()["read"]
    assert json.loads(names["olympics"].result_json(result)) == result


def test_the_generation_event_is_sized_and_says_so(progress_file):
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem] | {"event_choice": Chosen("generation")})
    result = names["my_result"]
    validate_result(result)
    assert result["settings"]["standard"] is False and result["settings"]["new_tokens"] == 20
    assert result["figures"]["tokens_per_s"]["value"] > 0
    assert result["problem"]["kind"] == "loss_too_high"  # one training step
    assert "sized: windows 4 of 64, new_tokens 20 of 200" in output_text(outputs)


@pytest.mark.slow  # trains the full references on a machine without them cached (minutes)
def test_a_scored_submission_marks_module_20_done(mnist_test, tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "progress.json"))
    defs = BUTTONS | {"budget": {"limit": None, "queries": 50, "sizes": None, "isolation": None}}
    tools = {"sparsity_slider": Chosen(0.0), "int8_box": Chosen(False), "compress_box": Chosen(False),
             "fused_box": Chosen(True), "cache_box": Chosen(False), "team_box": Chosen("testers")}
    _, names = run_app(APP, defs=defs | tools)
    assert names["my_result"]["status"] == "scored", names["my_result"]["problem"]
    assert names["olympics_results"]["ratio_to_baseline"] > 0
    assert "module-20" in learner_record.load()["read"]
