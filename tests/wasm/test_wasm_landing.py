"""App discovery from apps/ file names, and the landing and embed pages built from it."""

import re
from html.parser import HTMLParser

from tinytorch.course.course_map import MILESTONES, MODULES
from tinytorch.course.recording import BROWSER_KEY
from wasm.apps import discover
from wasm.landing import LEGACY_KEY, render_embed_page, render_index
from wasm.page import FIRST_VISIT_WAIT

NOTEBOOK = "import marimo\n\napp = marimo.App({args})\n\n\n@app.cell\ndef _():\n    return\n"


def write_apps(folder, names, titles=None):
    folder.mkdir(exist_ok=True)
    for name in names:
        args = f'app_title="{titles[name]}"' if titles and name in titles else ""
        (folder / name).write_text(NOTEBOOK.format(args=args))
    return folder


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.hrefs, self.srcs = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])


def test_discover_places_apps_by_file_name(tmp_path):
    apps = write_apps(
        tmp_path / "apps",
        ["05_autograd.py", "01_tensor.py", "milestone_1986_mlp.py", "playground.py"],
        titles={"01_tensor.py": "01 Tensor"},
    )
    (apps / "_helpers.py").write_text(NOTEBOOK.format(args=""))  # underscore: a helper, not a page
    (apps / "utils.py").write_text("def f():\n    return 1\n")  # not a notebook
    found = discover(apps)
    assert [(a.stem, a.kind, a.number) for a in found] == [
        ("01_tensor", "module", 1),
        ("05_autograd", "module", 5),
        ("milestone_1986_mlp", "milestone", 1986),
        ("playground", "extra", None),
    ]
    assert found[0].title == "Tensor" and found[1].title == "Autograd"  # number shown beside it
    assert [a.key for a in found] == ["module-01", "module-05", "milestone-1986", "app-playground"]


def test_discover_without_an_apps_folder_is_empty(tmp_path):
    assert discover(tmp_path / "nope") == []


def test_index_links_existing_apps_and_marks_the_rest_coming(tmp_path):
    apps = discover(write_apps(tmp_path / "apps", ["01_tensor.py", "milestone_1957_perceptron.py", "zz.py"]))
    page = render_index(apps, {"marimo": "0.25.2"})
    links = Links(page)
    assert {
        "notebooks/01_tensor/",
        "embed/01_tensor/",
        "notebooks/milestone_1957_perceptron/",
        "embed/milestone_1957_perceptron/",
        "notebooks/zz/",
        "embed.html",
    } <= set(links.hrefs)
    assert page.count('class="item coming"') == len(MODULES) - 1 + len(MILESTONES) - 1
    for tier in ("Foundation", "Architecture", "Optimization", "Capstone"):
        assert f">{tier}</h2>" in page
    for year in MILESTONES:
        assert f">{year}<" in page
    assert BROWSER_KEY in page and LEGACY_KEY in page and "localStorage" in page
    # where to start, what the two links mean, how long a first load takes
    assert "Start with 01 Tensor" in page and "<b>view only</b> is the same notebook" in page
    assert f"takes {FIRST_VISIT_WAIT} to start Python" in page


def test_modules_show_their_exercises_and_only_reading_modules_a_checkbox(tmp_path):
    """The count is of the exercises the app's check cells record (`checks.feedback`)."""
    names = ["01_tensor.py", "02_activations.py", "milestone_1957_perceptron.py"]
    folder = write_apps(tmp_path / "apps", names)
    (folder / "01_tensor.py").write_text(
        "import marimo\n\napp = marimo.App()\n\n\n@app.cell\ndef _():\n"
        "    from tinytorch.course import checks\n    from tinytorch.course.exercises import tensor as ex\n"
        "    checks.feedback(ex.BROADCAST, print, app='01_tensor')\n"
        "    checks.feedback(ex.STRIDES, print, app='01_tensor')\n    return\n")
    page = render_index(discover(folder), {})
    items = dict(re.findall(r'<li class="item available" data-key="([^"]+)"(.*?)</li>', page))
    assert 'data-exercises="2"' in items["module-01"] and "checkbox" not in items["module-01"]
    assert 'data-exercises="0"' in items["module-02"] and "checkbox" in items["module-02"]
    assert 'data-kind="milestone"' in items["milestone-1957"] and "checkbox" not in items["milestone-1957"]


def test_pages_load_nothing_from_elsewhere(tmp_path):
    apps = discover(write_apps(tmp_path / "apps", ["01_tensor.py"]))
    for page in (render_index(apps, {}), render_embed_page(apps)):
        links = Links(page)
        assert not [u for u in links.hrefs + links.srcs if re.match(r"^[a-z]+:|^//", u)]


def test_embed_page_has_one_snippet_per_app(tmp_path):
    apps = discover(
        write_apps(
            tmp_path / "apps",
            ["01_tensor.py", "02_activations.py"],
            titles={"02_activations.py": 'Activations <"quoted">'},
        )
    )
    page = render_embed_page(apps)
    assert page.count("&lt;iframe src=&quot;embed/") == 2
    assert 'data-embed="embed/02_activations/"' in page
    assert '<"quoted">' not in page  # escaped
    assert "allow=&quot;cross-origin-isolated&quot;" in page
    # the copy button says what happened, and a reader learns how to open at a section
    assert page.count('role="status" aria-live="polite"') == 2 and "Copied to the clipboard." in page
    assert "#see-it-a-training-playground" in page
