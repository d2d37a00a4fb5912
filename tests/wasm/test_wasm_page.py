"""Rewriting an exported page's <marimo-wasm> attributes, and reading its embedded notebook code."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from wasm.page import (
    EMBED_STYLE,
    FIRST_VISIT_WAIT,
    KERNEL_WATCH_SCRIPT,
    OUTPUTS_SHOWN_NOTE,
    configure,
    decorate,
    mount_config,
    notebook_code,
    point_at_site,
    read_attributes,
    self_host_values,
    set_attributes,
)

# The shape marimo 0.25.2 writes (head of an html-wasm export).
CODE = "# /// script\n# dependencies = []\n# ///\nimport marimo\n"
PAGE = (
    '<head><link rel="stylesheet" href="./assets/index.css">\n  <marimo-wasm hidden=""></marimo-wasm>\n'
    f'<marimo-code hidden="">{quote(CODE)}</marimo-code></head><body></body>'
)


def test_set_attributes_adds_the_three_urls_and_keeps_hidden():
    values = self_host_values(Path("/site/notebooks/01_tensor"), Path("/site/pyodide"))
    out = set_attributes(PAGE, values)
    attrs = read_attributes(out)
    assert attrs == {
        "hidden": "",
        "data-pyodide-index-url": "../../pyodide/",
        "data-pyodide-lockfile-url": "../../pyodide/pyodide-lock.json",
        "data-pypi-index-url": "../../pyodide/simple/{package_name}/",
    }
    assert out.replace(out[out.index("<marimo-wasm") : out.index("</marimo-wasm>")], "") == PAGE.replace(
        PAGE[PAGE.index("<marimo-wasm") : PAGE.index("</marimo-wasm>")], ""
    )


def test_set_attributes_twice_replaces_instead_of_duplicating():
    once = set_attributes(PAGE, {"data-pyodide-index-url": "a/"})
    twice = set_attributes(once, {"data-pyodide-index-url": "b/"})
    assert twice.count("data-pyodide-index-url") == 1
    assert read_attributes(twice)["data-pyodide-index-url"] == "b/"


def test_values_are_html_escaped():
    out = set_attributes(PAGE, {"data-pypi-index-url": 'x"><script>'})
    assert "<script>" not in out.split("</marimo-wasm>")[0].split("<marimo-wasm")[1]
    assert read_attributes(out)["data-pypi-index-url"] == 'x"><script>'


def test_self_host_values_are_relative_so_the_site_works_under_any_prefix():
    values = self_host_values(Path("/srv/course/embed/x"), Path("/srv/course/pyodide"))
    assert all(v.startswith("../../pyodide/") for v in values.values())


def test_point_at_site_rewrites_the_file(tmp_path):
    page = tmp_path / "site" / "embed" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE)
    point_at_site(page, tmp_path / "site" / "pyodide")
    assert read_attributes(page.read_text())["data-pyodide-index-url"] == "../../pyodide/"


def test_notebook_code_is_decoded():
    assert notebook_code(PAGE) == CODE


def test_pages_that_are_not_marimo_exports_are_rejected():
    with pytest.raises(ValueError, match="marimo-wasm"):
        set_attributes("<html></html>", {})
    with pytest.raises(ValueError, match="marimo-code"):
        notebook_code("<html></html>")


MOUNTED = ('<html><head><title>t</title></head><body><div id="root"></div><script>'
           'Object.defineProperty(window, "__MARIMO_MOUNT_CONFIG__", {value: Object.freeze({"mode": "edit", '
           '"config": {"ai": {"enabled": true, "models": {}}, "runtime": {"auto_instantiate": false, '
           '"on_cell_change": "autorun"}}, "configOverrides": {}})});</script></body></html>')


def test_configure_runs_notebooks_on_open_and_hides_ai_keeping_the_rest():
    config = mount_config(configure(MOUNTED))
    assert config["runtime"] == {"auto_instantiate": True, "on_cell_change": "autorun"}
    assert config["ai"] == {"enabled": False, "models": {}}
    with pytest.raises(ValueError, match="no marimo mount config"):
        configure("<html><head></head><body></body></html>")


@pytest.mark.parametrize("view", ["edit", "embed"])
def test_decorate_adds_the_course_loading_message_and_the_embed_style(view):
    page = decorate(MOUNTED, view, "04 Losses", "the number that tells a model which way to move")
    banner = page[page.index('<div id="tt-loading"'):page.index("</div>", page.index('id="tt-loading"'))]
    assert "TinyTorch &middot; 04 Losses" in banner and "The number that tells" in banner
    assert f"{FIRST_VISIT_WAIT} the first time" in banner and 'href="../../"' in banner
    assert ("Ctrl+Enter" in banner) == (view == "edit")
    assert (EMBED_STYLE in page) == (view == "embed")
    # The notebook view's database clutter (SQL cell button, "Data sources" panel) is hidden.
    assert ('label === "SQL"' in page and 'label === "Data sources"' in page) == (view == "edit")
    assert mount_config(page)["runtime"]["auto_instantiate"] is True
    # the message does not vanish when pre-rendered outputs show: it says Python is still
    # starting until marimo's kernel (watched through the page's Worker) has said anything
    assert KERNEL_WATCH_SCRIPT in page and page.index(KERNEL_WATCH_SCRIPT) < page.index("var tick")
    assert json.dumps(OUTPUTS_SHOWN_NOTE) in page and "Python is still starting" in OUTPUTS_SHOWN_NOTE
    assert "kernel.messages > 0" in page
