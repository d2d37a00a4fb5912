"""Results published in the page come back as the same values; what JSON cannot carry is refused."""

import html
import re

import pytest

from tinytorch.course import results


def test_published_results_read_back_the_same():
    figures = {"test_accuracy": 0.9612, "train_seconds": 41.5, "stopped": False, "label": "a \"quoted\" <b>"}
    element = results.published(figures).text
    assert "hidden" in element and results.RESULTS_CLASS in element
    attribute = re.search(r'data-results="([^"]*)"', element)[1]
    assert results.read(html.unescape(attribute)) == figures


@pytest.mark.parametrize("bad", [{"accuracy": float("nan")}, {"weights": object()}])
def test_what_json_cannot_carry_is_refused(bad):
    with pytest.raises(ValueError, match="results must be JSON"):
        results.published(bad)
