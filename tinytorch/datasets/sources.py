"""Where dataset files come from: a local mirror, the download cache, or the network.

For each file (named by its path in the mirror layout, e.g. `mnist/train-images-idx3-ubyte.gz`)
the first of these that has it wins:

1. the local mirror: the folder named by the environment variable `TINYTORCH_DATA` (a course
   machine or CI keeps one copy of every dataset there, so nothing is downloaded);
2. the download cache: `TINYTORCH_CACHE`, else `~/.cache/tinytorch`;
3. a download: from the course site's data folder when one is set (`set_data_url`, or the
   environment variable `TINYTORCH_DATA_URL`), then from each upstream URL in `catalog`.

Whatever arrives is unwrapped and its content checked against `catalog` before it is used.
A download is written to the cache only after it passes, and atomically (a temporary file,
then `os.replace`), so the cache never holds a half-written or unchecked file and an
interrupted download leaves nothing behind. `verify=False` skips the checks (for a mirror of
files you made yourself); a download that is not checked is used but never cached.

In the browser (Pyodide, where Python runs in a web worker and cannot open sockets), there is
no cache and no upstream: files come from the course site by a synchronous XMLHttpRequest.
Under marimo the site's data folder defaults to `mo.notebook_location() / "data"`.
"""

import functools
import http.client
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

from tinytorch.datasets.archives import unpack
from tinytorch.datasets.catalog import FILES, check_members
from tinytorch.datasets.errors import DatasetNotFoundError

MIRROR_ENV = "TINYTORCH_DATA"
CACHE_ENV = "TINYTORCH_CACHE"
DATA_URL_ENV = "TINYTORCH_DATA_URL"
IN_BROWSER = sys.platform == "emscripten"
DOWNLOAD_TIMEOUT_SECONDS = 60

_data_url: str | None = None


def set_data_url(url: str | None) -> None:
    """Fetch dataset files from `url`, a folder laid out like the mirror (`url/mnist/...`).

    In a marimo app exported to WebAssembly: `set_data_url(str(mo.notebook_location() / "data"))`.
    `None` goes back to the default (`TINYTORCH_DATA_URL`, or marimo's location in the browser).
    """
    global _data_url
    _data_url = url


def data_url() -> str | None:
    """The course site's data folder URL, if any: set_data_url, TINYTORCH_DATA_URL, or marimo's."""
    if _data_url or os.environ.get(DATA_URL_ENV):
        return _data_url or os.environ[DATA_URL_ENV]
    marimo = sys.modules.get("marimo")  # only if the app imported it: tinytorch does not need marimo
    location = marimo.notebook_location() if IN_BROWSER and marimo is not None else None
    return None if location is None else str(location / "data")


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "tinytorch")


def fetch(path: str, verify: bool = True) -> dict[str, bytes | memoryview]:
    """The content members of dataset file `path`, checked against the catalog unless not `verify`.

    Raises DatasetNotFoundError (naming every place tried), ChecksumError or CorruptFileError.
    """
    file = FILES[path]
    for local in local_copies(path):
        if local.is_file():
            members = unpack(path, local.read_bytes(), str(local), file)
            if verify:
                check_members(str(local), members, file)
            return members

    site = data_url()
    urls = ([f"{site.rstrip('/')}/{path}"] if site else []) + ([] if IN_BROWSER else list(file.urls))
    failures = []
    for url in urls:
        try:
            raw = browser_get(url) if IN_BROWSER else http_get(url)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"  {url}: {error}")
            continue
        members = unpack(path, raw, url, file)
        if verify:
            check_members(url, members, file)
            if not IN_BROWSER:
                write_atomically(cache_dir() / path, raw)
        return members
    raise DatasetNotFoundError(not_found_message(path, failures))


def local_copies(path: str) -> list[Path]:
    """Where a local copy of `path` may be, in the order to look: the mirror, then the cache."""
    mirror = os.environ.get(MIRROR_ENV)
    return ([Path(mirror) / path] if mirror else []) + ([] if IN_BROWSER else [cache_dir() / path])


def not_found_message(path: str, failures: list[str]) -> str:
    lines = [f"Could not find {path}."]
    if not os.environ.get(MIRROR_ENV):
        lines.append(f"{MIRROR_ENV} is not set, so there is no local mirror to look in.")
    lines += ["Not found at:", *(f"  {local}" for local in local_copies(path))]
    lines += ["Downloads tried:", *(failures or ["  (none: no URL to try)"])]
    if IN_BROWSER:
        lines.append("Serve the course's data folder with the site and call "
                     f"tinytorch.datasets.set_data_url(<its URL>), or set {DATA_URL_ENV}.")
    else:
        lines.append(f"Set {MIRROR_ENV} to a folder laid out like the course's data mirror "
                     f"({path} inside it), or connect to the internet and load again.")
    return "\n".join(lines)


def http_get(url: str) -> bytes:
    """Download `url` whole, showing progress on stderr; OSError if it fails or stops short."""
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
        total = int(response.headers.get("Content-Length") or 0)
        chunks, received = [], 0
        while chunk := response.read(1 << 20):
            chunks.append(chunk)
            received += len(chunk)
            of_total = f" of {total / 1e6:.1f} MB ({100 * received // total}%)" if total else " MB"
            print(f"\rdownloading {url}: {received / 1e6:.1f}{of_total}", end="", file=sys.stderr)
        print(file=sys.stderr)
    if total and received != total:
        raise OSError(f"the connection closed after {received:,} of {total:,} bytes")
    return b"".join(chunks)


def browser_get(url: str) -> bytes:
    """Download `url` whole from inside Pyodide, synchronously; OSError if it fails.

    The loaders are synchronous (like PyTorch's), and Pyodide's `pyfetch` is async, so this uses
    a synchronous XMLHttpRequest. In a web worker (where marimo runs Python) it can return an
    ArrayBuffer; on a page's main thread browsers forbid that for synchronous requests, so the
    bytes come back as text decoded with `x-user-defined`, which maps each byte b to one UTF-16
    code unit whose low byte is b.
    """
    from js import XMLHttpRequest  # Pyodide's bridge to JavaScript; exists only in the browser

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    try:
        request.responseType = "arraybuffer"
        as_text = False
    except Exception:  # InvalidAccessError: a synchronous request on the main thread
        request.overrideMimeType("text/plain; charset=x-user-defined")
        as_text = True
    try:
        request.send(None)
    except Exception as error:  # a JavaScript NetworkError (offline, blocked by CORS)
        raise OSError(f"network error: {error}") from None
    if request.status != 200:
        raise OSError(f"HTTP {request.status} {request.statusText}")
    if as_text:
        return np.frombuffer(request.responseText.encode("utf-16-le"), np.uint8)[::2].tobytes()
    return request.response.to_bytes()


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the whole new one, never part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def remember(load):
    """Decorate a loader so it decodes each dataset once per process, however often it is called.

    The course reloads MNIST in many cells; decompressing and checking it each time would cost
    half a second. Results are kept per set of arguments *and* per data location (mirror, cache,
    site URL), so pointing `TINYTORCH_DATA` elsewhere loads afresh. Loaders return read-only
    arrays, so one caller cannot change what the next one gets.
    """
    @functools.cache
    def load_from(location, *args):
        result = load(*args)
        make_read_only(result)
        return result

    @functools.wraps(load)
    def load_once(*args):
        return load_from((os.environ.get(MIRROR_ENV), cache_dir(), data_url(), IN_BROWSER), *args)

    return load_once


def make_read_only(result) -> None:
    """Mark every array in `result` (an array, or tuples and dicts holding arrays) read-only."""
    if isinstance(result, np.ndarray):
        result.flags.writeable = False
    elif isinstance(result, tuple | dict):
        for item in result.values() if isinstance(result, dict) else result:
            make_read_only(item)
