"""Unwrapping dataset files into their content: gzip, tar, and Project Gutenberg's licence text.

Checksums are of content (see `catalog`), so every file is unwrapped before it is checked,
wherever it came from. Everything happens in memory: nothing from an archive is written to
disk, so a hostile member name such as `../../.bashrc` can do no harm, and the same code runs
in the browser, whose files arrive as bytes over HTTP anyway.
"""

import io
import re
import tarfile
import zlib
from pathlib import PurePosixPath

from tinytorch.datasets.catalog import DatasetFile
from tinytorch.datasets.errors import CorruptFileError

GUTENBERG_START = re.compile(rb"^\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG EBOOK.*$", re.MULTILINE)
GUTENBERG_END = re.compile(rb"^\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG EBOOK", re.MULTILINE)


def unpack(path: str, raw: bytes, where: str, file: DatasetFile) -> dict[str, bytes | memoryview]:
    """The content members of the dataset file `path` (mirror layout), given its bytes `raw`.

    `where` (the local path or URL the bytes came from) names the file in error messages.
    """
    name = PurePosixPath(path).name
    if name.endswith(".tar.gz"):
        return untar(gunzip(raw, where), where)
    if name.endswith(".gz"):
        member = name.removesuffix(".gz")
        expected = file.contents.get(member)
        return {member: gunzip(raw, where, expected.size if expected else None)}
    return {name: gutenberg_body(raw)}


def gunzip(raw: bytes, where: str, expected_size: int | None = None) -> bytes:
    """Decompress a whole `.gz` file, refusing one that is cut short.

    `gzip.decompress` would say only "Compressed file ended before the end-of-stream marker was
    reached"; decompressing stream by stream also tells how much content survived. A `.gz` may
    hold several gzip streams one after another, which together are the content.
    """
    parts, rest = [], raw
    while True:
        stream = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # 16+: expect gzip's header and trailer
        try:
            parts.append(stream.decompress(rest))
        except zlib.error as error:
            raise CorruptFileError(f"{where} is not a valid gzip file ({error})") from None
        if not stream.eof:
            got = sum(len(p) for p in parts)
            full = f"; the full content is {expected_size:,} bytes" if expected_size else ""
            raise CorruptFileError(
                f"{where} is truncated: its {len(raw):,} bytes decompress to only {got:,} bytes "
                f"before the gzip stream stops{full}. Delete it so the next load fetches it again."
            )
        rest = stream.unused_data
        if not rest:
            return b"".join(parts)


def untar(tar: bytes, where: str) -> dict[str, memoryview]:
    """The regular files of an (uncompressed) tar archive, by member name, as views into `tar`.

    Views, not copies: CIFAR-10's members are 184 MB, which matters in the browser. A member
    whose header promises more bytes than the archive holds is an error, not a short read.
    """
    data = memoryview(tar)
    members = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tar), mode="r:") as archive:
            for info in archive:
                if not info.isfile():
                    continue
                present = max(len(tar) - info.offset_data, 0)
                if present < info.size:
                    raise CorruptFileError(
                        f"{where} is cut short: member {info.name} should be {info.size:,} bytes, "
                        f"but only {present:,} are present"
                    )
                members[info.name] = data[info.offset_data:info.offset_data + info.size]
    except tarfile.TarError as error:
        raise CorruptFileError(f"{where} is not a valid tar archive ({error})") from None
    return members


def gutenberg_body(raw: bytes) -> bytes:
    """A Project Gutenberg ebook without Gutenberg's header and licence, with Unix line ends.

    Text without Gutenberg's START/END markers (the course's own copies) is returned unchanged.
    """
    start, end = GUTENBERG_START.search(raw), GUTENBERG_END.search(raw)
    if start is None or end is None:
        return raw
    return raw[start.end():end.start()].replace(b"\r\n", b"\n").strip() + b"\n"
