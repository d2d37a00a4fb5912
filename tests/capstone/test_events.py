"""Events: what each serves, how it ranks, and the ratio the all-around score is made of."""

import numpy as np
import pytest

from tinytorch import datasets
from tinytorch.capstone.events import EVENTS, get_event


def test_each_event_ranks_by_a_figure_the_harness_measures():
    measured = {"accuracy", "p90_latency_s", "size_bytes"}
    for event in EVENTS.values():
        assert event.metric in measured and event.better in ("lower", "higher")
        assert 0.1 < event.min_accuracy < 1 and event.queries >= 10
    assert get_event("vision").max_p90_latency_s == 0.010
    with pytest.raises(ValueError, match="no event 'sprint'; the events are latency"):
        get_event("sprint")


def test_ratios_are_above_one_when_better_in_either_direction():
    assert get_event("latency").ratio_to(1e-5, 4e-5) == pytest.approx(4.0)  # 4x faster
    assert get_event("vision").ratio_to(0.6, 0.5) == pytest.approx(1.2)    # 1.2x more accurate
    with pytest.raises(ValueError, match="positive"):
        get_event("lightweight").ratio_to(0, 100)


@pytest.mark.parametrize("event, shape", [("latency", (1, 28, 28)), ("vision", (3, 32, 32))])
def test_tasks_serve_float_images_in_unit_range_and_keep_labels_apart(event, shape):
    try:
        inputs, labels = get_event(event).task.load()
    except datasets.DatasetError as error:
        pytest.skip(f"dataset not available ({error}): set TINYTORCH_DATA")
    assert inputs.shape == (10_000, *shape) and inputs.dtype == np.float32
    assert 0 <= inputs.min() and inputs.max() <= 1
    assert labels.shape == (10_000,) and set(np.unique(labels)) == set(range(10))
