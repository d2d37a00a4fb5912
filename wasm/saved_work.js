// A learner's code in this notebook, kept in this browser across reloads (wasm/saved_work.py
// injects this script, with data-app, data-version and data-prefix, right after <marimo-code>).
//
// Saving: marimo itself saves (its autosave, turned on by the build, and Ctrl/Cmd-S) and writes
// the notebook to localStorage under ONE key for the whole origin, "marimo:file". That write is
// caught here and kept under "<prefix><version>" instead, so apps on one site never mix.
// marimo's save rebuilds the file from the cells alone (no script header, no app config), so
// the cells are put back under this page's own header, which lists what micropip installs.
// Restoring: before marimo reads <marimo-code> (when its worker is ready, long after this runs),
// the element gets the saved code. Saved work for another version is never applied silently:
// a banner offers to bring it forward, download it or discard it.
(() => {
  const script = document.currentScript;
  const { app, version, prefix } = script.dataset;
  const KEY = prefix + version;
  const MARIMO_KEY = "marimo:file";
  const codeElement = document.querySelector("marimo-code");
  const original = decodeURIComponent(codeElement.textContent).trim();
  let status = { state: "ready", text: "Your edits are saved in this browser as you type." };
  let render = () => {};
  let frozen = false; // set while the page reloads after a reset or a bring-forward: marimo may save once more

  // marimo's file format: header, docstring, `import marimo`, `app = marimo.App(...)`, cells.
  const CELLS = /^(?:@app\.|with app\.setup|if __name__ == )/m;
  function cellsStart(code) {
    const appLine = code.search(/^app = marimo\.App\(/m);
    const cells = appLine < 0 ? -1 : code.slice(appLine).search(CELLS);
    return cells < 0 ? -1 : appLine + cells;
  }
  // This page's header and app config, followed by the cells of `code`; null if `code` is not
  // a marimo notebook.
  function withOurHeader(code) {
    const at = cellsStart(code);
    return at < 0 ? null : original.slice(0, cellsStart(original)) + code.slice(at);
  }

  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage blocked (some private modes): said so in the status line
    }
  })();
  function read(key) {
    try {
      const record = JSON.parse(storage.getItem(key));
      return record && typeof record.code === "string" && typeof record.savedAt === "string" ? record : null;
    } catch {
      return null;
    }
  }
  function olderCopies() {
    const keys = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key.startsWith(prefix) && key !== KEY && read(key)) keys.push(key);
    }
    return keys.sort((a, b) => read(b).savedAt.localeCompare(read(a).savedAt));
  }
  const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

  function keep(value) {
    try {
      const code = withOurHeader(JSON.parse(value));
      if (code === null) throw new Error("marimo saved something that is not a notebook");
      if (code.trim() === original) {
        storage.removeItem(KEY);
        status = { state: "original", text: "Same as the original: nothing to keep." };
      } else {
        const savedAt = new Date().toISOString();
        storage.setItem(KEY, JSON.stringify({ app, version, savedAt, code }));
        status = { state: "saved", text: `Saved in this browser at ${new Date(savedAt).toLocaleTimeString()}.` };
      }
    } catch (error) {
      status = { state: "error", text: `Not saved: ${error.message}` };
    }
    render();
  }

  if (!storage) {
    status = { state: "error", text: "Not saved: this browser blocks storage for this site." };
  } else {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (this !== storage || key !== MARIMO_KEY) return setItem.call(this, key, value);
      if (!frozen) keep(value);
    };
    const mine = read(KEY);
    const restored = mine && withOurHeader(mine.code);
    if (restored) {
      codeElement.textContent = encodeURIComponent(restored);
      status = { state: "restored", text: `Your work saved ${when(mine.savedAt)} is back; the notebook runs it as it opens.` };
    } else if (mine) {
      status = { state: "error", text: "Your saved copy is not a marimo notebook and was not loaded." };
    }
  }
  // marimo also writes each save into the address (#code/...), one history entry per save,
  // which would make Back step through saves; the page never reads it back (<marimo-code> wins).
  window.navigation?.addEventListener("navigate", (event) => {
    if (event.hashChange && event.cancelable && new URL(event.destination.url).hash.startsWith("#code/")) {
      event.preventDefault();
    }
  });

  function reloadWith(change) {
    frozen = true;
    change();
    location.reload();
  }
  function button(label, action, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.action = action;
    b.addEventListener("click", onClick);
    return b;
  }

  function showBar() {
    const style = document.createElement("style");
    style.textContent = `
      #tt-saved, #tt-older { position: fixed; left: 50%; transform: translateX(-50%); z-index: 50;
        font: 13px/1.4 system-ui, sans-serif; border-radius: 6px; }
      #tt-saved { top: 6px; padding: 3px 10px; color: #555; background: #f6f6f6; border: 1px solid #ddd;
        white-space: nowrap; max-width: 94vw; overflow: hidden; text-overflow: ellipsis; }
      #tt-saved[data-state="error"] { color: #8a1c1c; background: #fdecec; border-color: #e6b0b0; }
      #tt-older { top: 40px; max-width: min(720px, 94vw); padding: 10px 14px; background: #fff8db;
        border: 1px solid #e0c96b; box-shadow: 0 2px 8px rgba(0,0,0,.12); color: #333; }
      #tt-saved button, #tt-older button { font: inherit; margin-left: 8px; padding: 1px 8px; cursor: pointer;
        border: 1px solid #bbb; border-radius: 4px; background: #fff; }
      #tt-older p { margin: 0 0 8px; }`;
    document.head.append(style);
    const bar = document.createElement("div");
    bar.id = "tt-saved";
    bar.setAttribute("role", "status");
    const text = document.createElement("span");
    const reset = button("Reset to the original", "reset", () => {
      if (confirm("Reset this notebook to the course's original? The work saved in this browser for it will be deleted.")) {
        reloadWith(() => storage.removeItem(KEY));
      }
    });
    bar.append(text, reset);
    document.body.append(bar);
    render = () => {
      text.textContent = status.text;
      bar.dataset.state = status.state;
      reset.hidden = !storage || !read(KEY);
    };
    render();
  }

  function showOlder(keys) {
    const newest = read(keys[0]);
    const banner = document.createElement("div");
    banner.id = "tt-older";
    banner.setAttribute("role", "alertdialog");
    const text = document.createElement("p");
    text.textContent =
      `This notebook has changed since you worked on it: your copy, saved ${when(newest.savedAt)}, ` +
      "is for an earlier version of the course and was not loaded. Bringing it forward replaces " +
      "this notebook's cells with yours (the course's changes to them will not be in it).";
    const forget = () => keys.forEach((key) => storage.removeItem(key));
    const forward = withOurHeader(newest.code);
    banner.append(
      text,
      forward === null ? "" : button("Bring my work forward", "bring-forward", () => {
        if (read(KEY) && !confirm("This replaces the work you saved for this version. Continue?")) return;
        reloadWith(() => {
          storage.setItem(KEY, JSON.stringify({ ...newest, version, code: forward }));
          forget();
        });
      }),
      button("Download my old copy", "download", () => {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob([newest.code], { type: "text/x-python" }));
        link.download = `${app}-saved-${newest.savedAt.slice(0, 10)}.py`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      }),
      button("Discard it", "discard", () => {
        if (confirm("Delete your old copy of this notebook from this browser? Download it first to keep it.")) {
          forget();
          banner.remove();
        }
      }),
    );
    document.body.append(banner);
  }

  document.addEventListener("DOMContentLoaded", () => {
    showBar();
    if (storage) {
      const keys = olderCopies();
      if (keys.length) showOlder(keys);
    }
  });
})();
