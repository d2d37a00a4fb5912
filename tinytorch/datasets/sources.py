"""Where dataset files come from: a local mirror, the download cache, or the network.

For each file (named by its path in the mirror layout, e.g. `mnist/train-images-idx3-ubyte.gz`)
the first of these that has it wins:

1. the local mirror: the folder named by the environment variable `TINYTORCH_DATA` (a course
   machine or CI keeps one copy of every dataset there, so nothing is downloaded);
2. the download cache: `TINYTORCH_CACHE`, else `~/.cache/tinytorch`;
3. a download: from the course site's data folder when one is set (`set_data_url`, or the
   environment variable `TINYTORCH_DATA_URL`), then from each upstream URL in `catalog`.
   `TINYTORCH_UPSTREAM_URL` replaces the upstream hosts by one base URL that serves their
   files under `<host>/<path>` (the layout `wget -x` makes), for an offline copy of upstream.

Whatever arrives is unwrapped and its content checked against `catalog` before it is used;
decompression stops as soon as it passes the catalog's size (a gzip bomb costs nothing), and a
download stops when it passes the most a compressed copy can be or takes longer than
`DOWNLOAD_TOTAL_SECONDS` in all (besides `DOWNLOAD_TIMEOUT_SECONDS` for any single read).

A download is written to the cache only after it passes, atomically (a temporary `*.part`
file, then `os.replace`), with the permissions the umask gives any new file. Caching is best
effort: a read-only or full cache gives a warning, never the loss of a checked download.
Temporary files left behind by a killed process are removed on the next write to the cache.
`verify=False` skips the checks and the size caps (for a mirror of files you made yourself);
a download that is not checked is used but never cached.

In the browser (Pyodide, where Python runs in a web worker and cannot open sockets), there is
no cache and no upstream: files come from the course site by a synchronous XMLHttpRequest.
Under marimo the site's data folder defaults to `mo.notebook_location() / "data"`.
"""

import functools
import http.client
import os
import secrets
import sys
import time
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinytorch.datasets.archives import download_limit, unpack
from tinytorch.datasets.catalog import FILES, DatasetFile, check_members
from tinytorch.datasets.errors import CorruptFileError, DatasetNotFoundError, UnreadableFileError

MIRROR_ENV = "TINYTORCH_DATA"
CACHE_ENV = "TINYTORCH_CACHE"
DATA_URL_ENV = "TINYTORCH_DATA_URL"
UPSTREAM_URL_ENV = "TINYTORCH_UPSTREAM_URL"
IN_BROWSER = sys.platform == "emscripten"
DOWNLOAD_TIMEOUT_SECONDS = 60  # for any one read: a server gone silent
DOWNLOAD_TOTAL_SECONDS = 30 * 60  # for a whole file: CIFAR-10's 170 MB at 100 kB/s, or a trickling server
TEMPORARY_SUFFIXES = (".part", ".tmp")
# A temporary cache file lives while bytes already in memory go to disk: seconds, even for
# CIFAR-10. One older than this was left by a process that was killed, and is removed.
STALE_TEMPORARY_SECONDS = 10 * 60

_data_url: str | None = None


@dataclass
class Fetched:
    """A dataset file as found: its bytes as stored, its checked content members, and where from."""

    raw: bytes
    members: dict[str, bytes | memoryview]
    where: str


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

    Raises DatasetNotFoundError (naming every place tried), ChecksumError, CorruptFileError or
    UnreadableFileError.
    """
    return fetch_file(path, verify).members


def fetch_file(path: str, verify: bool = True) -> Fetched:
    """Like `fetch`, keeping the file's bytes as stored (the site build serves those)."""
    file = FILES[path]
    for local in local_copies(path):
        raw = read_local(local, path, file, verify)
        if raw is not None:
            members = unpack(path, raw, str(local), file, enforce_size=verify)
            if verify:
                check_members(str(local), members, file)
            return Fetched(raw, members, str(local))

    site = data_url()
    urls = ([f"{site.rstrip('/')}/{path}"] if site else []) + ([] if IN_BROWSER else upstream_urls(file))
    failures, max_bytes = [], download_limit(path, file) if verify else None
    for url in urls:
        try:
            raw = browser_get(url) if IN_BROWSER else http_get(url, max_bytes)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"  {url}: {error}")
            continue
        members = unpack(path, raw, url, file, enforce_size=verify)
        if verify:
            check_members(url, members, file)
            if not IN_BROWSER:
                cache_best_effort(path, raw)
        return Fetched(raw, members, url)
    raise DatasetNotFoundError(not_found_message(path, failures))


def upstream_urls(file: DatasetFile) -> list[str]:
    """The catalog's URLs for `file`, each moved under `TINYTORCH_UPSTREAM_URL` when that is set."""
    base = os.environ.get(UPSTREAM_URL_ENV)
    if not base:
        return list(file.urls)
    parts = (urllib.parse.urlsplit(url) for url in file.urls)
    return [f"{base.rstrip('/')}/{part.netloc}{part.path}" for part in parts]


def read_local(local: Path, path: str, file: DatasetFile, verify: bool) -> bytes | None:
    """The bytes of the local copy `local` of `path`, or None when there is none.

    A copy that exists but cannot be read is an error (UnreadableFileError), not "absent": the
    learner should fix its permissions rather than download a second copy. When verifying, a
    copy larger than any published one can be is refused before it is read into memory.
    """
    try:
        if not local.is_file():
            return None
        size = local.stat().st_size
        if verify and size > download_limit(path, file):
            raise CorruptFileError(
                f"{local} is {size:,} bytes, more than any copy of {path} can be "
                f"({download_limit(path, file):,}); it is not the dataset file. Delete it."
            )
        return local.read_bytes()
    except OSError as error:
        raise UnreadableFileError(
            f"{local} exists but cannot be read ({error.strerror or error}). Give yourself read "
            f"permission on it (chmod u+r), or delete it so the next load fetches it again."
        ) from None


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


def http_get(url: str, max_bytes: int | None = None, total_seconds: float | None = None) -> bytes:
    """Download `url` whole, showing progress on stderr; OSError if it fails or stops short.

    At most `max_bytes` (a server sending more is not sending the dataset) and at most
    `total_seconds` in all (`DOWNLOAD_TOTAL_SECONDS` by default): the per-read timeout alone
    would let a server that trickles a byte a minute hold the loader forever. `read1` returns
    whatever has arrived, so the clock is checked as the bytes trickle in.
    """
    total_seconds = DOWNLOAD_TOTAL_SECONDS if total_seconds is None else total_seconds
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
        total = int(response.headers.get("Content-Length") or 0)
        if max_bytes is not None and total > max_bytes:
            raise OSError(f"the server offers {total:,} bytes, more than any copy of this file can be "
                          f"({max_bytes:,})")
        chunks, received, shown = [], 0, -1

        def progress(end=""):
            of_total = f" of {total / 1e6:.1f} MB ({100 * received // total}%)" if total else " MB"
            print(f"\rdownloading {url}: {received / 1e6:.1f}{of_total}", end=end, file=sys.stderr)

        while chunk := response.read1(1 << 20):
            chunks.append(chunk)
            received += len(chunk)
            if received >> 20 != shown:  # once per MB: read1's pieces are often small
                shown = received >> 20
                progress()
            if max_bytes is not None and received > max_bytes:
                raise OSError(f"the server sent more than {max_bytes:,} bytes, more than any copy of "
                              "this file can be")
            if time.monotonic() - started > total_seconds:
                raise TimeoutError(f"the download took longer than {total_seconds:g} s in all "
                                   f"({received:,} bytes received); try again on a faster connection, "
                                   f"or download the file yourself into {MIRROR_ENV}")
        progress(end="\n")
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


def cache_best_effort(path: str, raw: bytes) -> None:
    """Keep a checked download in the cache if the cache can take it; warn, never fail, if not."""
    try:
        write_atomically(cache_dir() / path, raw)
    except OSError as error:
        warnings.warn(
            f"{path} was downloaded and checked, but could not be kept in the cache {cache_dir()} "
            f"({error.strerror or error}), so the next load downloads it again. Set {CACHE_ENV} "
            "to a writable folder to keep it.",
            stacklevel=3,
        )


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the whole new one, never part.

    The temporary file is opened with mode 0o666 and O_EXCL, so the umask decides its
    permissions as for any file the learner creates (tempfile.mkstemp would force 0o600).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    temporary = target.with_name(f"{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files in `folder` that a killed process left (older than a few minutes)."""
    now = time.time()
    for entry in folder.iterdir():
        if entry.name.endswith(TEMPORARY_SUFFIXES) and entry.is_file():
            try:
                if now - entry.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                    entry.unlink()
            except OSError:
                pass  # gone already (another process cleaned it), or not ours to delete


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
