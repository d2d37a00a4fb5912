"""One seeded source of randomness for the whole framework.

Initialisation, dropout masks and data shuffling all draw from `default_generator()`, so
`manual_seed(0)` makes a whole training run repeat exactly, and a checkpoint that stores
`get_rng_state()` can resume a run as if it had never stopped.
"""

import json

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the framework's generator and return it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator() -> np.random.Generator:
    """The generator to draw from now (look it up each time: `manual_seed` replaces it)."""
    return _generator


def get_rng_state() -> str:
    """The generator's state as a JSON string, storable in an `.npz` without pickle."""
    return json.dumps(_generator.bit_generator.state)


def set_rng_state(state: str) -> None:
    _generator.bit_generator.state = json.loads(state)
