"""Milestone 1998 trains a LeNet on real MNIST and a small CNN on CIFAR-10. Without the data
the app must still open and say how to get it; with it a quick run must train and grade
(test accuracy, confusion, mistakes, filters), a stopped run must be graded and labelled
stopped, and (slow) the default settings must reach 98% test accuracy natively, as they must
in the browser (tests/wasm/test_wasm_course.py)."""

import pytest

from tests.apps.harness import APPS, Pressed, output_text, run_app, stopping_after
from tests.apps.quick import SETTINGS
from tinytorch import datasets

APP = APPS / "milestone_1998_cnn.py"
QUICK = SETTINGS[APP.stem]
TRAIN = {"train_button": Pressed()}
CIFAR = {"cifar_button": Pressed()}


def _available(load, name):
    try:
        load("test")
    except datasets.DatasetError as error:
        pytest.skip(f"{name} is not available ({type(error).__name__}): set TINYTORCH_DATA to the data "
                    "mirror")


@pytest.fixture(scope="module")
def mnist():
    _available(datasets.load_mnist, "MNIST")


@pytest.fixture(scope="module")
def cifar():
    _available(datasets.load_cifar10, "CIFAR-10")


def test_without_data_the_app_opens_and_names_tinytorch_data(no_datasets):
    outputs, names = run_app(APP, defs=TRAIN | CIFAR | QUICK)
    text = output_text(outputs)
    assert "MNIST is not available" in text and "CIFAR-10 is not available" in text
    assert "TINYTORCH_DATA" in text and "--data all" in text
    assert "results" not in names and "cifar_results" not in names


def test_a_quick_run_trains_and_grades(mnist):
    outputs, names = run_app(APP, defs=TRAIN | QUICK)
    text = output_text(outputs)
    results = names["results"]
    assert 0.7 <= results["test_accuracy"] <= 1.0, results
    assert results["batches_done"] == results["batches_total"] and not results["stopped"]
    assert results["parameters"] == names["model"].num_parameters()
    for shown in ("Test accuracy", "confusion matrix (test set)", "most confident mistakes</strong> (of",
                  "first-layer filters, now", "its feature maps (after ReLU)"):
        assert shown in text, shown
    assert "cifar_results" not in names  # CIFAR-10 waits for its own button


def test_a_stopped_run_is_graded_and_labelled_stopped(mnist):
    outputs, names = run_app(APP, defs=stopping_after(APP, 5) | TRAIN | QUICK)
    text = output_text(outputs)
    assert names["results"]["stopped"] and names["results"]["batches_done"] == 5
    assert "Stopped</strong> after 5 of " in text and "(stopped after 5 of " in text
    assert "confusion matrix (test set)" in text and "most confident mistakes</strong> (of" in text


def test_cifar_on_a_small_budget_trains_and_is_graded_on_the_test_photos(cifar):
    outputs, names = run_app(APP, defs=CIFAR | QUICK)
    results = names["cifar_results"]
    budget = QUICK["cifar_budget"]
    assert results["test_photos"] == budget["test_samples"] and results["photos"] == budget["samples"]
    batches = -(-budget["samples"] // budget["batch_size"])
    assert results["batches_done"] == results["batches_total"] == batches
    assert 0.0 <= results["test_accuracy"] <= 1.0 and results["train_seconds"] > 0
    text = output_text(outputs)
    assert "CIFAR-10 test accuracy" in text and "82.14%" in text
    assert "milestones.cnn_1998 --dataset cifar10" in text


@pytest.mark.slow  # about 2 minutes of training natively on a quiet machine, far more on a busy one
def test_the_default_run_reaches_98_percent(mnist):
    _, names = run_app(APP, defs=TRAIN)
    assert names["budget"]["epochs"] == 2 and names["budget"]["filters"] == (6, 16)
    results = names["results"]
    print(f"default run: {results['test_accuracy']:.2%} after {results['train_seconds']:.1f} s")
    assert results["test_accuracy"] >= 0.98
