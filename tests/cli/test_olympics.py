"""`tinytorch olympics run` evaluates a submission with the capstone harness and writes its
result; `board` prints the leaderboard of result files. A submission that qualifies achieves
milestone 2018."""

import json
import textwrap

import pytest

import tinytorch
import tinytorch.nn as nn
from tests.cli.conftest import no_traceback

LINEAR = """
import tinytorch.nn as nn

TEAM = "testers"

def build_model(weights):
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    model.load_state_dict(weights)
    return model
"""


def submission(folder, source=LINEAR):
    """An untrained (seeded) linear model: it runs, and scores about chance."""
    folder.mkdir(parents=True)
    (folder / "submission.py").write_text(textwrap.dedent(source))
    tinytorch.manual_seed(0)
    tinytorch.save(nn.Sequential(nn.Flatten(), nn.Linear(784, 10)).state_dict(), folder / "weights.npz")
    return folder


def test_run_writes_the_result_and_board_ranks_it(tinytorch_cli, tmp_path, mnist_data):
    results = tmp_path / "results"
    shown = tinytorch_cli("olympics", "run", submission(tmp_path / "linear"), "--event", "lightweight",
                          "--queries", "20", "--out", results)
    assert shown.returncode == 1, shown.stderr  # untrained: below the event's 97% accuracy
    assert "lightweight: not qualified: accuracy_too_low" in shown.stdout
    result = json.loads((results / "lightweight-linear.json").read_text())
    assert result["team"] == "testers" and result["status"] == "not_qualified"
    assert f"{result['figures']['accuracy']['value']:.2%}" in shown.stdout
    entry = tinytorch_cli.record()["milestones"]["milestone-2018"]
    assert entry == {**entry, "achieved": False, "figures": {"events_scored": 0}}

    board = tinytorch_cli("olympics", "board", results, "--html", tmp_path / "board.html")
    assert board.returncode == 0
    assert "testers" in board.stdout and "|" in board.stdout  # a Markdown table
    assert "<table>" in (tmp_path / "board.html").read_text()


def test_a_broken_submission_fails_with_its_problem_named(tinytorch_cli, tmp_path, mnist_data):
    broken = submission(tmp_path / "broken", source="def build_model(weights):\n    return (\n")
    shown = tinytorch_cli("olympics", "run", broken, "--event", "latency", "--queries", "20",
                          "--out", tmp_path / "results")
    assert shown.returncode == 1
    assert "latency: failed: syntax_error" in shown.stdout
    no_traceback(shown)
    assert json.loads((tmp_path / "results" / "latency-broken.json").read_text())["status"] == "failed"


def test_usage_errors_and_bad_result_files(tinytorch_cli, tmp_path):
    assert tinytorch_cli("olympics", "run", tmp_path / "nope").returncode == 2
    assert tinytorch_cli("olympics", "run", tmp_path, "--event", "marathon").returncode == 2
    assert tinytorch_cli("olympics", "run", tmp_path, "--queries", "5").returncode == 2
    (tmp_path / "other.json").write_text('{"hello": 1}')
    shown = tinytorch_cli("olympics", "board", tmp_path / "other.json")
    assert shown.returncode == 1 and "other.json: not a capstone result" in shown.stderr
    no_traceback(shown)
    assert tinytorch_cli("olympics", "board", tmp_path / "missing").returncode == 2


@pytest.mark.slow  # reason: trains the reference submission on full MNIST when it is not cached (minutes)
def test_a_reference_submission_scores_and_achieves_2018(tinytorch_cli, tmp_path, mnist_data):
    from tinytorch.capstone import materialize

    shown = tinytorch_cli("olympics", "run", materialize("mnist_mlp_fast"), "--event", "latency",
                          "--queries", "50", "--out", tmp_path / "results", timeout=600)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "latency: scored" in shown.stdout
    entry = tinytorch_cli.record()["milestones"]["milestone-2018"]
    assert entry["achieved"] is True and entry["figures"]["latency_p90_latency_s"] > 0
