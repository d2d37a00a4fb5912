"""MLPerf-style scenarios (tinytorch/bench/scenarios.py): the harness computes accuracy."""

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.bench.scenarios import accuracy, offline, single_stream


def sign_classifier():
    """Class 1 when the first feature is positive, else class 0."""
    model = nn.Linear(2, 2)
    model.weight.data[...] = [[-1, 0], [1, 0]]
    model.bias.data[...] = 0
    return model


def held_out(n=10):
    inputs = np.zeros((n, 2), np.float32)
    inputs[:, 0] = np.where(np.arange(n) % 2, 1.0, -1.0)
    labels = (np.arange(n) % 2).astype(np.int64)
    labels[:3] = 1 - labels[:3]  # three answers will be wrong
    return inputs, labels


def test_accuracy_from_scores_or_class_ids_and_checked_shapes():
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), [1, 1]) == 0.5
    assert accuracy(tinytorch.tensor([2, 0, 1]), np.array([2, 0, 0])) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="3 predictions for 2 labels"):
        accuracy([0, 1, 2], [0, 1])


def test_single_stream_answers_one_query_at_a_time_and_scores_them():
    model = sign_classifier()
    inputs, labels = held_out()
    result = single_stream(model, inputs, labels, warmup=2)
    assert result.scenario == "single_stream" and result.samples == 10
    assert result.accuracy == pytest.approx(0.7)
    m = result.metrics
    assert m["queries"] == 10 and 0 < m["p50_latency_s"] <= m["p90_latency_s"] <= m["p99_latency_s"]
    assert model.training  # the mode is restored


def test_offline_batches_everything_and_handles_a_last_partial_batch():
    inputs, labels = held_out(11)
    result = offline(sign_classifier(), inputs, labels, batch_size=4)
    assert result.accuracy == pytest.approx(8 / 11) and result.samples == 11
    assert result.metrics["throughput_per_s"] > 0 and result.metrics["batch_size"] == 4
    assert "accuracy 72.73% on 11 samples" in str(result)


def test_any_callable_can_be_benchmarked():
    inputs, labels = held_out()
    always_one = lambda batch: np.ones(len(batch), np.int64)  # noqa: E731
    assert offline(always_one, inputs, labels).accuracy == pytest.approx(np.mean(labels == 1))


def test_bad_data_is_refused():
    inputs, labels = held_out()
    with pytest.raises(ValueError, match="10 inputs and 9 labels"):
        single_stream(sign_classifier(), inputs, labels[:9])
    with pytest.raises(ValueError, match="batch_size"):
        offline(sign_classifier(), inputs, labels, batch_size=0)
