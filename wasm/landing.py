"""The site's two hand-written pages: the course map (`index.html`) and the embed guide (`embed.html`).

Why plain HTML with a little JavaScript: these pages must open instantly and offline, before
any Python runtime loads, and must not fetch anything from a third party. The links are in
the HTML itself (a test follows every one); the script only shows the learner's record
(`tinytorch.course.learner_record`, in this browser's localStorage under
`recording.BROWSER_KEY`): per module, the exercises whose checks passed, out of the exercises
its app checks; per milestone, its measured figures; a "done" checkbox only for a module
without exercises. Where each app was last opened is kept under `LEGACY_KEY`.
"""

from __future__ import annotations

import html
from collections import defaultdict

from tinytorch.course import exercises, recording
from tinytorch.course.course_map import MILESTONES, MODULES, TIERS
from wasm.apps import App
from wasm.page import FIRST_VISIT_WAIT

LEGACY_KEY = "tinytorch.progress.v1"  # last opened, per app (and the old "done" checkmarks)
EDIT, EMBED = "notebooks", "embed"  # site folders of the two views

_CSS = """
:root{--fg:#1d232b;--muted:#5b6570;--line:#d9dee3;--accent:#c2410c;--ok:#15803d;--bg:#fbfaf8}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:960px;margin:0 auto;padding:24px 20px 64px}h1{font-size:1.9rem;margin:0 0 4px}
h2{margin:36px 0 4px;font-size:1.3rem}.muted{color:var(--muted)}a{color:var(--accent)}
.bar{height:8px;background:var(--line);border-radius:4px;overflow:hidden;margin:6px 0}
.bar>span{display:block;height:100%;width:0;background:var(--ok)}
ol.items{list-style:none;padding:0;margin:12px 0;display:grid;gap:8px;
  grid-template-columns:repeat(auto-fill,minmax(280px,1fr))}
.item{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fff}
.item .num{font-weight:700;color:var(--muted);margin-right:6px}.item.coming{opacity:.6}
.item .links{margin-top:6px;display:flex;gap:12px;align-items:center;flex-wrap:wrap;font-size:.92rem}
.badge{font-size:.75rem;border:1px solid var(--line);border-radius:10px;padding:0 8px;color:var(--muted)}
.item.done{border-color:var(--ok)}.item.done .num{color:var(--ok)}.did{font-size:.85rem}
.problem{color:#b91c1c;font-weight:600}
pre{background:#f1f3f5;padding:10px;border-radius:6px;overflow:auto;font-size:.85rem}
footer{margin-top:48px;font-size:.85rem;color:var(--muted)}button{font:inherit}
"""

_PROGRESS_JS = """
// The learner's record (tinytorch.course.learner_record's document) is read and changed by
// ttRecord (tinytorch.course.recording.RECORD_JS); the apps write it when an exercise's checks
// ran or a milestone's figures were measured. LEGACY_KEY keeps when each app was last opened,
// and held the old "done" checkmarks: those move into the record as read marks, never lost.
const LEGACY_KEY = %(legacy)s;
const legacy = () => {
  try { return JSON.parse(localStorage.getItem(LEGACY_KEY)) || {}; } catch (e) { return {}; }
};
const saveLegacy = (p) => localStorage.setItem(LEGACY_KEY, JSON.stringify(p));
const problem = document.getElementById("record-problem");
function record() {
  try { problem.hidden = true; return ttRecord.load(); }
  catch (e) { problem.hidden = false; problem.textContent = "Your progress cannot be shown: " + e.message
              + ". Nothing was changed; Reset progress starts a new record."; return null; }
}
function migrate() {
  const old = legacy(), marked = Object.keys(old).filter((k) => old[k].done);
  if (!marked.length || record() === null) return;
  ttRecord.change((r) => marked.forEach((k) => { r.read[k] = r.read[k] || new Date().toISOString(); }));
  marked.forEach((k) => { delete old[k].done; });
  saveLegacy(old);
}
const day = (iso) => new Date(iso).toLocaleDateString();
function figure(name, v) {  // test_accuracy 0.962 -> "test accuracy 96.2%%", train_seconds -> "train 41.5 s"
  const words = name.replace(/_(seconds|percent)$/, "").replace(/_/g, " ");
  if (/accuracy|checks_passed/.test(name)) return words + " " + (100 * v).toFixed(1) + "%%";
  if (/_percent$/.test(name)) return words + " " + (+v.toPrecision(3)) + "%%";
  if (/_seconds$/.test(name)) return words + " " + v.toFixed(1) + " s";
  return words + " " + (+v.toPrecision(4)).toLocaleString();
}
function isDone(r, item) {
  const key = item.dataset.key, total = +(item.dataset.exercises || 0);
  if (r.read[key]) return true;  // a reading-only module ticked, or a checkmark from before exercises counted
  if (item.dataset.kind === "milestone") return !!(r.milestones[key] || {}).achieved;
  const passed = Object.values(r.exercises[key] || {}).filter((e) => e.passed === e.total).length;
  return total > 0 && passed >= total;
}
function render() {
  const r = record() || {exercises: {}, read: {}, milestones: {}}, opened = legacy();
  document.querySelectorAll(".item.available[data-key]").forEach((item) => {
    const key = item.dataset.key, total = +(item.dataset.exercises || 0);
    item.classList.toggle("done", isDone(r, item));
    const box = item.querySelector("input[type=checkbox]");
    if (box) box.checked = !!r.read[key];
    const did = item.querySelector(".did");
    const parts = [];
    if (total) {
      const passed = Object.values(r.exercises[key] || {}).filter((e) => e.passed === e.total).length;
      parts.push(passed + " of " + total + (total === 1 ? " exercise passed" : " exercises passed"));
    }
    const m = r.milestones[key];
    if (m) {
      const figures = Object.entries(m.figures).map(([k, v]) => figure(k, v)).join(", ");
      const how = m.achieved ? "achieved: " : "last run, below the bar: ";
      parts.push(how + figures + " (" + day(m.date) + ")");
    }
    if (r.read[key] && !box) parts.push("marked done " + day(r.read[key]));
    did.textContent = parts.join(" · ");
    const seen = item.querySelector(".seen");
    seen.textContent = (opened[key] || {}).opened ? "opened " + day((opened[key] || {}).opened) : "";
  });
  document.querySelectorAll("[data-progress]").forEach((el) => {
    const scope = el.dataset.progress === "all" ? document : document.getElementById(el.dataset.progress);
    const items = [...scope.querySelectorAll(".item.available")];
    const done = items.filter((i) => isDone(r, i)).length;
    el.querySelector(".count").textContent = items.length ? done + " of " + items.length + " done" : "coming";
    el.querySelector(".bar>span").style.width = items.length ? (100 * done / items.length) + "%%" : "0";
  });
}
document.addEventListener("change", (ev) => {
  const item = ev.target.closest("[data-key]");
  if (!item || ev.target.type !== "checkbox" || record() === null) return;
  ttRecord.markRead(item.dataset.key, ev.target.checked, new Date().toISOString());
  render();
});
document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-open]"); if (!a) return;
  const key = a.closest("[data-key]").dataset.key;
  const p = legacy(); p[key] = {...(p[key] || {}), opened: Date.now()}; saveLegacy(p);
});
document.getElementById("reset").addEventListener("click", () => {
  if (confirm("Forget your progress in this browser?")) {
    localStorage.removeItem(LEGACY_KEY); localStorage.removeItem(ttRecord.KEY); render();
  }
});
window.addEventListener("storage", render);
migrate();
render();
"""

_COPY_JS = """
document.querySelectorAll("code[data-embed]").forEach((code) => {
  const url = new URL(code.dataset.embed, location.href).href;
  code.textContent = code.textContent.replace(code.dataset.embed, url);
});
// Copy, and say so next to the button; where the clipboard is refused (an insecure page, a
// denied permission), the snippet is selected for Ctrl+C instead of failing silently.
document.addEventListener("click", async (ev) => {
  const b = ev.target.closest("button[data-copy]"); if (!b) return;
  const code = document.getElementById(b.dataset.copy);
  const status = document.getElementById(b.dataset.copy + "-status");
  try {
    await navigator.clipboard.writeText(code.textContent);
    status.textContent = "Copied to the clipboard.";
  } catch (e) {
    const range = document.createRange(); range.selectNodeContents(code);
    const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
    status.textContent = "Selected: press Ctrl+C (Cmd+C on a Mac) to copy.";
  }
  setTimeout(() => (status.textContent = ""), 4000);
});
"""


def _page(title: str, body: str, script: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{html.escape(title)}</title>\n<link rel="icon" href="favicon.ico">\n'
        f"<style>{_CSS}</style></head>\n<body><main>\n{body}\n</main>\n<script>{script}</script>\n</body></html>\n"
    )


def _span(numbers: range) -> str:
    if len(numbers) == 1:
        return f"Module {numbers[0]:02d}"
    return f"Modules {numbers[0]:02d}-{numbers[-1]:02d}"


def _progress(scope: str) -> str:
    bar = '<div class="bar"><span></span></div>'
    return f'<div data-progress="{scope}"><span class="count muted"></span>{bar}</div>'


def _item(label: str, title: str, key: str, apps: list[App]) -> str:
    e = html.escape
    if not apps:
        return (
            f'<li class="item coming" data-key="{e(key)}"><span class="num">{e(label)}</span>{e(title)} '
            f'<span class="badge">coming</span></li>'
        )
    links = "".join(
        f'<a data-open href="{EDIT}/{e(a.stem)}/">{e(a.title) if len(apps) > 1 else "Open notebook"}</a>'
        f'<a data-open href="{EMBED}/{e(a.stem)}/">view only</a>'
        for a in apps
    )
    kind = apps[0].kind
    count = sum(len(exercises.checked_in(a.path.read_text(encoding="utf-8"))) for a in apps)
    box = '<label><input type="checkbox"> done</label>' if kind != "milestone" and not count else ""
    return (
        f'<li class="item available" data-key="{e(key)}" data-kind="{kind}" data-exercises="{count}">'
        f'<span class="num">{e(label)}</span>{e(apps[0].title)}'
        f'<div class="links">{links}{box}<span class="seen muted"></span></div>'
        f'<div class="did muted"></div></li>'
    )


def render_index(apps: list[App], build: dict) -> str:
    """The course map: every tier, module and milestone; links where an app exists."""
    by_kind: dict[tuple[str, int | None], list[App]] = defaultdict(list)
    for a in apps:
        by_kind[(a.kind, a.number)].append(a)
    parts = [
        '<h1>TinyTorch</h1><p class="muted">Build a deep-learning framework from scratch, one module at a '
        "time, in your browser: every notebook runs Python (Pyodide) locally, nothing to install.</p>",
        '<p class="start"><b>Start with 01 Tensor</b> and go in order; the milestones put what you built to '
        "work. <b>Open notebook</b> is the full notebook, where you edit the code and do the exercises; "
        "<b>view only</b> is the same notebook with the code hidden, for reading (and for embedding). "
        f"The first notebook takes {FIRST_VISIT_WAIT} to start Python in your browser; "
        "later ones start faster.</p>",
        _progress("all"),
    ]
    for name, blurb, numbers in TIERS:
        tid = f"tier-{name.lower()}"
        items = "".join(
            _item(
                f"{n:02d}",
                MODULES[n][0] if n in MODULES else f"Module {n}",
                f"module-{n:02d}",
                by_kind.get(("module", n), []),
            )
            for n in numbers
        )
        parts.append(
            f'<section id="{tid}"><h2>{html.escape(name)}</h2><p class="muted">{html.escape(blurb)} '
            f"{_span(numbers)}.</p>"
            f'{_progress(tid)}<ol class="items">{items}</ol></section>'
        )
    extra_years = sorted(n for k, n in by_kind if k == "milestone" and n not in MILESTONES)
    items = "".join(
        _item(
            str(y),
            MILESTONES[y][0] if y in MILESTONES else f"Milestone {y}",
            f"milestone-{y}",
            by_kind.get(("milestone", y), []),
        )
        for y in [*MILESTONES, *extra_years]
    )
    parts.append(
        '<section id="milestones"><h2>Milestones</h2><p class="muted">Historic results, rebuilt with '
        f'your own framework.</p>{_progress("milestones")}<ol class="items">{items}</ol></section>'
    )
    extras = [a for a in apps if a.kind == "extra"]
    if extras:
        items = "".join(_item("", a.title, a.key, [a]) for a in extras)
        parts.append(f'<section id="extras"><h2>More notebooks</h2><ol class="items">{items}</ol></section>')
    info = " &middot; ".join(html.escape(f"{k}: {v}") for k, v in build.items())
    parts.append(
        f'<footer><p><a href="embed.html">Embed a notebook in your own page</a></p>'
        f'<p id="record-problem" class="problem" hidden></p>'
        f"<p>Your progress is kept in this browser only (localStorage). "
        f'<button id="reset" type="button">Reset progress</button></p><p>{info}</p></footer>'
    )
    script = recording.RECORD_JS + _PROGRESS_JS % {"legacy": repr(LEGACY_KEY)}
    return _page("TinyTorch course", "\n".join(parts), script)


def embed_snippet(app: App, src: str) -> str:
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(app.title)}" width="100%" height="640" '
        f'style="border:0" loading="lazy" allow="cross-origin-isolated"></iframe>'
    )


def render_embed_page(apps: list[App]) -> str:
    """One copy-paste iframe snippet per app (the URL is completed from where the site is hosted)."""
    e = html.escape
    parts = [
        '<p><a href="./">&larr; course map</a></p><h1>Embed a notebook</h1>',
        "<p>Each notebook has a view-only page (code hidden, outputs and widgets live) made for an "
        "<code>&lt;iframe&gt;</code> in a textbook or slide. Paste the snippet into your page; the "
        "notebook starts when the frame scrolls into view and runs entirely in the reader's browser.</p>",
        "<p><b>To open the frame at a section</b>, add the section's heading to the address, in lower "
        "case with dashes: <code>.../embed/07_training/#see-it-a-training-playground</code> opens at "
        "<i>See it: a training playground</i> once the notebook has started.</p>",
        '<p class="muted">Training runs have their own <b>Stop training</b> button, which works in any '
        "page. marimo's stop button for other long cells needs cross-origin isolation: serve "
        "<em>your</em> page with <code>Cross-Origin-Opener-Policy: same-origin</code> and "
        '<code>Cross-Origin-Embedder-Policy: require-corp</code> and keep <code>allow="cross-origin-isolated"'
        "</code> on the iframe.</p>",
    ]
    if not apps:
        parts.append("<p>No notebooks yet.</p>")
    for i, a in enumerate(apps):
        src = f"{EMBED}/{a.stem}/"
        parts.append(
            f'<h2>{e(a.title)}</h2><p class="muted">{e(a.stem)}.py &middot; '
            f'<a href="{src}">open the view</a></p><pre><code id="snippet-{i}" data-embed="{e(src)}">'
            f'{e(embed_snippet(a, src))}</code></pre><button type="button" data-copy="snippet-{i}">copy'
            f'</button> <span id="snippet-{i}-status" class="muted" role="status" aria-live="polite"></span>'

        )
    return _page("Embed a TinyTorch notebook", "\n".join(parts), _COPY_JS)
