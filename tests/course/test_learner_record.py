"""The learner's record: the same document in the browser and on disk, written atomically,
and never a claimed result: only what the checks and the milestone's bar said."""

import json
import os
import sys

import pytest

from tinytorch.course import learner_record as lr


def test_a_new_learner_has_an_empty_record(tmp_path):
    assert lr.load(tmp_path / "none.json") == lr.empty()
    assert lr.loads("") == lr.empty()


def test_an_exercise_counts_only_when_every_check_passed():
    record = lr.record_exercise(lr.empty(), "05", "backward", passed=3, total=4, when="t1")
    assert lr.exercises_passed(record, "module-05") == []
    record = lr.record_exercise(record, "module-05", "backward", passed=4, total=4, when="t2")
    assert lr.exercises_passed(record, "05") == ["backward"]
    assert lr.is_done(record, "05", exercise_count=1)
    assert not lr.is_done(record, "05", exercise_count=2)


def test_the_latest_run_of_an_exercise_counts():
    record = lr.record_exercise(lr.empty(), "05", "backward", 4, 4)
    record = lr.record_exercise(record, "05", "backward", 2, 4)
    assert lr.exercises_passed(record, "05") == []


def test_recording_returns_a_new_record_and_leaves_the_old_one():
    before = lr.empty()
    lr.record_exercise(before, "05", "backward", 4, 4)
    assert before == lr.empty()


def test_a_worse_milestone_run_never_erases_an_achievement():
    record = lr.record_milestone(lr.empty(), "1986", {"test_accuracy": 0.962}, achieved=True, when="t1")
    record = lr.record_milestone(record, "1986", {"test_accuracy": 0.5}, achieved=False, when="t2")
    assert record["milestones"]["milestone-1986"]["figures"] == {"test_accuracy": 0.962}
    assert lr.is_done(record, "milestone-1986")


def test_a_run_below_the_bar_is_kept_until_the_milestone_is_achieved():
    record = lr.record_milestone(lr.empty(), "1986", {"test_accuracy": 0.5}, achieved=False)
    assert not lr.is_done(record, "1986")
    assert record["milestones"]["milestone-1986"]["figures"] == {"test_accuracy": 0.5}


def test_reading_only_modules_are_marked_read():
    record = lr.mark_read(lr.empty(), "01")
    assert lr.is_done(record, "module-01")


@pytest.mark.parametrize("call, message", [
    (lambda r: lr.record_exercise(r, "99", "x", 1, 1), "no course module"),
    (lambda r: lr.record_exercise(r, "05", "", 1, 1), "needs a name"),
    (lambda r: lr.record_exercise(r, "05", "x", 5, 4), "0..total"),
    (lambda r: lr.record_exercise(r, "05", "x", 0, 0), "total > 0"),
    (lambda r: lr.record_milestone(r, "1986", {"acc": float("nan")}, True), "finite"),
    (lambda r: lr.record_milestone(r, "1986", {"acc": "96%"}, True), "finite"),
])
def test_bad_entries_are_refused_by_name(call, message):
    with pytest.raises(lr.RecordError, match=message):
        call(lr.empty())


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"format": "other"}', "not a tinytorch progress record"),
    (json.dumps(lr.empty() | {"version": 2}), "version 2"),
    (json.dumps(lr.empty() | {"milestones": {"milestone-1986": {"achieved": "yes", "figures": {}}}}),
     "milestone-1986"),
])
def test_a_corrupt_record_is_an_error_naming_the_problem(tmp_path, text, message):
    path = tmp_path / "progress.json"
    path.write_text(text)
    with pytest.raises(lr.RecordError, match=message) as error:
        lr.load(path)
    assert str(path) in str(error.value)
    assert path.read_text() == text  # never silently replaced


def test_save_and_load_round_trip_through_the_file(tmp_path):
    path = tmp_path / "deep" / "progress.json"
    record = lr.record_milestone(lr.empty(), "1986", {"test_accuracy": 0.96}, True, when="t")
    lr.save(record, path)
    assert lr.load(path) == record
    assert lr.loads(lr.dumps(record)) == record


def test_a_failed_save_leaves_the_previous_record_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    lr.save(lr.mark_read(lr.empty(), "01"), path)
    before = path.read_text()

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        lr.save(lr.mark_read(lr.empty(), "02"), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


def test_update_applies_a_change_to_the_file(tmp_path):
    path = tmp_path / "progress.json"
    lr.update(lambda r: lr.mark_read(r, "01"), path)
    lr.update(lambda r: lr.record_exercise(r, "05", "backward", 4, 4), path)
    record = lr.load(path)
    assert lr.is_done(record, "01") and lr.exercises_passed(record, "05") == ["backward"]


def test_the_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "p.json"))
    assert lr.default_path() == tmp_path / "p.json"
    monkeypatch.delenv("TINYTORCH_PROGRESS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert lr.default_path() == tmp_path / "tinytorch" / "progress.json"
