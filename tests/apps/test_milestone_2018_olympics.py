"""Milestone 2018 runs the Olympics on the reference submissions through the real harness and
reports the board, the ratios and the native recipe beside; it records the milestone with the
CLI's figures. Quick runs train the references on 2,000 images (the GPT for one step): nothing
qualifies, and the record says so."""


from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS
from tinytorch.capstone import validate_result
from tinytorch.course import learner_record

APP = APPS / "milestone_2018_olympics.py"
BUTTONS = {"run_button": Pressed()}


def test_a_quick_olympics_reports_every_event_run_and_records_below_the_bar(mnist_test, tmp_path,
                                                                            monkeypatch, capstone_cache):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv("TINYTORCH_CAPSTONE_CACHE", str(capstone_cache))
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    board = names["olympics_board"]
    for result in board:
        validate_result(result)
    assert [(r["event"], r["team"]) for r in board] == [
        ("lightweight", "baseline"), ("lightweight", "reference"),
        ("generation", "baseline"), ("generation", "reference")]
    int8, baseline = board[1], board[0]
    assert int8["figures"]["size_bytes"]["value"] < baseline["figures"]["size_bytes"]["value"] / 5
    assert board[3]["settings"]["standard"] is False and board[3]["figures"]["tokens_per_s"]["value"] > 0
    results = names["results"]
    assert results["events_run"] == 2 and results["events_scored"] == 0 and results["all_around"] is None
    text = output_text(outputs)
    assert "python -m milestones.olympics_2018" in text and "no ratio: a reference did not qualify" in text
    recorded = learner_record.load()["milestones"]["milestone-2018"]
    assert recorded == {**recorded, "achieved": False, "figures": {"events_scored": 0}}
