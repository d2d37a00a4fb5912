"""The facts about marimo's browser runtime that the build hard-codes, checked against the
installed marimo: what its worker loads before a notebook runs."""

import re
from pathlib import Path

import pytest

from wasm.selfhost.resolve import WORKER_IMPORTS, WORKER_PACKAGES

marimo = pytest.importorskip("marimo", reason="marimo is not installed: pip install 'marimo==0.25.2'")


def worker_source() -> str:
    [worker] = (Path(marimo.__file__).parent / "_static" / "assets").glob("worker-*.js")
    return worker.read_text(encoding="utf-8")


def test_worker_packages_match_the_installed_marimo():
    [found] = [
        m["list"]
        for m in re.finditer(r"packages:\[(?P<list>[^\]]*)\]", worker_source())
        if "micropip" in m["list"]
    ]
    names = [n.strip("`'\" ") for n in found.split(",")]
    # the worker writes marimo-base through a helper function; every other name is literal
    assert {n.lower() for n in names if not n.endswith(")")} | {"marimo-base"} == set(WORKER_PACKAGES)


def test_worker_imports_match_the_installed_marimo():
    found = set(re.findall(r"e=`import (\w+)\\n\$\{e\}`", worker_source()))
    assert set(WORKER_IMPORTS) <= found
