"""The learner's code in an edit page, kept in the browser across reloads and restarts.

marimo's WASM page always starts from the code embedded in it (`<marimo-code>`): without help,
a learner who closes the tab loses what they typed. marimo can save in the browser, but its
exports turn autosave off, and its save goes to ONE localStorage key for the whole origin
("marimo:file"), which every app of this site would overwrite, and which marimo never reads
back while the page embeds code. So each edit page gets (see `saved_work.js`):

* marimo's autosave turned back on (`"autosave": "after_delay"` in the page's mount config,
  1 s after the last edit), Ctrl/Cmd-S as in marimo;
* a script that keeps each save under `tinytorch.saved.v1/<app>/<version>` and, on load, puts
  the saved code into `<marimo-code>` before marimo reads it. The version is a hash of the
  notebook as built: a new course version never silently loads code written for an old one,
  and never silently drops it either (a banner offers to bring it forward, download it or
  discard it); "Reset to the original" deletes the saved copy.

Nothing leaves the browser. Embed (run-mode) pages are not editable and get nothing.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from wasm.page import configure, mount_config, notebook_code

SCRIPT = Path(__file__).with_name("saved_work.js")
KEY_PREFIX = "tinytorch.saved.v1"
_INJECTED = re.compile(r"<script data-tinytorch-saved-work\b[^>]*>.*?</script>", re.S)
_CODE_END = "</marimo-code>"
_AUTOSAVE_OFF, _AUTOSAVE_ON = "off", "after_delay"  # marimo's save.autosave, as exported / as wanted
# Where marimo's file format puts the app and its first cell; the script splits saves there.
_APP_LINE = re.compile(r"^app = marimo\.App\(", re.M)
_CELLS = re.compile(r"^(?:@app\.|with app\.setup|if __name__ == )", re.M)


def course_version(code: str) -> str:
    """12 hex digits of sha256 over the notebook as built: a new version whenever its code changes."""
    return hashlib.sha256(code.encode()).hexdigest()[:12]


def storage_key(app: str, version: str) -> str:
    """The localStorage key of an app's saved code for one course version."""
    return f"{KEY_PREFIX}/{app}/{version}"


def add_to_page(page: str, app: str) -> str:
    """`page` (an edit-mode export) with marimo's autosave on and the saved-work script after its
    `<marimo-code>`. Applying it again replaces the script (the version follows the page's code)."""
    page = _INJECTED.sub("", page)
    code = notebook_code(page)
    if not (m := _APP_LINE.search(code)) or not _CELLS.search(code, m.end()):
        raise ValueError(f"{app}: the page's notebook has no `app = marimo.App(` line followed by cells; "
                         "saved work could not be put back under its header")
    page = _autosave_on(page, app)
    source = SCRIPT.read_text(encoding="utf-8")
    if "</" in source:
        raise ValueError(f"{SCRIPT.name} must not contain '</': it is inlined in a <script> element")
    attrs = {"app": app, "version": course_version(code), "prefix": storage_key(app, "")}
    rendered = "".join(f' data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    end = page.index(_CODE_END) + len(_CODE_END)
    return f"{page[:end]}<script data-tinytorch-saved-work{rendered}>\n{source}</script>{page[end:]}"


def _autosave_on(page: str, app: str) -> str:
    """`page` with marimo's autosave on, through the one place that edits a page's marimo config
    (`wasm.page.configure`), after checking the export still has the setting this relies on."""
    autosave = mount_config(page).get("save", {}).get("autosave")
    if autosave not in (_AUTOSAVE_OFF, _AUTOSAVE_ON):
        raise ValueError(f"{app}: the mount config's save.autosave is {autosave!r}, not "
                         f"{_AUTOSAVE_OFF!r}: marimo's export format changed, saved work would not be saved")
    return configure(page, {"save": {"autosave": _AUTOSAVE_ON}})


def keep_in_browser(page: Path, app: str) -> None:
    """Rewrite the edit page `page` of `app` in place (see `add_to_page`)."""
    page.write_text(add_to_page(page.read_text(encoding="utf-8"), app), encoding="utf-8")
