"""A local stand-in for the datasets' upstream hosts, so download tests never reach the internet.

Files sit at `<folder>/<host>/<path>` of their first catalog URL (the layout `wget -x` makes),
which `TINYTORCH_UPSTREAM_URL=<base URL of folder>` makes the loaders use. Real content comes
from the course's data mirror, rewrapped the way upstream publishes it (gzip headers that name
the file and carry a timestamp, a tar archive made afresh), so the bytes differ from the
mirror's and only the content checksums can match: exactly what a fresh clone meets.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import urllib.parse
from pathlib import Path

from tinytorch.datasets import catalog
from tinytorch.datasets.archives import gunzip, untar

UPSTREAM_MTIME = 1_000_000_000  # gzip headers carry a timestamp; upstream's are old


def upstream_path(folder: Path, path: str) -> Path:
    """Where the file `path` (mirror layout) sits in an upstream-layout `folder`."""
    url = urllib.parse.urlsplit(catalog.FILES[path].urls[0])
    return folder / url.netloc / url.path.lstrip("/")


def upstream_gzip(content: bytes, name: str) -> bytes:
    """`content` gzipped as upstream tools do: the file name and a timestamp in the header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(name, "wb", compresslevel=1, fileobj=buffer, mtime=UPSTREAM_MTIME) as out:
        out.write(content)
    return buffer.getvalue()


def upstream_tar_gz(members: dict[str, bytes]) -> bytes:
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), UPSTREAM_MTIME
            archive.addfile(info, io.BytesIO(data))
    return upstream_gzip(tar.getvalue(), "cifar-10-binary.tar")


def write_upstream(folder: Path, path: str, raw: bytes) -> Path:
    target = upstream_path(folder, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)
    return target


def rewrap_from_mirror(mirror: Path, folder: Path, dataset: str) -> list[str]:
    """Every catalog file of `dataset` from `mirror`, rewrapped upstream-style into `folder`."""
    paths = [path for path in catalog.FILES if path.split("/")[0] == dataset]
    for path in paths:
        raw = (mirror / path).read_bytes()
        if path.endswith(".tar.gz"):
            members = {name: bytes(data) for name, data in untar(gunzip(raw, path), path).items()}
            rewrapped = upstream_tar_gz(members)
        else:
            rewrapped = upstream_gzip(gunzip(raw, path), Path(path).name.removesuffix(".gz"))
        assert rewrapped != raw, f"{path}: the stand-in must not serve the mirror's bytes"
        write_upstream(folder, path, rewrapped)
    return paths
