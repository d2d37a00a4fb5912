"""What an app does when a dataset it needs is not there: load it if it can, and otherwise say
which dataset, which file, how to provide it, and what the loader said.

Why in the package: every app that trains on a real dataset must still open without it (a
fresh machine, a site built without that dataset) and tell the learner what to do, in the
same words; the loader's own message names the places it looked.
"""

from __future__ import annotations

from collections.abc import Callable


def try_load(load: Callable, *splits: str) -> tuple[list | None, str | None]:
    """`([load(split) for split in splits], None)`, or `(None, the loader's message)` when the
    dataset is unavailable (any `tinytorch.datasets.DatasetError`; other errors propagate)."""
    from tinytorch.datasets import DatasetError

    try:
        return [load(split) for split in splits], None
    except DatasetError as error:
        return None, str(error)


def missing_callout(dataset: str, files: str, error: str, on_the_site: str, kind: str = "danger"):
    """A marimo callout: `dataset` is not available; `files` (e.g. "`mnist/...gz` and its three
    siblings") is what `TINYTORCH_DATA` must hold; `on_the_site` says how the course site
    provides it; then the loader's `error` verbatim."""
    import marimo as mo

    return mo.callout(mo.md(f"""
**{dataset} is not available** here. On your machine, set the environment variable
**`TINYTORCH_DATA`** to a data folder holding {files} (or connect to the internet, and
tinytorch downloads and checks them). In the browser, {on_the_site}. What the loader said:

```text
{error}
```
"""), kind=kind)
