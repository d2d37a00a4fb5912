"""Unwrapping dataset files into their content: gzip and tar.

Checksums are of content (see `catalog`), so every file is unwrapped before it is checked,
wherever it came from. Everything happens in memory: nothing from an archive is written to
disk, so a hostile member name such as `../../.bashrc` can do no harm, and the same code runs
in the browser, whose files arrive as bytes over HTTP anyway.

Decompression is streamed against a cap when the catalog's sizes are to be enforced: a 500 kB
gzip bomb that inflates to 1 GB is refused after the first few megabytes beyond the published
size, not after filling memory.
"""

import io
import tarfile
import zlib
from pathlib import PurePosixPath

from tinytorch.datasets.catalog import DatasetFile
from tinytorch.datasets.errors import CorruptFileError

# A tar archive holds its members plus 512-byte headers, padding to 512 bytes, end-of-archive
# blocks and small extra members (CIFAR-10's batches.meta.txt and readme.html): far below 1 MiB.
TAR_ALLOWANCE = 1 << 20
# How many more bytes than its content a gzip or tar wrapper can ever be: deflate adds at most
# 5 bytes per 16 kB stored block, plus headers (file names, comments).
WRAPPER_ALLOWANCE = 1 << 20


def content_limit(path: str, file: DatasetFile) -> int:
    """The most bytes the decompressed form of dataset file `path` can be, from the catalog."""
    total = sum(content.size for content in file.contents.values())
    return total + TAR_ALLOWANCE if path.endswith(".tar.gz") else total


def download_limit(path: str, file: DatasetFile) -> int:
    """The most bytes the file `path` itself (compressed, as stored or served) can be."""
    limit = content_limit(path, file)
    return limit + limit // 1000 + WRAPPER_ALLOWANCE


def unpack(path: str, raw: bytes, where: str, file: DatasetFile,
           enforce_size: bool = True) -> dict[str, bytes | memoryview]:
    """The content members of the dataset file `path` (mirror layout, `.gz` or `.tar.gz`), given
    its bytes `raw`.

    `where` (the local path or URL the bytes came from) names the file in error messages.
    With `enforce_size`, decompressing stops with CorruptFileError as soon as the output passes
    the catalog's size (`content_limit`); without it (files of your own), there is no cap.
    """
    name = PurePosixPath(path).name
    limit = content_limit(path, file) if enforce_size else None
    if name.endswith(".tar.gz"):
        return untar(gunzip(raw, where, limit=limit), where)
    member = name.removesuffix(".gz")  # every other catalog file is one gzipped file
    expected = file.contents.get(member)
    return {member: gunzip(raw, where, expected.size if expected else None, limit)}


def gunzip(raw: bytes, where: str, expected_size: int | None = None, limit: int | None = None) -> bytes:
    """Decompress a whole `.gz` file, refusing one that is cut short or inflates past `limit` bytes.

    `gzip.decompress` would say only "Compressed file ended before the end-of-stream marker was
    reached"; decompressing stream by stream also tells how much content survived. A `.gz` may
    hold several gzip streams one after another, which together are the content. With a
    `limit`, each step asks zlib for at most the bytes still allowed (plus one, to notice the
    excess), so memory never holds more than `limit` bytes of output.
    """
    parts, rest, got = [], raw, 0
    while True:
        stream = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # 16+: expect gzip's header and trailer
        pending = rest
        while True:
            try:
                part = stream.decompress(pending, 0 if limit is None else limit - got + 1)
            except zlib.error as error:
                raise CorruptFileError(f"{where} is not a valid gzip file ({error})") from None
            parts.append(part)
            got += len(part)
            if limit is not None and got > limit:
                raise CorruptFileError(
                    f"{where} decompresses to more than {limit:,} bytes, the most the published "
                    f"content can be; it is not the dataset file (a damaged file or a gzip bomb). "
                    "Delete it so the next load fetches it again."
                )
            pending = stream.unconsumed_tail
            if stream.eof or not pending:
                break
        if not stream.eof:
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
