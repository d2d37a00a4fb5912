"""`tinytorch milestone run` runs the real recipe (here with the smallest budgets), shows a
progress bar, and records the measured figures with the verdict of the milestone's bar."""

import math

import pytest

from tests.cli.conftest import no_traceback


def test_list_names_every_milestone_with_its_bar(tinytorch_cli):
    shown = tinytorch_cli("milestone", "list")
    assert shown.returncode == 0
    for year in ("1957", "1969", "1986", "1998", "2017", "2018"):
        assert year in shown.stdout
    assert "MNIST test accuracy >= 95%" in shown.stdout
    assert "tinytorch milestone run 1998 --dataset cifar10" in shown.stdout


def test_a_quick_1986_run_records_its_figures_below_the_bar(tinytorch_cli, mnist_data):
    shown = tinytorch_cli("milestone", "run", "1986", "--quick")
    assert shown.returncode == 1, shown.stderr  # trained for seconds: the bar is not met
    assert "batches/s" in shown.stderr and "left" in shown.stderr  # the progress bar
    assert "bar MNIST test accuracy >= 95%: not met" in shown.stdout
    entry = tinytorch_cli.record()["milestones"]["milestone-1986"]
    assert entry["achieved"] is False
    assert 0.3 < entry["figures"]["test_accuracy"] < 0.95 and entry["figures"]["train_seconds"] > 0
    assert f"{entry['figures']['test_accuracy']:.2%}" in shown.stdout


def test_a_quick_2017_run_records_its_validation_loss(tinytorch_cli):
    shown = tinytorch_cli("milestone", "run", "2017", "--quick")  # the text ships inside tinytorch
    assert shown.returncode == 1
    assert "steps/s" in shown.stderr
    loss = tinytorch_cli.record()["milestones"]["milestone-2017"]["figures"]["moby_dick_val_loss"]
    assert 2.2 < loss < math.log(83) + 0.5


def test_1998_records_per_dataset(tinytorch_cli, mnist_data):
    shown = tinytorch_cli("milestone", "run", "1998", "--quick", "--limit", "128")
    assert shown.returncode == 1, shown.stderr
    figures = tinytorch_cli.record()["milestones"]["milestone-1998"]["figures"]
    assert set(figures) == {"mnist_test_accuracy", "mnist_train_seconds"}


@pytest.mark.parametrize("args, message", [
    (["1957"], "tinytorch check 1957"),
    (["2018"], "tinytorch olympics run"),
    (["1986", "--steps", "5"], "--steps does not apply to milestone 1986"),
    (["2017", "--dataset", "cifar10"], "--dataset does not apply"),
    (["1986", "--epochs", "0"], "--epochs must be at least 1"),
])
def test_usage_errors_say_what_to_do(tinytorch_cli, args, message):
    shown = tinytorch_cli("milestone", "run", *args)
    assert shown.returncode == 2 and message in shown.stderr
    no_traceback(shown)
    assert not tinytorch_cli.progress.exists()


def test_a_run_keeps_the_other_datasets_figures(tinytorch_cli, mnist_data):
    from tinytorch.course import learner_record

    earlier = learner_record.record_milestone(learner_record.empty(), "milestone-1998",
                                              {"cifar10_test_accuracy": 0.5}, False)
    learner_record.save(earlier, tinytorch_cli.progress)
    assert tinytorch_cli("milestone", "run", "1998", "--quick", "--limit", "128").returncode == 1
    figures = tinytorch_cli.record()["milestones"]["milestone-1998"]["figures"]
    assert figures["cifar10_test_accuracy"] == 0.5 and "mnist_test_accuracy" in figures


def test_missing_data_is_one_line_naming_it(tinytorch_cli, tmp_path):
    shown = tinytorch_cli("milestone", "run", "1986", "--quick",
                          env={"TINYTORCH_DATA": str(tmp_path), "TINYTORCH_CACHE": str(tmp_path)})
    assert shown.returncode == 1
    assert "tinytorch milestone: " in shown.stderr and "mnist" in shown.stderr
    no_traceback(shown)
