"""The self-hosted site built from fixtures/apps/, checked without a browser (see conftest)."""

import json
import re
import urllib.request
import zipfile
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest

from wasm import script_header
from wasm.page import EMBED_STYLE, mount_config, notebook_code, read_attributes
from wasm.prerender import snapshot
from wasm.selfhost.lockfile import verify_lock
from wasm.serve import serving
from wasm.site import BUILD_MARKER, MARKER, Options, _per_app_notes, _swap, build

PAGES = ("notebooks/01_tensor/index.html", "embed/01_tensor/index.html")


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.urls = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def test_build_is_complete(built_site):
    assert built_site.report.complete, built_site.report.missing + built_site.report.problems
    manifest = json.loads((built_site.path / "site.json").read_text())
    assert [a["stem"] for a in manifest["apps"]] == ["01_tensor", "broken"]
    assert manifest["runtime"] == "self-hosted" and manifest["missing"] == manifest["problems"] == []


def test_one_shared_assets_folder(built_site):
    site = built_site.path
    assert len(list(site.rglob("assets"))) == 1
    for rel in PAGES:
        page = (site / rel).read_text()
        assert 'src="../../assets/index-' in page and not re.search(r"""["']\./assets/""", page)
        assert sorted(p.name for p in (site / rel).parent.iterdir()) == [
            "favicon.ico", "index.html", "index.html.gz"]  # the page's gzip copy: wasm.precompress


def test_the_build_shows_each_exported_page_with_the_time_left(built_site):
    progress = [line for line in built_site.log if line.startswith("exported ") and "left)" in line]
    assert len(progress) == 4  # two apps, two views
    assert re.fullmatch(r"exported 1/4: (notebooks|embed)/\w+ \(\d+ s, about \d+ s left\)", progress[0])
    assert progress[-1].startswith("exported 4/4:") and "about 0 s left" in progress[-1]


def test_pages_carry_the_course_loading_message_and_settings(built_site):
    for rel in PAGES:
        page = (built_site.path / rel).read_text()
        assert '<div id="tt-loading"' in page and "Starting Python in your browser" in page
        assert mount_config(page)["runtime"]["auto_instantiate"] is True
        assert mount_config(page)["ai"]["enabled"] is False
        assert (EMBED_STYLE in page) == rel.startswith("embed/")


def prerendered(rel: str, site) -> str:
    """The outputs the build embedded in a page (marimo's session snapshot), as one text."""
    session = snapshot((site / rel).read_text())["session"]
    return json.dumps([c["outputs"] for c in session["cells"]])


def test_pages_show_outputs_from_a_build_time_run_while_pyodide_starts(built_site):
    # the notebook view is not pre-rendered: it restores a learner's saved code (wasm.site)
    assert snapshot((built_site.path / PAGES[0]).read_text()) == {"notebook": None, "session": None}
    # the build machine's numpy (the browser's run later shows Pyodide's); the fixture's runaway
    # loop runs only in the browser, so the build finished
    assert "FIXTURE_RESULT numpy=" in prerendered(PAGES[1], built_site.path)
    assert "tinytorch=0.1.0 sum=66" in prerendered(PAGES[1], built_site.path)
    # and the text outputs are in the page's HTML too, shown before any script has run
    body = (built_site.path / PAGES[1]).read_text().split("<body>", 1)[1].split("__MARIMO_MOUNT_CONFIG__")[0]
    assert '<div id="root"><div class="tt-prerendered">' in body and "FIXTURE_RESULT numpy=" in body
    broken = prerendered("embed/broken/index.html", built_site.path)
    assert "FIXTURE_RESULT before the failing cell" in broken and "BROKEN_FIXTURE" in broken
    assert "broken (embed): a cell raised while pre-rendering its outputs" in built_site.report.notes


def test_pages_load_pyodide_and_packages_from_the_site(built_site):
    site = built_site.path
    for rel in PAGES:
        page = (site / rel).read_text()
        attrs = read_attributes(page)
        base = (site / rel).parent
        assert (base / attrs["data-pyodide-index-url"] / "pyodide.asm.wasm").resolve().is_file()
        assert (base / attrs["data-pyodide-lockfile-url"]).resolve().is_file()
        assert attrs["data-pypi-index-url"] == "../../pyodide/simple/{package_name}/"
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page)


def test_lock_file_matches_the_files(built_site):
    lock = built_site.path / "pyodide" / "pyodide-lock.json"
    assert verify_lock(lock) == []
    packages = json.loads(lock.read_text())["packages"]
    assert packages["numpy"]["version"] == "2.4.3" and packages["marimo-base"]["depends"]
    assert sorted(p.name for p in lock.parent.glob("*.whl")) == sorted(
        p["file_name"] for p in packages.values()
    )
    # tinytorch is loaded from the lock file with what its course extra needs (no micropip step):
    # the wheel the pages' headers name, every source kept, its bytecode beside each module
    assert packages["tinytorch"]["depends"] == sorted({"altair", "numpy"} & set(packages))
    wheel = "tinytorch-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(lock.parent / wheel) as site_copy, \
            zipfile.ZipFile(built_site.path / "public" / "wheels" / wheel) as built:
        modules = [n for n in built.namelist() if n.endswith(".py")]
        assert modules and all(site_copy.read(n) == built.read(n) for n in modules)
        pycs = {n for n in site_copy.namelist() if n.endswith(".pyc")}
        assert pycs == {f"{n.rsplit('/', 1)[0]}/__pycache__/{n.rsplit('/', 1)[1][:-3]}.cpython-314.pyc"
                        for n in modules}


def test_embedded_headers_install_tinytorch_from_the_site_with_satisfiable_pins(built_site):
    site = built_site.path
    versions = {
        k: p["version"]
        for k, p in json.loads((site / "pyodide" / "pyodide-lock.json").read_text())["packages"].items()
    }
    for rel in PAGES:
        deps = script_header.read(notebook_code((site / rel).read_text()))["dependencies"]
        assert "tinytorch @ ../public/wheels/tinytorch-0.1.0-py3-none-any.whl" in deps
        assert not [d for d in deps if d.startswith("marimo")]
        assert script_header.pin_problems(deps, versions) == []
    assert (site / "public" / "wheels" / "tinytorch-0.1.0-py3-none-any.whl").is_file()


def test_datasets_and_static_host_files(built_site):
    site = built_site.path
    assert (site / "data" / "digits" / "digits.csv.gz").is_file() and (site / "data" / "README.md").is_file()
    assert "mnist" in " ".join(built_site.report.notes)  # asked for, not in the fixture mirror: said so
    headers = (site / "_headers").read_text()
    assert "Cross-Origin-Embedder-Policy: require-corp" in headers
    assert "/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert (site / ".nojekyll").is_file()


@pytest.mark.parametrize("site", ["built_site", "course_site"])
def test_every_link_of_the_landing_and_embed_pages_resolves(site, request):
    built = request.getfixturevalue(site)
    with serving(built.path) as base:
        checked = set()
        for page in ("index.html", "embed.html"):
            html = urllib.request.urlopen(base + page).read().decode()
            for url in Links(html).urls:
                target = urljoin(base + page, url).split("#")[0]
                if target not in checked:
                    with urllib.request.urlopen(target) as r:
                        assert r.status == 200, target
                    checked.add(target)
    stems = [app["stem"] for app in json.loads((built.path / "site.json").read_text())["apps"]]
    assert stems == [app.stem for app in built.report.apps]
    for stem in stems:  # every app is linked, both views
        assert {base + f"notebooks/{stem}/", base + f"embed/{stem}/"} <= checked, stem


def test_refuses_to_replace_a_folder_that_is_not_a_built_site(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("...")
    opts = Options(repo=tmp_path, out=out, apps_dir=tmp_path, cache_dir=tmp_path, wheel_dirs=[])
    with pytest.raises(RuntimeError, match="refusing to replace it"):
        build(opts, log=lambda *a: None)
    assert (out / "thesis.tex").read_text() == "..."


def test_notes_shared_by_apps_are_listed_once():
    notes = _per_app_notes({"01_tensor": ["dropped 'marimo'", "x"], "02_activations": ["dropped 'marimo'"]})
    assert notes == ["dropped 'marimo' (01_tensor, 02_activations)", "x (01_tensor)"]


@pytest.mark.parametrize("sibling", [".partial", ".old"])
def test_refuses_to_delete_a_partial_or_old_folder_it_did_not_make(tmp_path, sibling):
    out = tmp_path / "_site"
    theirs = tmp_path / f"_site{sibling}"
    theirs.mkdir()
    (theirs / "thesis.tex").write_text("...")
    opts = Options(repo=tmp_path, out=out, apps_dir=tmp_path, cache_dir=tmp_path, wheel_dirs=[])
    with pytest.raises(RuntimeError, match=rf"{theirs} exists and was not made by build_site.py .*refusing "
                                           "to delete it"):
        build(opts, log=lambda *a: None)
    assert (theirs / "thesis.tex").read_text() == "..."


def test_swap_replaces_the_site_and_clears_its_own_leftovers(tmp_path):
    out, partial, old = (tmp_path / name for name in ("_site", "_site.partial", "_site.old"))
    for folder, marks in ((out, [MARKER]), (partial, [BUILD_MARKER, MARKER]), (old, [BUILD_MARKER])):
        folder.mkdir()
        for mark in marks:
            (folder / mark).write_text("")
    (partial / "index.html").write_text("new")
    _swap(partial, out)
    assert (out / "index.html").read_text() == "new" and not partial.exists() and not old.exists()
    assert not (out / BUILD_MARKER).exists()  # a finished site is marked by site.json alone
