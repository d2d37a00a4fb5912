"""The site build, step by step (`build_site.py` is its command line).

    1. build the tinytorch wheel                         wasm.package
    2. get Pyodide's runtime and lock file (npm)         wasm.selfhost.runtime
    3. stage apps/ with browser-ready headers            wasm.stage, wasm.script_header
    4. datasets: copied from the mirror, or fetched      wasm.data
    5. export every app twice (edit, embed); the embed   wasm.export, wasm.prerender
       export runs it on the site's data and shows that
       run's outputs while Pyodide starts
    6. merge the exports around one shared assets/       wasm.assets
       edit pages keep the learner's code in the browser  wasm.saved_work
    7. --self-host: vendor runtime + wheels + lock file  wasm.selfhost.resolve, wasm.selfhost.mirror
    8. point pages at the site's Pyodide; check pins     wasm.page
    9. landing page, embed page, site.json, _headers     wasm.landing
   10. gzip copies of the text and wasm files           wasm.precompress

The site is assembled in `<out>.partial` and swapped into place at the end, so a failed build
never leaves a half-written site where a good one was.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tinytorch.course import course_map
from wasm import landing, prerender, script_header
from wasm.apps import App, discover
from wasm.assets import SiteMerger
from wasm.data import provide_datasets
from wasm.export import VIEWS, export_notebook, require_tools
from wasm.imports import imports_by_module
from wasm.package import build_wheel
from wasm.page import decorate, notebook_code, point_at_site
from wasm.precompress import Compressed, precompress
from wasm.saved_work import keep_in_browser
from wasm.selfhost.mirror import build_mirror, missing_report
from wasm.selfhost.resolve import WORKER_IMPORTS, import_roots, runtime_roots
from wasm.selfhost.runtime import fetch_pyodide, load_lock, marimo_pins
from wasm.selfhost.sources import Target, WheelSource
from wasm.selfhost.wheels import browser_requirements, read_wheel
from wasm.serve import HASHED_FOLDERS, IMMUTABLE, ISOLATION_HEADERS
from wasm.stage import Staged, stage_apps

MARKER = "site.json"  # present in every built site; an --out folder without it is never deleted
# Written first into `<out>.partial`, so a folder left by an interrupted build is known as ours
# too; `<out>.partial` and `<out>.old` are deleted only when they hold this file or MARKER.
BUILD_MARKER = ".tinytorch-site-build"
VIEW_FOLDERS = {"edit": landing.EDIT, "embed": landing.EMBED}
PRERENDERED_VIEW = "embed"  # the view whose export runs the notebook (`wasm.prerender`)
# Larger pre-rendered outputs (charts with many points) are left for the browser's run to draw.
PRERENDER_MAX_OUTPUT_BYTES = 100_000


@dataclass
class Options:
    repo: Path
    out: Path
    apps_dir: Path
    cache_dir: Path
    wheel_dirs: list[Path]
    self_host: bool = False
    data_source: Path | None = None
    datasets: tuple[str, ...] = ()
    jobs: int = 2
    prerender: bool = True  # run each app at build time and embed its outputs (wasm.export)


@dataclass
class Report:
    out: Path
    apps: list[App] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # wheels found nowhere: the site is incomplete
    problems: list[str] = field(default_factory=list)  # lock file or pins inconsistent: a bug
    sizes: dict[str, int] = field(default_factory=dict)  # the gzip copies not counted
    compressed: Compressed = field(default_factory=Compressed)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems


def build(opts: Options, log=print) -> Report:
    _check_out(opts.out)
    require_tools()
    report = Report(opts.out)
    marimo_version, pyodide_version = marimo_pins()
    report.apps = apps = discover(opts.apps_dir)
    log(f"{len(apps)} app(s) in {opts.apps_dir}: {', '.join(a.stem for a in apps) or '(none)'}")
    partial = opts.out.with_name(opts.out.name + ".partial")
    _remove_own(partial)
    partial.mkdir(parents=True)
    (partial / BUILD_MARKER).write_text("a site being built by build_site.py; safe to delete\n")
    try:
        _build_into(partial, opts, report, apps, marimo_version, pyodide_version, log)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _swap(partial, opts.out)
    report.sizes = sizes(opts.out)
    return report


def _build_into(partial, opts, report, apps, marimo_version, pyodide_version, log) -> None:
    """Steps 1-9 (module docstring) into the folder `partial`, recording into `report`."""
    with tempfile.TemporaryDirectory(prefix="tinytorch-site-") as tmp:
        work = Path(tmp)
        with _timed(report.seconds, "wheel"):
            wheel = build_wheel(opts.repo, work / "wheel")
        log(f"built {wheel.name}")
        with _timed(report.seconds, "runtime"):
            runtime_dir = fetch_pyodide(pyodide_version, opts.cache_dir)
        log(f"Pyodide {pyodide_version}: {runtime_dir}")
        upstream = load_lock(runtime_dir)
        staged = stage_apps(apps, opts.apps_dir, work / "stage", wheel, set(upstream["packages"]))
        report.notes += _per_app_notes(staged.notes)
        with _timed(report.seconds, "data"):
            data = provide_datasets(opts.data_source, partial / "data", opts.datasets, log)
        report.notes += data.notes
        with _timed(report.seconds, "export"):
            pages, notes = _export_all(apps, staged.notebooks, work / "export", partial, opts, log)
        report.notes += notes
        log(f"exported {len(pages)} page(s) around one shared assets/ folder")
        _add_loading_messages(pages, apps)
        for app in apps:
            keep_in_browser(partial / VIEW_FOLDERS["edit"] / app.stem / "index.html", app.stem)
        lock_file = runtime_dir / "pyodide-lock.json"
        if opts.self_host:
            with _timed(report.seconds, "self_host"):
                lock_file = _vendor(opts, report, partial / "pyodide", runtime_dir, upstream, staged, wheel,
                                    marimo_version, log)
            for page in pages:
                point_at_site(page, partial / "pyodide")
            log(f"self-hosted: Pyodide runtime and wheels in {opts.out.name}/pyodide/")
        report.problems += _pin_problems(pages, lock_file, partial)
        info = {
            "marimo": marimo_version,
            "Pyodide": pyodide_version,
            "runtime": "self-hosted" if opts.self_host else "CDN (cdn.jsdelivr.net, wasm.marimo.app)",
            "datasets": ", ".join(data.copied) or "none",
        }
        _write_pages(partial, apps, info, report, data.copied)
        with _timed(report.seconds, "precompress"):
            report.compressed = precompress(partial)


def _per_app_notes(notes: dict[str, list[str]]) -> list[str]:
    """{app: [note]} -> one line per distinct note, naming the apps it applies to."""
    apps_by_note: dict[str, list[str]] = {}
    for stem, lines in notes.items():
        for line in lines:
            apps_by_note.setdefault(line, []).append(stem)
    return [f"{line} ({', '.join(stems)})" for line, stems in apps_by_note.items()]


def _vendor(opts, report, dest, runtime_dir, lock, staged: Staged, wheel, marimo_version, log) -> Path:
    """Fill `dest` with the runtime and every wheel the staged apps need; returns its lock file."""
    python = lock["info"]["python"]
    imports = imports_by_module({str(p.relative_to(staged.dir)): p for p in staged.dir.rglob("*.py")})
    for name in WORKER_IMPORTS:
        imports.setdefault(name, set()).add("marimo runtime")
    roots = runtime_roots(marimo_version) + import_roots(imports, lock["packages"])
    for stem, path in staged.notebooks.items():
        for dep in script_header.read(path.read_text(encoding="utf-8")).get("dependencies", []):
            req = script_header.parse_requirement(dep)
            if req is not None and req.url is None:
                roots.append((req, stem))
    roots += [(r, wheel.name) for r in browser_requirements(read_wheel(wheel), python)]
    source = WheelSource(
        opts.wheel_dirs,
        opts.cache_dir / "wheels",
        Target.from_lock_info(lock["info"]),
        expected_sha256={p["file_name"]: p["sha256"] for p in lock["packages"].values()},
    )
    mirror = build_mirror(dest, runtime_dir, lock, roots, source, opts.cache_dir / "bytecode", wheel, log)
    report.notes += mirror.notes
    report.problems += [f"pyodide-lock.json: {p}" for p in mirror.problems]
    report.missing += missing_report(mirror.missing, opts.wheel_dirs)
    return dest / "pyodide-lock.json"


def _export_all(apps, notebooks, export_root, site, opts, log=print) -> tuple[list[Path], list[str]]:
    """Export every app in both views (in parallel), merge them into `site`; returns the pages
    and a note per app whose pre-rendering run raised. Logs each page as it is done, with the
    time left at the pace so far (~4 s a page, more for the pre-rendered embed views)."""
    tasks = [(a.stem, view) for a in apps for view in VIEWS]

    def run(task):
        stem, view = task
        # only the embed view is pre-rendered (`_show_prerendered_outputs` says why)
        return export_notebook(notebooks[stem], export_root / view / stem, view, site / "data",
                               opts.prerender and view == PRERENDERED_VIEW)

    merger = SiteMerger(site)
    notes = []
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = {pool.submit(run, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), 1):
            stem, view = futures[future]
            elapsed = time.perf_counter() - start
            left = elapsed / done * (len(tasks) - done)
            log(f"exported {done}/{len(tasks)}: {VIEW_FOLDERS[view]}/{stem} "
                f"({elapsed:.0f} s, about {left:.0f} s left)")
            export_dir, note = future.result()
            notes += [note] if note else []
            merger.add(export_dir, site / VIEW_FOLDERS[view] / stem)
            shutil.rmtree(export_dir)  # 28 MB of assets each: delete while the next exports run
    if opts.prerender:
        for app in apps:
            _show_prerendered_outputs(site, app.stem)
    return sorted(merger.pages), sorted(notes)


def _show_prerendered_outputs(site: Path, stem: str) -> None:
    """The app's embed view without its large pre-rendered outputs, and with its text outputs
    also in the page's HTML, shown before any script has run (`wasm.prerender`).

    Only the embed view is pre-rendered: the notebook view puts a learner's saved code back into
    the page before marimo reads it (`wasm.saved_work`), and a snapshot's cells would stand in
    for that code, so the notebook view waits for Python as before."""
    page = site / VIEW_FOLDERS[PRERENDERED_VIEW] / stem / "index.html"
    text = page.read_text(encoding="utf-8")
    outputs, _ = prerender.without_large_outputs(prerender.snapshot(text), PRERENDER_MAX_OUTPUT_BYTES)
    page.write_text(prerender.with_static_outputs(prerender.with_snapshot(text, outputs), outputs),
                    encoding="utf-8")


def _add_loading_messages(pages: list[Path], apps) -> None:
    """The course's loading message in every page, and the embed pages' style (`wasm.page.decorate`)."""
    by_stem = {a.stem: a for a in apps}
    for page in pages:
        app, view = by_stem[page.parent.name], page.parent.parent.name
        try:
            entry = course_map.entry(app.key)
            label, blurb = entry.label, entry.blurb
        except KeyError:  # a notebook that is not on the course map ("More notebooks")
            label, blurb = app.title, ""
        kind = "embed" if view == VIEW_FOLDERS["embed"] else "edit"
        page.write_text(decorate(page.read_text(encoding="utf-8"), kind, label, blurb), encoding="utf-8")


def _pin_problems(pages: list[Path], lock_file: Path, site: Path) -> list[str]:
    """Header pins in the exported pages that the lock file the pages load cannot satisfy."""
    versions = {k: p["version"] for k, p in json.loads(lock_file.read_text())["packages"].items()}
    problems = []
    for page in pages:
        header = script_header.read(notebook_code(page.read_text(encoding="utf-8")))
        problems += [
            f"{page.relative_to(site)}: {p}"
            for p in script_header.pin_problems(header.get("dependencies", []), versions)
        ]
    return problems


def _write_pages(site, apps, info, report, datasets):
    (site / "index.html").write_text(landing.render_index(apps, info), encoding="utf-8")
    (site / "embed.html").write_text(landing.render_embed_page(apps), encoding="utf-8")
    (site / ".nojekyll").touch()
    # Read by Netlify and Cloudflare Pages; ignored elsewhere (docs/site.md covers other hosts).
    (site / "_headers").write_text(
        "/*\n" + "".join(f"  {k}: {v}\n" for k, v in ISOLATION_HEADERS.items())
        + "".join(f"/{folder}/*\n  Cache-Control: {IMMUTABLE}\n" for folder in HASHED_FOLDERS)
    )
    manifest = {
        **info,
        "apps": [
            {
                "stem": a.stem,
                "kind": a.kind,
                "number": a.number,
                "title": a.title,
                **{view: f"{folder}/{a.stem}/" for view, folder in VIEW_FOLDERS.items()},
            }
            for a in apps
        ],
        "datasets": datasets,
        "missing": report.missing,
        "problems": report.problems,
    }
    (site / MARKER).write_text(json.dumps(manifest, indent=1) + "\n")


def _check_out(out: Path) -> None:
    """Refuse, before any work, to replace `out` or delete its `.partial`/`.old` siblings unless
    they are this builder's own folders."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise RuntimeError(
            f"{out} exists, is not empty and is not a built site (no {MARKER}); refusing to replace it"
        )
    for sibling in (".partial", ".old"):
        _check_own(out.with_name(out.name + sibling))


def _check_own(folder: Path) -> None:
    """Raise unless `folder` is absent or was made by this builder (holds MARKER or BUILD_MARKER)."""
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_symlink() or not folder.is_dir() or not any(
        (folder / mark).is_file() for mark in (MARKER, BUILD_MARKER)
    ):
        raise RuntimeError(
            f"{folder} exists and was not made by build_site.py (no {BUILD_MARKER} or {MARKER} in it); "
            "refusing to delete it: move it away, or build into another --out"
        )


def _remove_own(folder: Path) -> None:
    _check_own(folder)
    shutil.rmtree(folder, ignore_errors=True)


def _swap(partial: Path, out: Path) -> None:
    old = out.with_name(out.name + ".old")
    _remove_own(old)
    (partial / BUILD_MARKER).unlink()  # the finished site is marked by its MARKER, which it holds
    if out.exists():
        out.rename(old)
    partial.rename(out)
    _remove_own(old)


def sizes(site: Path) -> dict[str, int]:
    """Bytes per top-level entry of the site, plus "total" (the gzip copies not counted)."""
    out = {}
    for entry in sorted(e for e in site.iterdir() if not _is_gzip_copy(e)):
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        files = [p for p in files if not _is_gzip_copy(p)]
        out[entry.name] = sum(p.stat().st_size for p in files)
    out["total"] = sum(out.values())
    return out


def _is_gzip_copy(path: Path) -> bool:
    return path.suffix == ".gz" and path.with_suffix("").is_file()


@contextlib.contextmanager
def _timed(into: dict[str, float], name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        into[name] = round(time.perf_counter() - start, 2)
