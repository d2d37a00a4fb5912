"""In the browser's own Python (the course site's Pyodide and packages, under Node), altair checks
charts through one jsonschema resolver once tinytorch.course is imported: the browser has
jsonschema 4.17.3, where altair would otherwise build a resolver, and index the whole Vega-Lite
schema, for every check (tinytorch/course/schema_resolver.py says why that matters)."""

from tests.wasm import pyodide_site

THREE_CHARTS = """
import jsonschema
from tinytorch.course import charts, schema_resolver

made = []
make = jsonschema.RefResolver.__init__
jsonschema.RefResolver.__init__ = lambda self, *a, **k: made.append(1) or make(self, *a, **k)
for n in range(3):
    charts.line([{"x": i, "y": i * n} for i in range(5)], "x", "y", title=f"chart {n}").to_dict()
print(jsonschema.__version__, schema_resolver.legacy_jsonschema(), len(made))
"""


def test_the_browsers_altair_checks_three_charts_with_one_resolver(course_site, tmp_path):
    out = pyodide_site.printed(course_site.path, "tinytorch", THREE_CHARTS, tmp_path)
    version, legacy, resolvers = out.split()
    assert (legacy, resolvers) == ("True", "1"), f"jsonschema {version}: {out}"
