"""The exercises of each course module: checks plus a reference solution, one file per module."""
