"""Gzip copies of a built site's text and WebAssembly files (`wasm.precompress`), and the local
server sending them to browsers that accept gzip (`wasm.serve`)."""

import gzip
import urllib.request

from wasm.precompress import MIN_BYTES, precompress
from wasm.serve import serving
from wasm.site import sizes

SCRIPT = ("export const x = 1;\n" * 400).encode()


def site(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-Bx3k9Qa1.js").write_bytes(SCRIPT)
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm" + bytes(4000))
    (tmp_path / "pyodide" / "pkg-1.0-py3-none-any.whl").write_bytes(gzip.compress(SCRIPT))  # a zip already
    (tmp_path / "embed" / "app").mkdir(parents=True)
    (tmp_path / "embed" / "app" / "index.html").write_text("<p>hello</p>" * 200)
    (tmp_path / "tiny.json").write_text("{}")
    return tmp_path


def test_text_and_wasm_files_get_a_gzip_copy_and_the_rest_do_not(tmp_path):
    done = precompress(site(tmp_path))
    copies = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.gz"))
    assert copies == ["assets/index-Bx3k9Qa1.js.gz", "embed/app/index.html.gz", "pyodide/pyodide.asm.wasm.gz"]
    assert gzip.decompress((tmp_path / "assets" / "index-Bx3k9Qa1.js.gz").read_bytes()) == SCRIPT
    assert done.files == 3 and done.bytes_after < done.bytes_before / 5
    assert (tmp_path / "tiny.json").stat().st_size < MIN_BYTES  # too small to be worth a copy
    first = (tmp_path / "assets" / "index-Bx3k9Qa1.js.gz").read_bytes()
    precompress(tmp_path)
    assert (tmp_path / "assets" / "index-Bx3k9Qa1.js.gz").read_bytes() == first  # no timestamp inside
    assert sizes(tmp_path)["total"] == sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()
                                           and p.suffix != ".gz")


def fetch(url: str, accept: str | None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(request) as r:
        return r.headers, r.read()


def test_the_server_sends_the_gzip_copy_only_to_browsers_that_accept_it(tmp_path):
    precompress(site(tmp_path))
    with serving(tmp_path) as base:
        headers, body = fetch(base + "assets/index-Bx3k9Qa1.js", "gzip, deflate, br")
        assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith("text/javascript")
        assert gzip.decompress(body) == SCRIPT and int(headers["Content-Length"]) == len(body)
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Vary"] == "Accept-Encoding"
        headers, body = fetch(base + "assets/index-Bx3k9Qa1.js", None)
        assert headers["Content-Encoding"] is None and body == SCRIPT
        headers, body = fetch(base + "pyodide/pyodide.asm.wasm", "gzip")
        assert headers["Content-Type"] == "application/wasm" and headers["Content-Encoding"] == "gzip"
        headers, body = fetch(base + "embed/app/", "gzip")  # a folder's page
        assert headers["Content-Type"].startswith("text/html")
        assert gzip.decompress(body).startswith(b"<p>hello")
        headers, body = fetch(base + "pyodide/pkg-1.0-py3-none-any.whl", "gzip")
        assert headers["Content-Encoding"] is None  # no copy: sent as it is
