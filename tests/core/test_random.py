import numpy as np

import tinytorch
from tinytorch.core.random import get_rng_state, set_rng_state


def test_manual_seed_repeats_draws():
    tinytorch.manual_seed(7)
    a = tinytorch.randn(5).numpy()
    tinytorch.manual_seed(7)
    np.testing.assert_array_equal(a, tinytorch.randn(5).numpy())


def test_rng_state_round_trips_as_a_string():
    state = get_rng_state()
    assert isinstance(state, str)
    a = tinytorch.rand(4).numpy()
    set_rng_state(state)
    np.testing.assert_array_equal(a, tinytorch.rand(4).numpy())
