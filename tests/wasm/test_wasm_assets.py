"""Merging exports: one shared assets/ folder, links rewritten, conflicts refused."""

import pytest

from wasm.assets import MergeError, SiteMerger, rewrite_links, tree_digest

HTML = (
    '<link href="./favicon.ico"><script src="./assets/index-abc.js"></script>'
    '<link href=\'./assets/x.css\'><a href="./other.html"></a><img src="https://example.org/a.png">'
)


def fake_export(root, assets="console.log(1)", icon=b"ico", public=None, extra=None):
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "index-abc.js").write_text(assets)
    (root / "assets" / "x.css").write_text("body{}")
    (root / "favicon.ico").write_bytes(icon)
    (root / "CLAUDE.md").write_text("an assistant prompt")
    (root / "index.html").write_text(HTML)
    for rel, data in (public or {}).items():
        (root / "public" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "public" / rel).write_bytes(data)
    for rel, data in (extra or {}).items():
        (root / rel).write_bytes(data)
    return root


def test_rewrite_links_only_touches_shared_relative_names():
    out = rewrite_links(HTML, "../../", {"assets", "favicon.ico"})
    assert 'src="../../assets/index-abc.js"' in out and "href='../../assets/x.css'" in out
    assert 'href="../../favicon.ico"' in out
    assert 'href="./other.html"' in out and 'src="https://example.org/a.png"' in out


def test_two_exports_share_one_assets_folder(tmp_path):
    site = tmp_path / "site"
    merger = SiteMerger(site)
    a = merger.add(fake_export(tmp_path / "a"), site / "notebooks" / "a")
    b = merger.add(fake_export(tmp_path / "b"), site / "embed" / "b")
    assert sorted(p.name for p in site.iterdir()) == ["assets", "embed", "favicon.ico", "notebooks"]
    assert sorted(p.name for p in (site / "assets").iterdir()) == ["index-abc.js", "x.css"]
    for page in (a, b):
        assert 'src="../../assets/index-abc.js"' in page.read_text()
        # marimo's frontend asks for ./favicon.ico once a run has ended: it must not 404
        assert sorted(p.name for p in page.parent.iterdir()) == ["favicon.ico", "index.html"]


def test_different_assets_are_refused(tmp_path):
    merger = SiteMerger(tmp_path / "site")
    merger.add(fake_export(tmp_path / "a"), tmp_path / "site" / "notebooks" / "a")
    with pytest.raises(MergeError, match="index-abc.js"):
        merger.add(
            fake_export(tmp_path / "b", assets="console.log(2)"), tmp_path / "site" / "notebooks" / "b"
        )


def test_a_differing_root_file_stays_beside_its_page(tmp_path):
    site = tmp_path / "site"
    merger = SiteMerger(site)
    merger.add(fake_export(tmp_path / "a"), site / "notebooks" / "a")
    page = merger.add(fake_export(tmp_path / "b", icon=b"other"), site / "notebooks" / "b")
    assert (page.parent / "favicon.ico").read_bytes() == b"other"
    assert 'href="./favicon.ico"' in page.read_text()
    assert (site / "favicon.ico").read_bytes() == b"ico"


def test_public_files_are_merged_and_conflicts_refused(tmp_path):
    site = tmp_path / "site"
    merger = SiteMerger(site)
    merger.add(
        fake_export(tmp_path / "a", public={"wheels/t.whl": b"w", "a.png": b"1"}), site / "notebooks" / "a"
    )
    merger.add(fake_export(tmp_path / "b", public={"wheels/t.whl": b"w"}), site / "notebooks" / "b")
    assert (site / "public" / "wheels" / "t.whl").read_bytes() == b"w"
    with pytest.raises(MergeError, match="public/a.png"):
        merger.add(fake_export(tmp_path / "c", public={"a.png": b"2"}), site / "notebooks" / "c")


def test_tree_digest_sees_content_and_names(tmp_path):
    a = fake_export(tmp_path / "a") / "assets"
    b = fake_export(tmp_path / "b") / "assets"
    assert tree_digest(a) == tree_digest(b)
    (b / "x.css").rename(b / "y.css")
    assert tree_digest(a) != tree_digest(b)
