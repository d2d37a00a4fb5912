"""Milestone 1986 trains an MLP on real MNIST. Without MNIST the app must still open and say
how to get it; with MNIST a quick run must train and grade, and (slow) the default settings
must reach 95% test accuracy natively, as they must in the browser."""

import pytest

from tests.apps.harness import APPS, Pressed, output_text, run_app, with_replaced
from tests.apps.quick import SETTINGS
from tinytorch import datasets
from tinytorch.course import learner_record, live

APP = APPS / "milestone_1986_mlp.py"
BUTTONS = {"train_button": Pressed(), "timing_button": Pressed()}


@pytest.fixture(scope="module")
def mnist():
    try:
        return datasets.load_mnist("train"), datasets.load_mnist("test")
    except datasets.DatasetError as error:
        pytest.skip(f"MNIST is not available ({type(error).__name__}): set TINYTORCH_DATA to a folder "
                    "holding mnist/*.gz to run this test")


def test_without_mnist_the_app_opens_and_names_tinytorch_data(no_datasets):
    for defs in ({}, BUTTONS | SETTINGS[APP.stem]):
        outputs, names = run_app(APP, defs=defs)
        text = output_text(outputs)
        assert "MNIST is not available" in text and "TINYTORCH_DATA" in text
        assert "results" not in names
    assert "µs per image" in text, "the timing measurement should run on random pixels without MNIST"


def test_a_quick_run_trains_grades_and_records_its_figures(mnist, tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTORCH_PROGRESS", str(tmp_path / "progress.json"))
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    text = output_text(outputs)
    results = names["results"]
    assert 0.8 <= results["test_accuracy"] <= 1.0, results
    assert results["train_seconds"] > 0 and not results["stopped"]
    assert "Test accuracy" in text and "confusion matrix" in text and "most confident mistakes" in text
    recorded = learner_record.load()["milestones"]["milestone-1986"]
    assert recorded["figures"]["test_accuracy"] == results["test_accuracy"]
    assert recorded["achieved"] == (results["test_accuracy"] >= 0.95)


def test_a_stopped_run_is_graded_and_labelled_stopped(mnist):
    """Stop mid-run (the live display's button, or marimo's ■, both end up as a stop request):
    the cells after training still grade the network, and every label says it was stopped."""

    class StopAtBatch5(live.LiveTraining):
        def on_batch_end(self, trainer, batch, loss):
            if self.done == 4:
                self.stop.request("Stop")
            super().on_batch_end(trainer, batch, loss)

    defs = with_replaced(APP, run_app(APP)[1], live=type(live)("stopping"))
    defs["live"].LiveTraining = StopAtBatch5
    outputs, names = run_app(APP, defs=defs | BUTTONS | SETTINGS[APP.stem])
    text = output_text(outputs)
    assert names["results"]["stopped"] and names["training"].done == 5
    assert "Stopped</strong> after 5 of " in text and "Trained" not in text
    assert "(stopped after 5 of " in text and "confusion matrix" in text and "most confident mistakes" in text


@pytest.mark.slow
def test_the_default_run_reaches_95_percent(mnist):
    outputs, names = run_app(APP, defs={"train_button": Pressed()})
    assert names["budget"]["epochs"] == 2 and names["budget"]["hidden"] == 128
    results = names["results"]
    print(f"default run: {results['test_accuracy']:.2%} test accuracy after {results['train_seconds']:.1f} s")
    assert results["test_accuracy"] >= 0.95
