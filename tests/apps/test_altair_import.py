"""No app imports altair itself: each takes it from `tinytorch.course.charts.altair()`.

Why: importing altair builds a property setter for every Vega-Lite channel class, and each
resolves a reference in the 1.5 MB schema. With the browser's jsonschema (4.17) every one of those
resolutions indexed the whole schema again, unless `tinytorch.course` had already made them share
one resolver (`tinytorch.course.schema_resolver`): `import altair` took 0.75 s under Pyodide before
`tinytorch.course`, 0.30 s after. An app's import cell lists altair first (isort order), so the
apps that imported it themselves paid the slow import on every page load."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPS = sorted(REPO.glob("apps/*.py"))
IMPORT = re.compile(r"^\s*(?:import altair\b|from altair\b)", re.M)


@pytest.mark.parametrize("path", APPS, ids=[p.stem for p in APPS])
def test_app_takes_altair_from_the_course_charts(path):
    text = path.read_text()
    lines = [text.count("\n", 0, m.start()) + 1 for m in IMPORT.finditer(text)]
    assert not lines, (f"{path.name} imports altair itself at lines {lines}: use "
                       "`alt = charts.altair()` after importing tinytorch.course")


def test_the_charts_altair_is_altair():
    alt = pytest.importorskip("altair")
    from tinytorch.course import charts

    assert charts.altair() is alt
