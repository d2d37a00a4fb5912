"""Milestone 2018 runs every event on the reference submissions end to end, on references
trained on a slice of the data (500 images; the GPT for one step): nothing qualifies then, and
the report says so by name. The full run's figures are in docs/capstone.md."""

import json
import re

from milestones import olympics_2018
from tinytorch.capstone.harness import load_results


def test_olympics_2018_runs_every_event_and_writes_results_and_leaderboard(needs, capsys, tmp_path):
    needs("mnist")
    needs("cifar-10")
    olympics_2018.main(["--limit", "500", "--queries", "20", "--generations", "3",
                        "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out")])
    text = capsys.readouterr().out
    assert "== Latency sprint" in text and "== Lightweight" in text and "== Vision" in text
    assert "== Generation: Moby Dick characters, ranked by tokens_per_s (higher is better)" in text
    for reference in ("mnist_mlp_baseline", "mnist_mlp_fast", "mnist_mlp_int8", "cifar_mlp_baseline",
                      "cifar_cnn_small"):
        assert re.search(rf"^{reference} +accuracy \d+\.\d+% \[", text, re.M), text
    for reference in ("moby_gpt_baseline", "moby_gpt_cached"):
        assert re.search(rf"^{reference} +val loss \d\.\d+ nats/char \[.*generation [\d.]+ chars/s \[",
                         text, re.M), text
    assert "not qualified (accuracy_too_low: accuracy" in text  # 500 training images: below 97%
    assert "not qualified (loss_too_high: validation loss" in text  # one training step
    assert "no ratio: a reference did not qualify" in text
    assert "all-around score of 'reference' against the baseline: " in text
    results = load_results(tmp_path / "out")
    assert {(r["event"], r["submission"].rsplit("-", 1)[0]) for r in results} == {
        ("latency", "mnist_mlp_baseline-limit500"), ("latency", "mnist_mlp_fast-limit500"),
        ("lightweight", "mnist_mlp_baseline-limit500"), ("lightweight", "mnist_mlp_int8-limit500"),
        ("vision", "cifar_mlp_baseline-limit500"), ("vision", "cifar_cnn_small-limit500"),
        ("generation", "moby_gpt_baseline-limit500"), ("generation", "moby_gpt_cached-limit500")}
    assert all(r["figures"]["p90_latency_s"]["queries"] == 20 for r in results if r["event"] != "generation")
    assert all(r["figures"]["tokens_per_s"]["queries"] == 3 for r in results if r["event"] == "generation")
    board = (tmp_path / "out" / "leaderboard.md").read_text()
    assert "## Latency sprint" in board and "## Generation" in board and "not qualified" in board
    assert json.loads((tmp_path / "out" / "latency-mnist_mlp_fast.json").read_text())["team"] == "reference"
