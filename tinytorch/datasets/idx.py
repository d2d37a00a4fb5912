"""The IDX file format of MNIST and Fashion-MNIST: a tiny header, then one flat array.

    bytes 0-1   zero
    byte  2     element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
    byte  3     number of dimensions, n
    then        n sizes, each a big-endian uint32
    then        the elements, big-endian, row-major

So an image file says (60000, 28, 28) of uint8 and a label file (60000,) of uint8. Parsing is
one `np.frombuffer`: no Python loop over 47 million pixels.
"""

import math
import struct

import numpy as np

from tinytorch.datasets.errors import CorruptFileError

IDX_TYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def parse_idx(data: bytes, name: str) -> np.ndarray:
    """The array stored in IDX `data`, in native byte order; `name` goes into error messages.

    The header's promise is checked against the data's length both ways: a short file is an
    error rather than a short array, and trailing bytes are an error rather than ignored.
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_TYPES:
        raise CorruptFileError(
            f"{name} has the wrong IDX magic number: it starts with {bytes(data[:4]).hex(' ')}, but an "
            "IDX file starts with 00 00 <type> <dimensions>, type one of 08 09 0b 0c 0d 0e. "
            "(A file that starts with 1f 8b is still gzipped.)"
        )
    dtype, ndim = np.dtype(IDX_TYPES[data[2]]), data[3]
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise CorruptFileError(
            f"{name} is cut short: its IDX header promises {ndim} dimension sizes "
            f"({header_size} header bytes), but the file has only {len(data)} bytes"
        )
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    count = math.prod(shape)
    expected_size = header_size + count * dtype.itemsize
    if len(data) != expected_size:
        problem = "cut short" if len(data) < expected_size else "longer than its header says"
        raise CorruptFileError(
            f"{name} is {problem}: its IDX header promises shape {shape} of {dtype.name}, "
            f"{expected_size:,} bytes in all, but the file has {len(data):,} bytes"
        )
    array = np.frombuffer(data, dtype, count, offset=header_size).reshape(shape)
    return array if dtype.isnative else array.astype(dtype.newbyteorder("="))
