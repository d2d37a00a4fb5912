"""Images in a grid as one altair chart (one PNG record per image), conv filters shown with 0
at mid-grey and their sign visible, and feature maps scaled per map."""

import base64
import json

import numpy as np
import pytest

from tinytorch.course import image_grid


def test_one_record_per_image_in_rows_with_captions():
    images = [np.full((4, 5), i * 20, np.uint8) for i in range(5)]
    chart = image_grid.image_grid(images, [f"c{i}" for i in range(5)], columns=2, scale=2)
    spec = chart.to_dict()
    records = json.loads(spec["data"]["values"])  # one data set shared by both layers
    assert [(r["col"], r["row"], r["caption"]) for r in records] == [
        (0, 0, "c0"), (1, 0, "c1"), (0, 1, "c2"), (1, 1, "c3"), (0, 2, "c4")]
    png = base64.b64decode(records[0]["url"].split(",", 1)[1])
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 10  # width 5 x scale 2
    assert spec["layer"][0]["mark"]["type"] == "image" and spec["layer"][1]["mark"]["type"] == "text"

def test_image_grid_names_bad_input():
    with pytest.raises(ValueError, match="one caption per image"):
        image_grid.image_grid([np.zeros((2, 2))], [])
    with pytest.raises(ValueError, match="same height and width"):
        image_grid.image_grid([np.zeros((2, 2)), np.zeros((3, 2))], ["a", "b"])

def test_filters_are_scaled_each_with_zero_at_mid_grey():
    weight = np.zeros((2, 1, 2, 2), np.float32)
    weight[0, 0] = [[1, -1], [0.5, 0]]
    weight[1, 0] = [[-4, 0], [0, 2]]
    first, second = image_grid.filter_images(weight)
    np.testing.assert_allclose(first, [[1, 0], [0.75, 0.5]])
    np.testing.assert_allclose(second, [[0, 0.5], [0.5, 0.75]])

def test_colour_filters_stay_in_colour_and_other_channel_counts_are_averaged():
    rgb = image_grid.filter_images(np.ones((4, 3, 3, 3)))
    assert len(rgb) == 4 and rgb[0].shape == (3, 3, 3)
    many = image_grid.filter_images(np.stack([np.ones((6, 5, 5)), -np.ones((6, 5, 5))]))
    assert many[0].shape == (5, 5) and many[0].min() == 1.0 and many[1].max() == 0.0
    with pytest.raises(ValueError, match=r"\(out, in, kh, kw\)"):
        image_grid.filter_images(np.ones((3, 3)))

def test_feature_maps_are_scaled_per_map():
    maps = image_grid.feature_maps(np.stack([np.arange(4.0).reshape(2, 2), np.full((2, 2), 7.0)]))
    np.testing.assert_allclose(maps[0], [[0, 1 / 3], [2 / 3, 1]])
    np.testing.assert_allclose(maps[1], 0.0)
