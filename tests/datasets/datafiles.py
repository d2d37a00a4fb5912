"""Small dataset files in the real formats, made on the spot by the tests (never real data)."""

import gzip
import io
import struct
import tarfile
from pathlib import Path

import numpy as np

REAL_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"  # the repo sits beside shared/
UNREACHABLE = "http://127.0.0.1:9/unreachable/"  # port 9 (discard): nothing listens, so fails at once
IDX_TYPE_CODES = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}  # from the IDX spec


def idx_bytes(array: np.ndarray) -> bytes:
    """`array` in the IDX format (big-endian), as MNIST stores it."""
    code = IDX_TYPE_CODES[array.dtype.str[1:]]
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_mnist(mirror: Path, folder: str, split: str, images: np.ndarray, labels: np.ndarray) -> None:
    """A gzipped IDX image and label file pair in `mirror/folder`, as upstream names them."""
    prefix = {"train": "train", "test": "t10k"}[split]
    write(mirror / folder / f"{prefix}-images-idx3-ubyte.gz", gzip.compress(idx_bytes(images)))
    write(mirror / folder / f"{prefix}-labels-idx1-ubyte.gz", gzip.compress(idx_bytes(labels)))


def tar_gz(members: dict[str, bytes]) -> bytes:
    """A .tar.gz holding `members` (name -> content), made in memory."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
