"""Rankings, the all-around geometric mean and both renderings, on results whose figures are
known, so every ratio can be checked by hand."""

import math

import pytest

from tinytorch.capstone.harness import validate_result
from tinytorch.capstone.leaderboard import (
    all_around,
    event_ratio,
    html_page,
    markdown,
    ranked,
    write_leaderboard,
)


def generation_result(team, chars_per_s):
    r = {"schema": "tinytorch.capstone.result/1", "event": "generation", "submission": f"{team}-gpt",
         "team": team, "created": "2026-11-30T08:00:00Z", "status": "scored", "problem": None,
         "figures": {"val_loss_nats": {"value": 1.9, "ci_low": 1.88, "ci_high": 1.92, "characters": 16384},
                     "tokens_per_s": {"value": chars_per_s, "ci_low": chars_per_s * 0.9,
                                      "ci_high": chars_per_s * 1.1},
                     "size_bytes": {"value": 500_000}},
         "score": {"metric": "tokens_per_s", "value": chars_per_s, "better": "higher"}, "system": {},
         "files": {"submission.py": {"sha256": "a" * 64, "bytes": 100},
                   "weights.npz": {"sha256": "b" * 64, "bytes": 499_900}}}
    validate_result(r)
    return r


def result(event, team, value, status="scored", submission=None, accuracy=0.98):
    metric = {"latency": "p90_latency_s", "lightweight": "size_bytes"}[event]
    figures = {"accuracy": {"value": accuracy, "ci_low": accuracy - 0.003, "ci_high": accuracy + 0.003,
                            "samples": 10000},
               "p90_latency_s": {"value": value if metric == "p90_latency_s" else 1e-4,
                                 "ci_low": (value if metric == "p90_latency_s" else 1e-4) * 0.9,
                                 "ci_high": (value if metric == "p90_latency_s" else 1e-4) * 1.1},
               "size_bytes": {"value": value if metric == "size_bytes" else 1000}}
    problem = None if status == "scored" else {"kind": "accuracy_too_low", "message": "accuracy 50.00% ..."}
    r = {"schema": "tinytorch.capstone.result/1", "event": event,
         "submission": submission or f"{team}-{event}",
         "team": team, "created": "2026-11-30T08:00:00Z", "status": status, "problem": problem,
         "figures": figures, "score": {"metric": metric, "value": value, "better": "lower"},
         "system": {"platform": "native", "machine": "x86_64", "cores": 2, "numpy": "2.3",
                    "blas": "openblas"},
         "files": {"submission.py": {"sha256": "a" * 64, "bytes": 100},
                   "weights.npz": {"sha256": f"{team:b<64}", "bytes": 900}}}
    validate_result(r)
    return r


RESULTS = [result("latency", "baseline", 4e-5), result("latency", "fast", 1e-5),
           result("lightweight", "baseline", 900_000), result("lightweight", "fast", 450_000),
           result("latency", "slowpoke", 8e-5),
           result("latency", "sloppy", 1e-6, status="not_qualified")]


def test_events_rank_scored_results_best_first():
    assert [r["team"] for r in ranked(RESULTS, "latency")] == ["fast", "baseline", "slowpoke"]


def test_ratio_to_baseline_with_a_conservative_interval():
    ratio, low, high = event_ratio("latency", RESULTS[1], RESULTS[0])
    assert ratio == pytest.approx(4.0)
    assert low == pytest.approx(4e-5 * 0.9 / 1.1e-5) and high == pytest.approx(4e-5 * 1.1 / 0.9e-5)
    assert event_ratio("lightweight", RESULTS[3], RESULTS[2]) == (2.0, 2.0, 2.0)  # sizes are exact


def test_all_around_is_the_geometric_mean_and_needs_every_event():
    rows = {row["team"]: row for row in all_around(RESULTS)}
    assert rows["fast"]["score"] == pytest.approx(math.sqrt(4.0 * 2.0))
    assert rows["baseline"]["score"] == pytest.approx(1.0)
    assert rows["slowpoke"]["score"] is None and len(rows["slowpoke"]["ratios"]) == 1
    assert rows["sloppy"]["score"] is None and rows["sloppy"]["ratios"] == {}  # not qualified: no ratio
    assert [row["team"] for row in all_around(RESULTS)][:2] == ["fast", "baseline"]


def test_markdown_and_html_show_rankings_problems_and_the_score(tmp_path):
    text = markdown(RESULTS)
    assert "| 1 | fast | fast-latency | 0.01 ms [0.009 ms, 0.011 ms] |" in text
    assert "not qualified | accuracy_too_low: accuracy 50.00% ..." in text
    assert "| 1 | fast | 2.83x [" in text and "not ranked: 1 of 2 events scored" in text
    page = html_page(RESULTS + [result("latency", "<script>", 2e-5)])
    assert "&lt;script&gt;" in page and "<script>" not in page
    md, html = write_leaderboard(RESULTS, tmp_path / "board")
    assert md.read_text() == text and html.read_text().startswith("<!doctype html>")


def test_generation_counts_in_the_all_around_as_characters_per_second_higher_is_better():
    results = RESULTS + [generation_result("baseline", 100.0), generation_result("fast", 500.0)]
    rows = {row["team"]: row for row in all_around(results)}
    assert rows["fast"]["ratios"]["generation"][0] == pytest.approx(5.0)
    assert rows["fast"]["score"] == pytest.approx((4.0 * 2.0 * 5.0) ** (1 / 3))
    text = markdown(results)
    assert ("## Generation: Moby Dick characters, tokens_per_s (higher is better; qualifies with "
            "validation loss <= 2.4 nats/char") in text
    assert "| 1 | fast | fast-gpt | 500 chars/s [450 chars/s, 550 chars/s] | 1.900 nats/char [1.880" in text


def test_a_browser_sized_result_is_never_compared_with_a_full_one_without_saying_so():
    sized = generation_result("fast", 900.0)
    sized["settings"] = {"window": 256, "windows": 16, "new_tokens": 50, "queries": 3, "standard": False}
    sized["submission"] = "fast-gpt-browser"
    validate_result(sized)
    full_baseline = generation_result("baseline", 100.0)
    with pytest.raises(ValueError, match="different settings"):
        event_ratio("generation", sized, full_baseline)
    rows = {row["team"]: row for row in all_around(RESULTS + [full_baseline, sized])}
    assert "generation" not in rows["fast"]["ratios"] and rows["fast"]["score"] is None
    text = markdown(RESULTS + [full_baseline, sized])
    assert "MIXED MEASUREMENTS" in text
    assert "| fast | fast-gpt-browser (sized: windows 16 of 64, new_tokens 50 of 200) |" in text
    sized_baseline = {**full_baseline, "settings": sized["settings"]}  # measured alike: compared
    rows = {row["team"]: row for row in all_around(RESULTS + [sized_baseline, sized])}
    assert rows["fast"]["ratios"]["generation"][0] == pytest.approx(9.0)
