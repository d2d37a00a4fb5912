"""Recording from inside an app: natively into the progress file, in the browser through the
frame script `RECORD_JS`, which must keep the same document with the same rules as
`learner_record` (checked here by running it under Node against a stand-in localStorage)."""

import json
import shutil
import subprocess

import pytest

from tinytorch.course import learner_record as lr
from tinytorch.course import recording
from tinytorch.course.exercises import tensor

STRIDES = tensor.STRIDES


def stub(shape, dtype):
    raise NotImplementedError


def test_an_untouched_stub_records_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "p.json"))
    assert recording.exercise("01_tensor", STRIDES, STRIDES.run(stub)) is None
    assert not (tmp_path / "p.json").exists()


def test_a_passed_and_a_failed_run_are_recorded_natively(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "p.json"))
    shown = recording.exercise("01_tensor", STRIDES, STRIDES.run(STRIDES.solution))
    assert "Passed: recorded" in shown.text and str(tmp_path / "p.json") in shown.text
    assert lr.exercises_passed(lr.load(), "01") == ["STRIDES"]
    shown = recording.exercise("01_tensor", STRIDES, STRIDES.run(lambda shape, dtype: (0,)))
    assert "checks: recorded" in shown.text
    assert lr.exercises_passed(lr.load(), "01") == []


def test_a_milestone_records_its_figures_and_bad_figures_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "p.json"))
    shown = recording.milestone("milestone_1986_mlp", {"test_accuracy": 0.94})
    assert "Below the bar" in shown.text and not lr.is_done(lr.load(), "1986")
    shown = recording.milestone("milestone_1986_mlp", {"test_accuracy": 0.96})
    assert "Milestone achieved" in shown.text and lr.is_done(lr.load(), "1986")
    shown = recording.milestone("milestone_1986_mlp", {"test_accuracy": float("nan")})
    assert "Not recorded" in shown.text and "finite" in shown.text


def test_the_milestone_apps_record_by_the_command_lines_bars(tmp_path, monkeypatch):
    """1998 and 2017 in the browser are achieved by the same bars `tinytorch milestone run` uses."""
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "p.json"))
    recording.milestone("milestone_1998_cnn", {"mnist_test_accuracy": 0.9795})
    assert not lr.is_done(lr.load(), "1998")
    recording.milestone("milestone_2017_transformer", {"shakespeare_sonnets_val_loss": 2.14})
    assert lr.is_done(lr.load(), "2017")


def test_a_corrupt_progress_file_is_named_and_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    path.write_text("{broken")
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(path))
    shown = recording.exercise("01_tensor", STRIDES, STRIDES.run(STRIDES.solution))
    assert "Not recorded" in shown.text and "not valid JSON" in shown.text
    assert path.read_text() == "{broken"


def test_in_the_browser_a_frame_carries_the_change(monkeypatch):
    monkeypatch.setattr(recording, "in_browser", lambda: True)
    shown = recording.exercise("01_tensor", STRIDES, STRIDES.run(STRIDES.solution))
    assert "<iframe" in shown.text and "ttRecord.exercise(" in shown.text
    assert "module-01" in shown.text and "STRIDES" in shown.text


def run_js(calls: str, stored: str | None = None) -> dict:
    """Run `calls` after RECORD_JS with a stand-in localStorage; returns the stored text and any
    error message."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    key = json.dumps(recording.BROWSER_KEY)
    program = (
        "const store = {}; globalThis.localStorage = {getItem: (k) => k in store ? store[k] : null,"
        " setItem: (k, v) => { store[k] = String(v); }, removeItem: (k) => { delete store[k]; }};\n"
        + (f"store[{key}] = {json.dumps(stored)};\n" if stored is not None else "")
        + recording.RECORD_JS
        + f"\nlet error = null; try {{ {calls} }} catch (e) {{ error = e.message; }}\n"
        + f"console.log(JSON.stringify({{stored: store[{key}] ?? null, error}}));"
    )
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_the_browser_script_keeps_the_same_document_as_learner_record():
    calls = """
      ttRecord.exercise("module-05", "backward", 4, 4, "t1");
      ttRecord.exercise("module-05", "order", 2, 3, "t1");
      ttRecord.milestone("milestone-1986", {test_accuracy: 0.962}, true, "t2");
      ttRecord.milestone("milestone-1986", {test_accuracy: 0.5}, false, "t3");
      ttRecord.markRead("module-01", true, "t4");
      ttRecord.markRead("module-02", true, "t4");
      ttRecord.markRead("module-02", false, "t5");
    """
    stored = json.loads(run_js(calls)["stored"])
    expected = lr.record_exercise(lr.empty(), "05", "backward", 4, 4, when="t1")
    expected = lr.record_exercise(expected, "05", "order", 2, 3, when="t1")
    expected = lr.record_milestone(expected, "1986", {"test_accuracy": 0.962}, True, when="t2")
    expected = lr.record_milestone(expected, "1986", {"test_accuracy": 0.5}, False, when="t3")
    expected = lr.mark_read(expected, "01", when="t4")
    assert lr.validate(stored) == expected


@pytest.mark.parametrize("text, message", [
    ("{", "JSON"),
    ('{"format": "other"}', "not a tinytorch progress record"),
    (json.dumps(lr.empty() | {"version": 2}), "version 2"),
])
def test_the_browser_script_never_overwrites_a_corrupt_record(text, message):
    out = run_js('ttRecord.exercise("module-05", "backward", 4, 4, "t1");', stored=text)
    assert message in out["error"] and out["stored"] == text
