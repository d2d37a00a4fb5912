"""The facts about marimo's browser runtime that the build hard-codes, checked against the
installed marimo: what its worker loads before a notebook runs."""

import re
from pathlib import Path

import pytest

from wasm.prerender import ROOT
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


def test_the_page_root_and_the_kernel_transport_are_as_the_site_expects():
    """What the site's pages rely on in marimo's frontend: the element React mounts into
    (`wasm.prerender` writes the build's text outputs into it), and the rpc messages that carry
    the kernel's output from its worker (`wasm.page.KERNEL_WATCH_SCRIPT` counts them)."""
    static = Path(marimo.__file__).parent / "_static"
    assert ROOT in (static / "index.html").read_text(encoding="utf-8")
    assert "Q.send.kernelMessage({message:e})" in worker_source()
    assert any("marimo-transport" in p.read_text(encoding="utf-8") for p in static.glob("assets/worker-*.js"))
