"""An app's measured figures as values, for the tests and benchmarks that read them.

Natively, a test runs the app and reads its `results` (a dict of numbers) from the run's
definitions. In the browser, Python runs in a web worker a test cannot reach, so the cell that
shows the figures also carries them in the page: `published(results)` is a hidden element
whose `data-results` attribute is the same dict as JSON (`tests/wasm/app_in_browser.py` reads it),
so nothing has to parse numbers back out of the prose around them.
"""

from __future__ import annotations

import html
import json

RESULTS_CLASS = "tt-results"


def published(results: dict):
    """`results` as a hidden page element; a figure that is not JSON (NaN, an array) is an
    error here, not a surprise in the reader."""
    import marimo as mo

    try:
        text = json.dumps(results, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"results must be JSON numbers, strings and booleans: {error}") from None
    return mo.Html(f"<div class='{RESULTS_CLASS}' data-results=\"{html.escape(text, quote=True)}\" "
                   "hidden></div>")


def read(attribute: str) -> dict:
    """The results back from a published element's `data-results` attribute."""
    return json.loads(attribute)
