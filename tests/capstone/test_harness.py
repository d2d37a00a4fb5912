"""The harness scores what it measures and names what is wrong: one submission per kind of
badness, each evaluated both ways: in its own process like a real one, and in-process as in the
browser (the `run` fixture), with the same named problem."""

import functools
import hashlib
import textwrap

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.capstone.harness import evaluate, load_results, save_result, validate_result

LINEAR = """
import tinytorch.nn as nn

TEAM = "testers"

def build_model(weights):
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, {outputs}))
    model.load_state_dict(weights)
    {extra}
    return model
"""


@pytest.fixture(params=["process", "in-process"])
def run(request):
    """`evaluate` with one isolation: every rule must hold both ways."""
    return functools.partial(evaluate, isolation=request.param)


def make_submission(folder, source=None, outputs=10, extra="", weights=True):
    """A folder with a linear model's source and (untrained, seeded) weights."""
    folder.mkdir(parents=True, exist_ok=True)
    code = source if source is not None else LINEAR.format(outputs=outputs, extra=extra)
    (folder / "submission.py").write_text(textwrap.dedent(code))
    if weights:
        tinytorch.manual_seed(0)
        tinytorch.save(nn.Sequential(nn.Flatten(), nn.Linear(784, outputs)).state_dict(),
                       folder / "weights.npz")
    return folder


def problem(result):
    assert result["status"] == "failed" and result["score"] is None, result
    validate_result(result)
    return result["problem"]["kind"], result["problem"]["message"]


def test_a_valid_submission_is_measured_and_hashed(tmp_path, mnist_test):
    folder = make_submission(tmp_path / "linear")
    result = evaluate(folder, "latency", queries=50)
    validate_result(result)
    # untrained: measured, scored by the harness, and below the qualifying accuracy
    assert result["status"] == "not_qualified" and result["problem"]["kind"] == "accuracy_too_low"
    figures = result["figures"]
    assert figures["accuracy"]["samples"] == 10_000 and figures["accuracy"]["value"] < 0.5
    assert figures["accuracy"]["ci_low"] <= figures["accuracy"]["value"] <= figures["accuracy"]["ci_high"]
    assert figures["p90_latency_s"]["queries"] == 50
    p90 = figures["p90_latency_s"]
    assert p90["ci_low"] <= p90["value"] <= p90["ci_high"]
    for name in ("submission.py", "weights.npz"):
        data = (folder / name).read_bytes()
        assert result["files"][name] == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert figures["size_bytes"]["value"] == sum(f["bytes"] for f in result["files"].values())
    assert result["team"] == "testers" and result["score"]["metric"] == "p90_latency_s"
    assert result["system"]["blas_threads"] == "1"  # the runner's own system, one BLAS thread
    assert not list(folder.rglob("__pycache__")), "the harness leaves the submission folder as it was"


def test_the_accuracy_is_the_harness_own(tmp_path, mnist_test, run):
    """A submission that answers with the held-out labels' class ids as one-hot scores would be
    perfect; one whose weights give a constant class scores that class's share."""
    images, labels = mnist_test
    source = """
    import numpy as np

    def build_model(weights):
        scores = weights["scores"]
        return lambda batch: np.tile(scores, (len(batch), 1))
    """
    folder = make_submission(tmp_path / "constant", source, weights=False)
    np.savez(folder / "weights.npz", scores=np.eye(10, dtype=np.float32)[3])
    result = run(folder, "lightweight", queries=20)
    assert result["figures"]["accuracy"]["value"] == pytest.approx(np.mean(labels == 3))


@pytest.mark.parametrize("kind, source", [
    ("syntax_error", "def build_model(weights)\n    return None\n"),
    ("forbidden_import", "import socket\n\ndef build_model(weights):\n    return None\n"),
    ("forbidden_import", "from tinytorch.datasets import load_mnist\ndef build_model(weights):\n    pass\n"),
    ("no_build_model", "import numpy as np\n"),
])
def test_problems_found_before_running(tmp_path, kind, source, mnist_test, run):
    found, message = problem(run(make_submission(tmp_path / "s", source), "latency", queries=20))
    assert found == kind, message
    if kind == "syntax_error":
        assert "line 1" in message


def test_an_import_spelled_at_run_time_is_caught_even_when_the_submission_catches_it(tmp_path, mnist_test,
                                                                                   run):
    source = """
    def build_model(weights):
        try:
            __import__("soc" + "ket")
        except Exception:
            pass
        raise RuntimeError("never reached: the import was refused, and reported")
    """
    kind, message = problem(run(make_submission(tmp_path / "s", source), "latency", queries=20))
    assert kind == "forbidden_import" and "socket" in message


def test_a_network_attempt_through_an_allowed_module_is_refused(tmp_path, mnist_test, run):
    """NumPy's DataSource opens URLs, and swallows the error: the harness still reports it."""
    source = """
    import numpy as np

    def build_model(weights):
        np.lib.npyio.DataSource(".").open("http://127.0.0.1:9/labels.txt")
        return lambda batch: np.zeros((len(batch), 10))
    """
    kind, message = problem(run(make_submission(tmp_path / "s", source), "latency", queries=20))
    assert kind == "network" and "urllib.Request" in message


def test_reading_outside_the_folder_and_writing_are_refused(tmp_path, mnist_test, run):
    secret = tmp_path / "answers.txt"
    secret.write_text("7 2 1 0 4")
    read = f"""
    def build_model(weights):
        open({str(secret)!r}).read()
    """
    kind, message = problem(run(make_submission(tmp_path / "reads", read), "latency", queries=20))
    assert kind == "file_access" and "answers.txt" in message
    write = """
    def build_model(weights):
        open("notes.txt", "w").write("hello")
    """
    kind, message = problem(run(make_submission(tmp_path / "writes", write), "latency", queries=20))
    assert kind == "file_access" and "writing" in message


def test_an_infinite_loop_hits_the_time_limit(tmp_path, mnist_test):
    source = """
    def build_model(weights):
        while True:
            pass
    """
    kind, message = problem(evaluate(make_submission(tmp_path / "s", source), "latency", queries=20,
                                     time_limit_s=4))
    assert kind == "timeout" and "4 s" in message


def test_wrong_output_shape_and_non_finite_outputs(tmp_path, mnist_test, run):
    kind, message = problem(run(make_submission(tmp_path / "nine", outputs=9), "latency", queries=20))
    assert kind == "wrong_output_shape" and "(1, 9)" in message
    nan = make_submission(tmp_path / "nan", extra="model[1].bias.data[:] = float('nan')")
    assert problem(run(nan, "latency", queries=20))[0] == "non_finite_output"


def test_missing_and_corrupt_weights(tmp_path, mnist_test, run):
    no_weights = make_submission(tmp_path / "none", weights=False)
    kind, message = problem(run(no_weights, "latency", queries=20))
    assert kind == "missing_weights" and "weights.npz" in message
    corrupt = make_submission(tmp_path / "corrupt")
    corrupt.joinpath("weights.npz").write_bytes(b"PK\x03\x04 not really a zip")
    assert problem(run(corrupt, "latency", queries=20))[0] == "corrupt_weights"
    mismatched = make_submission(tmp_path / "mismatched")
    np.savez(mismatched / "weights.npz", other=np.zeros(3, dtype=np.float32))
    kind, message = problem(run(mismatched, "latency", queries=20))
    assert kind == "build_failed" and "build_model(weights) raised" in message


def test_weights_carrying_the_test_set_are_refused(tmp_path, mnist_test, run):
    images, labels = mnist_test
    with_images = make_submission(tmp_path / "images")
    np.savez(with_images / "weights.npz", lookup=images[100:200].copy())
    kind, message = problem(run(with_images, "latency", queries=20))
    assert kind == "test_data_inside" and "images" in message
    with_labels = make_submission(tmp_path / "labels")
    np.savez(with_labels / "weights.npz", answers=labels[500:2000].astype(np.float32))
    kind, message = problem(run(with_labels, "latency", queries=20))
    assert kind == "test_data_inside" and "labels" in message


def test_a_crashing_process_and_a_missing_folder_are_named(tmp_path, mnist_test):
    folder = make_submission(tmp_path / "s")
    assert problem(evaluate(folder, "latency", queries=20, python="/bin/false"))[0] == "crashed"
    assert problem(evaluate(tmp_path / "nowhere", "latency", queries=20))[0] == "missing_folder"


def test_results_round_trip_and_a_corrupt_file_is_named(tmp_path):
    result = {"schema": "tinytorch.capstone.result/1", "event": "latency", "submission": "s",
              "team": "t", "created": "2026-11-30T08:00:00Z", "status": "failed",
              "problem": {"kind": "timeout", "message": "too long"}, "figures": {}, "score": None,
              "system": {}, "files": {}}
    save_result(result, tmp_path / "results" / "a.json")
    assert load_results(tmp_path / "results") == [result]
    (tmp_path / "results" / "b.json").write_text('{"schema": "something else"}')
    with pytest.raises(ValueError, match="b.json"):
        load_results(tmp_path / "results")
    with pytest.raises(ValueError, match="status"):
        validate_result({**result, "status": "great"})



def test_a_submission_evaluated_in_process_gets_the_same_result_as_in_its_own_process(tmp_path, mnist_test):
    """The browser's path: the same answers, so the same accuracy, qualification and problem;
    the result says how it was isolated, and the guard is disarmed afterwards (this process can
    still write files and import what it likes)."""
    import builtins

    folder = make_submission(tmp_path / "linear")
    importer = builtins.__import__
    alone, shared = (evaluate(folder, "lightweight", queries=20, isolation=i)
                     for i in ("process", "in-process"))
    validate_result(shared)
    assert (alone["isolation"], shared["isolation"]) == ("process", "in-process")
    assert shared["figures"]["accuracy"] == alone["figures"]["accuracy"]
    assert shared["figures"]["size_bytes"] == alone["figures"]["size_bytes"]
    assert (shared["status"], shared["problem"]) == (alone["status"], alone["problem"])
    assert shared["settings"] == alone["settings"] == {"queries": 20, "standard": True}
    assert builtins.__import__ is importer
    (tmp_path / "after.txt").write_text("the guard is disarmed")
    with pytest.raises(ValueError, match="isolation"):
        evaluate(folder, "latency", isolation="thread")


def test_the_guard_ignores_other_threads_and_refuses_a_second_arming(tmp_path):
    """Under `marimo edit` the kernel's own threads write while a submission runs in-process:
    only the thread that armed the guard is the submission's."""
    import threading

    from tinytorch.capstone.rules import Guard

    guard = Guard(tmp_path)
    guard.install()
    try:
        with pytest.raises(RuntimeError, match="armed"):
            Guard(tmp_path).install()
        writer = threading.Thread(target=lambda: (tmp_path.parent / "other-thread.txt").write_text("ok"))
        writer.start()
        writer.join()
        with pytest.raises(Exception, match="writing"):
            open(tmp_path.parent / "same-thread.txt", "w")
    finally:
        guard.uninstall()
    assert (tmp_path.parent / "other-thread.txt").read_text() == "ok"
    assert [v.kind for v in guard.violations] == ["file_access"]
