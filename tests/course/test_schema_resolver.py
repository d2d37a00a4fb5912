"""tinytorch.course.schema_resolver: with jsonschema older than 4.18 (the browser's), altair's
chart checks share one resolver per schema and thread, and report exactly what they reported
before. This machine's jsonschema is newer, so the old one's code path is forced: altair is told
the `referencing` library is missing, as it is in the browser."""

import threading
import warnings
from importlib import metadata

import altair as alt
import pytest

with warnings.catch_warnings():  # RefResolver is deprecated (not gone) since jsonschema 4.18
    warnings.simplefilter("ignore", DeprecationWarning)
    from jsonschema import RefResolver

from altair.utils import schemapi

from tinytorch.course import schema_resolver

# the old path goes through jsonschema's RefResolver, which newer versions mark deprecated
pytestmark = pytest.mark.filterwarnings("ignore:jsonschema.RefResolver is deprecated:DeprecationWarning")


@pytest.fixture
def old_jsonschema(monkeypatch):
    """jsonschema < 4.18 as altair and `schema_resolver` see it; RefResolver restored after."""
    monkeypatch.setattr(schema_resolver, "legacy_jsonschema", lambda: True)
    monkeypatch.setattr(schemapi, "_use_referencing_library", lambda: False)
    made = []  # resolvers the original from_schema made
    original = RefResolver.from_schema.__func__
    monkeypatch.setattr(RefResolver, "from_schema", classmethod(
        lambda cls, schema, *a, **k: made.append(original(cls, schema, *a, **k)) or made[-1]))
    return made


@pytest.mark.parametrize("version, old", [("4.17.3", True), ("3.2.0", True), ("4.18.0", False),
                                          ("4.26.0", False), (None, False)])
def test_only_jsonschema_before_4_18_counts_as_old(monkeypatch, version, old):
    def installed(name):
        if version is None:
            raise metadata.PackageNotFoundError(name)
        return version
    monkeypatch.setattr(metadata, "version", installed)
    assert schema_resolver.legacy_jsonschema() is old


def test_new_jsonschema_is_left_alone():
    assert not schema_resolver.legacy_jsonschema()  # this machine's
    before = RefResolver.__dict__["from_schema"]
    assert schema_resolver.share_schema_resolver() is False
    assert RefResolver.__dict__["from_schema"] is before


def test_one_resolver_per_schema_and_thread(old_jsonschema):
    assert schema_resolver.share_schema_resolver() and schema_resolver.share_schema_resolver()
    one, other = {"type": "object"}, {"type": "object"}
    first = RefResolver.from_schema(one)
    assert RefResolver.from_schema(one) is first  # installed twice, still one layer
    assert RefResolver.from_schema(other) is not first  # equal, but another object
    assert RefResolver.from_schema(one, id_of=lambda s: "") is not first  # other arguments: new
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(RefResolver.from_schema(one)))
    thread.start()
    thread.join()
    assert elsewhere[0] is not first
    assert len(old_jsonschema) == 4


def test_a_thread_keeps_a_few_schemas_not_all(old_jsonschema):
    schema_resolver.share_schema_resolver()
    schemas = [{"n": i} for i in range(schema_resolver.KEPT_PER_THREAD + 1)]
    first = RefResolver.from_schema(schemas[0])
    for schema in schemas[1:]:
        RefResolver.from_schema(schema)
    assert RefResolver.from_schema(schemas[0]) is not first  # the oldest made room


def _checks(make_chart):
    """What altair says of a chart: its spec, or the message of the error it raises."""
    try:
        return make_chart().to_dict()
    except Exception as e:  # noqa: BLE001 - the message is what is compared
        return f"{type(e).__name__}: {e}"


CHARTS = {
    "valid": lambda: alt.Chart(alt.Data(values=[{"a": 1, "b": 2}])).mark_line(point=True).encode(
        x=alt.X("a:Q", scale=alt.Scale(type="log")), y="b:Q", tooltip=["a:Q"]).properties(width=200),
    "bad property": lambda: alt.Chart(alt.Data(values=[])).mark_bar().properties(width="wide"),
    "bad channel": lambda: alt.Chart(alt.Data(values=[])).mark_bar().encode(
        x=alt.X("a:Q", bin="yes")),
}


@pytest.mark.parametrize("name", CHARTS)
def test_altair_says_the_same_with_one_resolver_as_with_many(old_jsonschema, name):
    before = _checks(CHARTS[name])
    assert len(old_jsonschema) > 1  # a resolver per check
    schema_resolver.share_schema_resolver()
    old_jsonschema.clear()
    assert _checks(CHARTS[name]) == before
    assert _checks(CHARTS[name]) == before
    assert isinstance(before, dict) == (name == "valid")
    assert len(old_jsonschema) == 1  # one for Vega-Lite's schema, in both runs
