"""Checks of constructor arguments shared by layers, schedulers and loaders.

A size of 0 does not fail where it is given: `Linear(0, 2)` divides by zero in its
initialisation, `StepLR(step_size=0)` at its first step, a zero-sized layer trains nothing.
So every count is checked where it is given, and the error names the class and the argument.
"""

import numpy as np


def check_counts(owner: str, minimum: int = 1, **counts) -> None:
    """Each of `counts` (name=value) must be an integer >= `minimum` (bools are not counts)."""
    for name, value in counts.items():
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(f"{owner}: {name} must be an integer, got {value!r}")
        if value < minimum:
            raise ValueError(f"{owner}: {name} must be >= {minimum}, got {value}")
