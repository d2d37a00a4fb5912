"""`tinytorch progress` shows what the record holds: exercises passed per module, milestones
with their figures and dates, and the next step from the course map."""

import json

from tests.cli.conftest import no_traceback
from tinytorch.course import learner_record


def save(tinytorch_cli, *changes):
    record = learner_record.empty()
    for change in changes:
        record = change(record)
    learner_record.save(record, tinytorch_cli.progress)


def test_a_new_learner_starts_at_01(tinytorch_cli):
    shown = tinytorch_cli("progress")
    assert shown.returncode == 0
    assert "exercises 0/2 passed" in shown.stdout
    assert shown.stdout.strip().splitlines()[-1] == ("Next: 01 Tensor (tinytorch edit 01, then "
                                                       "tinytorch check 01)")
    assert not tinytorch_cli.progress.exists(), "reading progress writes nothing"


def test_after_checks_and_a_milestone(tinytorch_cli):
    passed = {"module-01": ["BROADCAST", "STRIDES"], "module-02": ["SIGMOID", "SOFTMAX"]}
    done = [lambda r, k=k, n=n: learner_record.record_exercise(r, k, n, 3, 3)
            for k, names in passed.items() for n in names]
    save(tinytorch_cli, *done,
         lambda r: learner_record.record_exercise(r, "module-03", "LINEAR", 1, 4),
         lambda r: learner_record.record_milestone(r, "milestone-1986", {"test_accuracy": 0.9712}, True,
                                                   when="2026-11-29T10:00:00+00:00"),
         lambda r: learner_record.record_milestone(r, "milestone-2018", {"events_scored": 1,
                                                   "latency_p90_latency_s": 0.000412}, True))
    shown = tinytorch_cli("progress")
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if line.strip()}
    assert "exercises 2/2 passed" in lines["01"] and "exercises 0/2 passed" in lines["03"]
    assert "achieved: test accuracy 97.12% (2026-11-29); exercises 0/2 passed" in lines["1986"]
    assert "not achieved yet" in lines["1998"]
    assert "events scored 1, latency p90 latency 0.412 ms" in lines["2018"]
    assert "Next: 03 Layers" in shown.stdout


def test_json_prints_the_document(tinytorch_cli):
    save(tinytorch_cli, lambda r: learner_record.mark_read(r, "module-09"))
    shown = tinytorch_cli("progress", "--json")
    assert shown.returncode == 0
    assert learner_record.validate(json.loads(shown.stdout))["read"].keys() == {"module-09"}


def test_a_record_of_another_format_is_named(tinytorch_cli):
    tinytorch_cli.progress.write_text('{"format": "something-else"}')
    shown = tinytorch_cli("progress")
    assert shown.returncode == 1 and str(tinytorch_cli.progress) in shown.stderr
    assert "not a tinytorch progress record" in shown.stderr
    no_traceback(shown)
