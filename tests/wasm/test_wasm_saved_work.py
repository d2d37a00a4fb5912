"""The learner's saved work (wasm/saved_work.py + .js): what the build writes into an edit page,
and, in headless Chromium, that typed code and its check result survive a reload and a browser
restart, that a copy saved for an older course version is offered and never applied silently,
and that two apps on one site keep their own code.

The browser tests build one small site from `fixtures/saved_work/` (an exercise cell and its
check, without numpy) and skip, naming what is missing, where the other browser tests skip.
"""

import contextlib
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.wasm import browser
from tests.wasm.conftest import _served_for_browser, build_site
from wasm.page import notebook_code
from wasm.saved_work import SCRIPT, add_to_page, course_version, storage_key

CODE = (
    '# /// script\n# dependencies = ["tinytorch"]\n# ///\n"""An app."""\n\nimport marimo\n\n'
    '__generated_with = "0.25.2"\napp = marimo.App(app_title="An (app)")\n\n\n@app.cell\ndef _():\n'
    "    return\n\n\nif __name__ == \"__main__\":\n    app.run()\n"
)


def exported(code: str = CODE, autosave: str = "off") -> str:
    """The parts of a marimo 0.25.2 edit-mode export that the build rewrites."""
    return (
        '<head><script type="module" src="../../assets/index.js"></script>\n'
        '<marimo-wasm hidden=""></marimo-wasm>\n'
        f'<marimo-code hidden="">{quote(code)}</marimo-code></head>\n'
        '<body><div id="root"></div>\n<script data-marimo="true">\n'
        '  Object.defineProperty(window, "__MARIMO_MOUNT_CONFIG__", {\n'
        '    value: Object.freeze({"mode": "edit", "config": {"save": {"autosave": '
        f'"{autosave}", "autosave_delay": 1000}}}}}}),\n'
        "  });\n</script></body>"
    )


def injected(page: str) -> dict[str, str]:
    m = re.search(r"<script data-tinytorch-saved-work(?P<attrs>[^>]*)>(?P<js>.*?)</script>", page, re.S)
    assert m is not None, "no saved-work script in the page"
    return dict(re.findall(r'data-(\w+)="([^"]*)"', m["attrs"])) | {"js": m["js"]}


def test_the_script_follows_the_notebook_code_and_carries_app_and_version():
    page = add_to_page(exported(), "01_tensor")
    assert injected(page) == {
        "app": "01_tensor",
        "version": course_version(CODE),
        "prefix": "tinytorch.saved.v1/01_tensor/",
        "js": "\n" + SCRIPT.read_text(),
    }
    # Right after <marimo-code>: it runs before marimo's module script reads the element.
    assert page.index("</marimo-code><script data-tinytorch-saved-work") > 0
    assert notebook_code(page) == CODE
    assert storage_key("01_tensor", "abc") == "tinytorch.saved.v1/01_tensor/abc"


def test_marimo_autosave_is_turned_on_and_nothing_else_changes():
    page = add_to_page(exported(), "x")
    assert '"autosave": "after_delay", "autosave_delay": 1000' in page
    without_script = re.sub(r"<script data-tinytorch-saved-work.*?</script>", "", page, flags=re.S)
    assert without_script == exported(autosave="after_delay")


def test_applying_twice_is_applying_once_and_the_version_follows_the_code():
    once = add_to_page(exported(), "x")
    assert add_to_page(once, "x") == once
    changed = CODE.replace("return\n", "return 1\n")
    assert course_version(changed) != course_version(CODE) == course_version(CODE[:])
    assert len(course_version(CODE)) == 12
    assert injected(add_to_page(exported(changed), "x"))["version"] == course_version(changed)


def test_pages_it_cannot_serve_are_refused_naming_the_problem():
    with pytest.raises(ValueError, match="marimo-code"):
        add_to_page("<html></html>", "x")
    with pytest.raises(ValueError, match="no marimo mount config"):
        add_to_page(exported().split("<body>")[0], "x")
    with pytest.raises(ValueError, match="autosave"):
        add_to_page(exported().replace('"autosave": "off", ', ""), "x")
    with pytest.raises(ValueError, match="app = marimo.App"):
        add_to_page(exported(CODE.replace("app = marimo.App", "application = marimo.App")), "x")


def test_the_script_can_be_inlined():
    assert "</" not in SCRIPT.read_text()


# ---------------------------------------------------------------------------------------------
# The built site, in Chromium.

APPS = Path(__file__).resolve().parent / "fixtures" / "saved_work"
SOLUTION = "def double(x):\n    return 2 * x\n"
STUB = "raise NotImplementedError"
PASSED = "SAVED_CHECK passed"


@pytest.fixture(scope="module")
def saved_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("saved-work") / "site", APPS, None, ())


@pytest.fixture(scope="module")
def saved_url(request):
    yield from _served_for_browser(request, "saved_site")


def test_only_edit_pages_keep_saved_work(saved_site):
    for stem in ("01_exercise", "02_other"):
        edit = (saved_site.path / "notebooks" / stem / "index.html").read_text()
        assert injected(edit)["version"] == course_version(notebook_code(edit))
        embed = (saved_site.path / "embed" / stem / "index.html").read_text()
        assert "data-tinytorch-saved-work" not in embed and '"autosave": "off"' in embed


def open_notebook(page, url: str) -> None:
    """Navigate and wait until the notebook has run every cell (the notebook view runs on open):
    from then on marimo saves, and the cells' editors hold the code the page started from."""
    browser.open_and_run(page, url)


@contextlib.contextmanager
def learner(origin: str, profile: Path | None = None):
    """(browser, its one tab), answering yes to the confirm() questions, as a learner would."""
    with browser.Browser([origin], profile=profile) as b:
        page = b.page()
        page.on("dialog", lambda d: d.accept())
        yield b, page


def type_into(page, cell: int, code: str) -> None:
    page.locator(".cm-content").nth(cell).click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)
    assert editor(page, cell).strip() == code.strip()


def type_and_save(b, page, cell: int, code: str) -> None:
    """Type `code` into a cell, then wait until the script has kept marimo's autosave. marimo
    saves from a second Pyodide worker that boots beside the kernel: the first save can take a
    minute on a busy machine."""
    type_into(page, cell, code)
    try:
        page.wait_for_selector('#tt-saved[data-state="saved"]', timeout=180_000)
    except Exception as e:
        state = page.locator("#tt-saved").inner_text()
        raise AssertionError(f"not saved; status {state!r}; console:\n" + "\n".join(b.console[-30:])) from e


def editor(page, cell: int) -> str:
    return page.locator(".cm-content").nth(cell).inner_text()


def saved_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('tinytorch.saved') "
                         "|| k === 'marimo:file').sort()")


def check_result(page) -> str:
    """The check's output once the page has run the code it opened with."""
    browser.wait_until_idle(page)
    return browser.output_line(page, "SAVED_CHECK")


@pytest.mark.browser
@pytest.mark.slow  # about 2 minutes (two browser sessions, three notebook loads): CI's default run
# keeps to 15 minutes; tests/wasm/test_wasm_progress.py types into a notebook by default
def test_typed_code_and_its_check_result_survive_reload_and_restart(saved_site, saved_url, tmp_path,
                                                                     record_figure):
    url = saved_url + "notebooks/01_exercise/"
    key = storage_key("01_exercise", course_version(notebook_code(
        (saved_site.path / "notebooks" / "01_exercise" / "index.html").read_text())))
    profile = tmp_path / "profile"  # one Chromium profile, used by two browser runs
    with learner(saved_url, profile) as (b, page):
        open_notebook(page, url)
        assert STUB in editor(page, 1)
        history = page.evaluate("history.length")
        t0 = time.perf_counter()
        type_and_save(b, page, 1, SOLUTION)
        record_figure("saved work: autosave", f"saved {time.perf_counter() - t0:.1f} s after typing")
        assert saved_keys(page) == [key]
        # marimo also writes each save into the address (#code/...); the script stops that, so
        # Back leaves the page instead of stepping through saves.
        assert page.evaluate("location.hash") == "" and page.evaluate("history.length") == history
        page.reload()
        assert page.locator("#tt-saved").get_attribute("data-state") == "restored"
        browser.wait_until_idle(page)
        assert editor(page, 1).strip() == SOLUTION.strip()
        assert check_result(page) == PASSED
        assert browser.cell_errors(page, b.console) == []
        assert b.net.outside() == []
    with learner(saved_url, profile) as (b, page):  # the learner comes back tomorrow
        open_notebook(page, url)
        assert editor(page, 1).strip() == SOLUTION.strip()
        assert check_result(page) == PASSED
        assert saved_keys(page) == [key]
        # "Reset to the original" asks, deletes the copy and reloads the course's code.
        with page.expect_navigation():
            page.locator('#tt-saved [data-action="reset"]').click()
        browser.wait_until_idle(page)
        assert STUB in editor(page, 1)
        assert saved_keys(page) == []
        assert page.locator('#tt-saved [data-action="reset"]').is_hidden()


@pytest.mark.browser
@pytest.mark.slow  # 70-90 s each: CI's default run keeps to 15 min; run with -m slow
def test_work_saved_for_an_older_version_is_offered_not_applied(saved_site, saved_url):
    url = saved_url + "notebooks/01_exercise/"
    built = (saved_site.path / "notebooks" / "01_exercise" / "index.html").read_text()
    # The next course version: a changed docstring, as a rebuild after an edit of apps/ gives.
    code = notebook_code(built)
    new_code = code.replace("an exercise cell the", "an exercise cell (version 2) the")
    assert new_code != code
    new_page = add_to_page(re.sub(r"(<marimo-code[^>]*>).*?(</marimo-code>)",
                                  lambda m: m[1] + quote(new_code) + m[2], built, flags=re.S), "01_exercise")
    assert notebook_code(new_page) == new_code
    with learner(saved_url) as (b, page):
        open_notebook(page, url)
        type_and_save(b, page, 1, SOLUTION)
        old_key = saved_keys(page)
        assert old_key == [storage_key("01_exercise", course_version(code))]
        page.route(url, lambda route: route.fulfill(body=new_page, content_type="text/html"))
        page.reload()
        banner = page.locator("#tt-older")
        assert "earlier version" in banner.inner_text()
        browser.wait_until_idle(page)
        assert STUB in editor(page, 1), "code saved for another version was loaded silently"
        assert saved_keys(page) == old_key
        with page.expect_navigation():
            banner.locator('[data-action="bring-forward"]').click()
        browser.wait_until_idle(page)
        assert editor(page, 1).strip() == SOLUTION.strip()
        assert page.locator("#tt-older").count() == 0
        new_key = storage_key("01_exercise", course_version(new_code))
        assert saved_keys(page) == [new_key]
        record = json.loads(page.evaluate(f"localStorage.getItem({new_key!r})"))
        assert "(version 2)" in record["code"]  # the new version's header and docstring ...
        assert SOLUTION.strip() in record["code"]  # ... with the learner's cells
        assert check_result(page) == PASSED


@pytest.mark.browser
@pytest.mark.slow  # 70-90 s each: CI's default run keeps to 15 min; run with -m slow
def test_two_apps_on_one_site_keep_their_own_code(saved_url):
    first, second = saved_url + "notebooks/01_exercise/", saved_url + "notebooks/02_other/"
    with learner(saved_url) as (b, page):
        open_notebook(page, first)
        type_and_save(b, page, 1, SOLUTION)
        open_notebook(page, second)
        assert "untouched" in editor(page, 1) and "double" not in editor(page, 1)
        type_and_save(b, page, 1, 'mo.md("SAVED_CHECK other app, edited")\n')
        open_notebook(page, first)
        assert editor(page, 1).strip() == SOLUTION.strip()
        open_notebook(page, second)
        assert "edited" in editor(page, 1)
        keys = saved_keys(page)
        assert [k.split("/")[1] for k in keys] == ["01_exercise", "02_other"]  # and never marimo:file
