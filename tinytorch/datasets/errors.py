"""What the dataset loaders raise when something is wrong, and the argument check they share.

A loader that quietly returns half a dataset, or a crash deep inside NumPy's `reshape`, costs
a student an afternoon. So every failure is one of these named errors, and each message says
which file, what was expected and what was found, and what to do about it.
"""


class DatasetError(Exception):
    """Base class: catch this to handle any dataset problem in one place."""


class DatasetNotFoundError(DatasetError, FileNotFoundError):
    """No local copy of a dataset file, and every download failed (e.g. offline)."""


class ChecksumError(DatasetError, ValueError):
    """A file's content is not the published dataset (corrupt download, edited or wrong file)."""


class CorruptFileError(DatasetError, ValueError):
    """A file is cut short or is not in the format its name promises."""


class UnreadableFileError(DatasetError, OSError):
    """A local copy exists but cannot be read (permissions, a folder in its place, a disk error)."""


def check_choice(what: str, value, choices) -> None:
    """Raise a ValueError naming the valid choices when `value` is not one of them."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{what} must be one of {valid}; got {value!r}")
