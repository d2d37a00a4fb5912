"""The course map is the one source of numbers, titles, order and navigation: every app agrees
with it, and its navigation links only to apps that exist."""

import re
from pathlib import Path

import pytest

from tinytorch.course import course_map
from wasm.apps import describe, discover

APPS_DIR = Path(__file__).resolve().parents[2] / "apps"


def test_every_app_is_on_the_map_and_every_mapped_app_exists():
    found = {a.key: a.stem for a in discover(APPS_DIR)}
    assert found == course_map.APPS


@pytest.mark.parametrize("key,stem", sorted(course_map.APPS.items()))
def test_app_title_and_navigation_agree_with_the_map(key, stem):
    source = (APPS_DIR / f"{stem}.py").read_text()
    app, entry = describe(APPS_DIR / f"{stem}.py"), course_map.entry(key)
    assert app.number == entry.number
    label = f"{entry.number:02d} {entry.title}" if entry.kind == "module" else str(entry.number)
    assert re.search(r'app_title="([^"]+)"', source)[1].startswith(label)
    assert f'course_map.nav("{key}")' in source, "the app's last cell must render its navigation"
    stale = re.findall(r"\*\*Next: (?:\d\d|Milestone)[^*]*\*\*", source)
    assert not stale, f"a hand-written Next line can disagree with the map: {stale}"


def test_path_places_every_milestone_after_its_module():
    keys = [e.key for e in course_map.path()]
    assert len(keys) == len(set(keys)) == len(course_map.MODULES) + len(course_map.MILESTONES)
    for year, after in course_map.MILESTONE_AFTER.items():
        assert keys.index(f"milestone-{year}") > keys.index(after)


def test_navigation_links_only_to_apps_that_exist():
    for key in course_map.APPS:
        page = course_map.nav_html(key, in_browser=True)
        for target in re.findall(r'href="\.\./([^"/.]+)/"', page):
            assert target in course_map.APPS.values(), (key, target)
        assert 'href="../../"' in page, "every app links back to the course map"


def test_next_names_what_comes_next_even_before_its_app_exists(monkeypatch):
    monkeypatch.delitem(course_map.APPS, "milestone-2018", raising=False)  # as before its app existed
    assert "Next: 05 Autograd" in course_map.nav_html("module-04", in_browser=True)
    last = course_map.nav_html("module-19", in_browser=True)
    assert "Next: Milestone 2018</b> (coming soon)" in last
    assert "href=\"../milestone_2018" not in last


def test_plain_names_outside_the_browser():
    assert "href" not in course_map.nav_html("module-04", in_browser=False).replace('href="../../"', "")
    assert "<a " not in course_map.nav_html("module-04", in_browser=False)


def test_entry_accepts_what_a_learner_types():
    assert course_map.entry("04").key == course_map.entry("4").key == "module-04"
    assert course_map.entry("1986").app == "milestone_1986_mlp"
    assert course_map.entry("01_tensor").key == "module-01"
    with pytest.raises(KeyError, match="no course module or milestone '42'"):
        course_map.entry("42")


def test_command_line_lists_the_course_and_finds_an_apps_file(capsys, monkeypatch):
    for key in ("module-19", "module-20"):  # as before their apps existed
        monkeypatch.delitem(course_map.APPS, key, raising=False)
    assert course_map.main([]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["01", "Tensor", "01_tensor"] and "(coming)" in listing[-1]
    assert course_map.main(["app", "1986"]) == 0 and capsys.readouterr().out == "milestone_1986_mlp\n"
    coming = next((e for e in course_map.path() if e.app is None), None)
    if coming is not None:  # until every module has its app
        assert course_map.main(["app", str(coming.number)]) == 2
        assert "has no app yet" in capsys.readouterr().err
