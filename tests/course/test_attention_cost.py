"""The attention cost sweep measures real passes, and the exponent fit recovers known powers."""

import numpy as np
import pytest

from tinytorch.course import attention_cost


def test_attention_step_runs_forward_and_backward_and_clears_gradients():
    step = attention_cost.attention_step(8, heads=2, head_dim=4)
    step()
    step()  # gradients are cleared, so repeated steps do not accumulate


def test_sweep_records_time_and_memory_per_length():
    rows = attention_cost.sweep([8, 16], heads=2, head_dim=4, repeat=1)
    assert [r["length"] for r in rows] == [8, 16]
    assert all(r["seconds"] > 0 and r["bytes"] > 0 for r in rows)
    assert [r["weights bytes"] for r in rows] == [4 * 2 * 64, 4 * 2 * 256]
    assert rows[1]["bytes"] > rows[0]["bytes"]


@pytest.mark.parametrize("power", [1.0, 2.0, 3.0])
def test_growth_exponent_recovers_a_power_law(power):
    rows = [{"length": n, "t": 5e-3 + (n / 64) ** power} for n in (1, 64, 128, 256, 512)]
    assert attention_cost.growth_exponent(rows, "t") == pytest.approx(power, abs=0.05)


def test_growth_exponent_uses_the_largest_sizes_whatever_the_order():
    rows = [{"length": n, "t": float(n) ** 2} for n in (512, 4, 256, 128)]
    assert attention_cost.growth_exponent(rows, "t", tail=3) == pytest.approx(2.0)
    assert np.isfinite(attention_cost.growth_exponent(rows[:2], "t", tail=2))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="positive sizes"):
        attention_cost.attention_step(0)
    with pytest.raises(ValueError, match="two or more sizes"):
        attention_cost.growth_exponent([{"length": 4, "t": 1.0}], "t")
