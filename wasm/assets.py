"""Merge per-notebook exports into one site with a single shared copy of marimo's runtime.

Every `marimo export html-wasm` writes the same ~28 MB `assets/` folder (marimo's frontend,
identical for one marimo version) plus icons, a manifest and the notebook's `public/` folder.
Copied per page, 25 apps x 2 views would be 1.4 GB. Here each export's `index.html` goes to its
own folder (`<site>/<view>/<stem>/`) and its links to `./assets/...`, `./favicon.ico`, ... are
rewritten to the one copy at the site root (`../../assets/...`).

Why the root: marimo's worker is `assets/worker-*.js`, and both `mo.notebook_location()` and the
`../public/wheels/` URL marimo writes for local wheels are resolved from the worker's folder's
parent. With the assets at the root, every page sees the site root as its notebook location:
`<site>/public/` and `<site>/data/` are the same URLs for all apps, in both views.

Files that differ between exports are never silently merged: different `assets/` mean two
marimo versions in one build (an error); a different root file (an icon) stays beside its page;
two different `public/` files with one name are an error, because all pages share `public/`.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import re
import shutil
from pathlib import Path

# Written by marimo into every export but not part of a web page (an AI-assistant prompt).
SKIP = {"CLAUDE.md", "index.html"}
# Shared at the root but also requested beside the page: marimo's frontend resets the tab's
# icon to the relative URL `./favicon.ico` once a run has finished (a 404 on every page).
BESIDE_PAGE = {"favicon.ico"}
_LINK = re.compile(r"""(?P<attr>\b(?:src|href)=)(?P<q>["'])\./(?P<path>[^"']*)(?P=q)""")


class MergeError(RuntimeError):
    pass


def tree_digest(root: Path) -> str:
    """sha256 over every file's relative path and content: equal digests, equal trees."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def rewrite_links(html: str, prefix: str, shared: set[str]) -> str:
    """Point `src`/`href` values `./<name>/...` at `<prefix><name>/...` for names in `shared`."""

    def sub(m: re.Match) -> str:
        first = m["path"].split("/", 1)[0].split("?", 1)[0]
        if first not in shared:
            return m.group(0)
        return f"{m['attr']}{m['q']}{prefix}{m['path']}{m['q']}"

    return _LINK.sub(sub, html)


class SiteMerger:
    def __init__(self, site: Path):
        self.site = site
        self.assets_digest: str | None = None
        self.pages: list[Path] = []

    def add(self, export_dir: Path, page_dir: Path) -> Path:
        """Merge one export; its page becomes `page_dir/index.html` (returned)."""
        page_dir.mkdir(parents=True, exist_ok=True)
        shared: set[str] = set()
        for entry in sorted(export_dir.iterdir()):
            if entry.name in SKIP:
                continue
            if entry.name == "assets":
                self._share_assets(entry)
                shared.add("assets")
            elif entry.name == "public" and entry.is_dir():
                self._merge_public(entry)
                shared.add("public")
            elif entry.is_file() and self._share_file(entry):
                shared.add(entry.name)
                if entry.name in BESIDE_PAGE:
                    shutil.copy2(entry, page_dir / entry.name)
            elif entry.is_file():
                shutil.copy2(entry, page_dir / entry.name)
            else:
                shutil.copytree(entry, page_dir / entry.name, dirs_exist_ok=True)
        prefix = os.path.relpath(self.site, page_dir).replace(os.sep, "/") + "/"
        html = (export_dir / "index.html").read_text(encoding="utf-8")
        page = page_dir / "index.html"
        page.write_text(rewrite_links(html, prefix, shared), encoding="utf-8")
        self.pages.append(page)
        return page

    def _share_assets(self, assets: Path) -> None:
        digest = tree_digest(assets)
        target = self.site / "assets"
        if self.assets_digest is None:
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(assets, target)
            self.assets_digest = digest
        elif digest != self.assets_digest:
            cmp = filecmp.dircmp(assets, target)
            differing = sorted(cmp.diff_files + cmp.left_only + cmp.right_only)[:10]
            raise MergeError(
                f"{assets} differs from the site's shared assets (two marimo versions in "
                f"one build?): {differing}"
            )

    def _share_file(self, path: Path) -> bool:
        target = self.site / path.name
        if not target.exists():
            shutil.copy2(path, target)
            return True
        return filecmp.cmp(path, target, shallow=False)

    def _merge_public(self, public: Path) -> None:
        for src in sorted(p for p in public.rglob("*") if p.is_file()):
            rel = src.relative_to(public)
            target = self.site / "public" / rel
            if target.exists():
                if not filecmp.cmp(src, target, shallow=False):
                    raise MergeError(
                        f"two apps ship different files as public/{rel.as_posix()}; every "
                        f"page shares <site>/public/, so give them different names"
                    )
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
