"""Serve a built site on 127.0.0.1 with the headers that make a running cell interruptible.

marimo stops a running cell by writing to a `SharedArrayBuffer` the Pyodide worker polls;
browsers only grant `SharedArrayBuffer` to cross-origin-isolated pages, i.e. pages served with

    Cross-Origin-Opener-Policy: same-origin
    Cross-Origin-Embedder-Policy: require-corp

Every response also carries `Cross-Origin-Resource-Policy: cross-origin`, so the pages can be
iframed by isolated pages of other origins (a textbook), and a `Cache-Control`: `no-cache` (the
browser asks again each visit, and gets a short "304 Not Modified" when nothing changed), so a
rebuilt site is never mixed with a cached older one; except for marimo's frontend in `assets/`,
whose file names carry a hash of their content, so the browser keeps them without asking.
Files the build precompressed (`wasm.precompress`) are sent gzipped to browsers that accept it.
`python -m http.server` does none of this. Static hosts that cannot set headers: see
docs/site.md (a `_headers` file is written for hosts that read one; a service worker can add
the headers where none can be set).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


# marimo's frontend files are named after their content (index-Bx3k9Qa1.js): a rebuilt file
# gets a new name, so a cached copy can never be stale.
HASHED_FOLDERS = ("assets",)
IMMUTABLE = "public, max-age=31536000, immutable"


def cache_control(url_path: str) -> str:
    """The Cache-Control header for a site path such as "/assets/index-Bx3k9Qa1.js"."""
    return IMMUTABLE if url_path.lstrip("/").split("/", 1)[0] in HASHED_FOLDERS else "no-cache"


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
        ".webmanifest": "application/manifest+json",
    }
    isolation = True
    quiet = True
    gzipped = False  # this response is the file's precompressed copy (`wasm.precompress`)

    def translate_path(self, path):
        """The file's `.gz` copy when there is one and the browser accepts gzip."""
        real = super().translate_path(path)
        if path.split("?", 1)[0].endswith("/") and Path(real, "index.html").is_file():
            real = str(Path(real, "index.html"))  # a folder's page, as the parent class serves it
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        self.gzipped = accepts and Path(real + ".gz").is_file() and Path(real).is_file()
        return real + ".gz" if self.gzipped else real

    def guess_type(self, path):
        return super().guess_type(path.removesuffix(".gz") if self.gzipped else path)

    def end_headers(self):
        if self.isolation:
            for k, v in ISOLATION_HEADERS.items():
                self.send_header(k, v)
        self.send_header("Cache-Control", cache_control(self.path.split("?", 1)[0]))
        if self.gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(
    directory: Path, port: int = 0, host: str = "127.0.0.1", isolation: bool = True, quiet: bool = True
) -> ThreadingHTTPServer:
    handler = type("Handler", (SiteHandler,), {"isolation": isolation, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def serving(directory: Path, port: int = 0, isolation: bool = True):
    """Serve `directory` in a background thread; yields the base URL (ending in '/')."""
    server = make_server(directory, port, isolation=isolation)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class ServeError(Exception):
    """The site cannot be served: no site in the folder, or the port is taken. One-line message."""


def serve_forever(directory: Path, port: int = 8000) -> None:
    """Serve the built site `directory` until Ctrl-C; ServeError, saying what to do, if it cannot.

    A folder without index.html is refused rather than served as a page of 404s.
    """
    if not (directory / "index.html").is_file():
        state = "does not exist" if not directory.exists() else "holds no index.html"
        raise ServeError(f"{directory} {state}, so there is no site to serve; build one first "
                         f"(python build_site.py --out {directory}), or pass --out <built site>")
    try:
        server = make_server(directory, port, quiet=False)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise ServeError(f"port {port} on 127.0.0.1 is already in use (another server?); choose "
                         "another with --port <number>, or --port 0 for any free port") from None
    print(
        f"serving {directory} at http://127.0.0.1:{server.server_address[1]}/ "
        f"(cross-origin isolated; Ctrl-C stops)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
