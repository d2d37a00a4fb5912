"""IDX parsing: exact round trips, and a clear error for every way a file can be wrong."""

import gzip

import numpy as np
import pytest
from datafiles import idx_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from tinytorch.datasets import CorruptFileError
from tinytorch.datasets.idx import parse_idx

IDX_DTYPES = st.sampled_from([np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])


@settings(max_examples=60, deadline=None)
@given(arrays(IDX_DTYPES, array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5)))
def test_round_trip_any_type_and_shape(array):
    parsed = parse_idx(idx_bytes(array), "x")
    assert parsed.dtype == array.dtype and parsed.dtype.isnative
    np.testing.assert_array_equal(parsed, array)


def test_images_parse_without_copying():
    data = idx_bytes(np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4))
    parsed = parse_idx(data, "x")
    assert parsed.shape == (2, 3, 4) and parsed[1, 2, 3] == 23
    assert parsed.base is not None  # a view of `data`, not a copy


def test_wrong_magic_says_so():
    with pytest.raises(CorruptFileError, match=r"pixels\.idx has the wrong IDX magic number.*12 34 56 78"):
        parse_idx(b"\x12\x34\x56\x78" + bytes(10), "pixels.idx")


def test_a_still_gzipped_file_is_pointed_out():
    with pytest.raises(CorruptFileError, match="still gzipped"):
        parse_idx(gzip.compress(idx_bytes(np.zeros(3, np.uint8))), "x")


def test_unknown_element_type_is_wrong_magic():
    with pytest.raises(CorruptFileError, match="wrong IDX magic"):
        parse_idx(bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 5]), "x")


def test_header_cut_short():
    data = idx_bytes(np.zeros((2, 3, 4), np.uint8))[:9]
    promise = r"cut short.*3 dimension sizes \(16 header bytes\).*only 9 bytes"
    with pytest.raises(CorruptFileError, match=promise):
        parse_idx(data, "x")


def test_data_cut_short_names_file_and_both_sizes():
    data = idx_bytes(np.zeros((5, 28, 28), np.uint8))[:-100]
    with pytest.raises(CorruptFileError) as error:
        parse_idx(data, "train-images-idx3-ubyte")
    message = str(error.value)
    assert "train-images-idx3-ubyte is cut short" in message
    assert "(5, 28, 28)" in message and "3,936 bytes in all" in message and "3,836 bytes" in message


def test_trailing_bytes_are_an_error_not_ignored():
    with pytest.raises(CorruptFileError, match="longer than its header says"):
        parse_idx(idx_bytes(np.zeros(4, np.uint8)) + b"\x00", "x")
