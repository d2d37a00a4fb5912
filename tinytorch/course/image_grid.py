"""Small images in a grid as one altair chart: learned convolution filters, a gallery of
mistakes, feature maps.

Why images inside a chart rather than one pixel per record: a 5x5 filter is 25 records but a
gallery of 24 digits is 18,816, which altair and Vega draw slowly in the browser. Each image
goes in as a PNG data URL (`charts.png`), one record per image, with its caption and tooltip.
"""

from __future__ import annotations

import base64

import numpy as np

from tinytorch.course.charts import altair, fast_data, png


def image_grid(images, captions: list[str], columns: int = 8, scale: int = 3, title: str = "",
               tooltips: list[str] | None = None):
    """Images (each (H, W) grayscale or (3, H, W) RGB, values in [0, 1] or 0..255, all of one
    size) in rows of `columns`, each `scale` times its size, with its caption below."""
    images = list(images)
    if not images or len(captions) != len(images):
        raise ValueError(f"image_grid needs one caption per image and at least one image, got "
                         f"{len(images)} images and {len(captions)} captions")
    if tooltips is not None and len(tooltips) != len(images):
        raise ValueError(f"{len(tooltips)} tooltips for {len(images)} images")
    height, width = np.shape(images[0])[-2:]
    if any(np.shape(image)[-2:] != (height, width) for image in images):
        raise ValueError("image_grid's images must all have the same height and width")
    alt = altair()
    # room for the caption below, and beside: about 6.5 px a character at font size 11
    cell_w = max(width * scale + 8, int(6.5 * max(len(c) for c in captions)) + 8)
    cell_h = height * scale + 18
    columns = max(1, min(columns, len(images)))
    rows = -(-len(images) // columns)
    records = [{"col": i % columns, "row": i // columns, "caption": caption,
                "tip": (tooltips or captions)[i],
                "url": "data:image/png;base64," + base64.b64encode(png(image, scale=scale)).decode()}
               for i, (image, caption) in enumerate(zip(images, captions, strict=True))]
    x = alt.X("col:Q", axis=None, scale=alt.Scale(domain=[-0.5, columns - 0.5], nice=False))
    y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[rows - 0.5, -0.5], nice=False))
    base = alt.Chart(fast_data(records))
    pictures = base.mark_image(width=width * scale, height=height * scale, yOffset=-6).encode(
        x=x, y=y, url=alt.Url("url:N"), tooltip=alt.Tooltip("tip:N", title=""))
    text = base.mark_text(baseline="top", dy=height * scale / 2 - 3, fontSize=11).encode(
        x=x, y=y, text=alt.Text("caption:N"))
    return (alt.layer(pictures, text).properties(title=title, width=cell_w * columns, height=cell_h * rows)
            .configure_view(strokeWidth=0))


def filter_images(weight: np.ndarray) -> list[np.ndarray]:
    """A convolution's filters (out, in, kh, kw) as images in [0, 1]: each filter scaled on its
    own so that 0 is mid-grey (0.5), its largest weight in size is white or black, and the
    sign shows (light: the filter responds to ink there; dark: to its absence). Filters on
    three input channels stay in colour; on any other number, their channels are averaged."""
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim != 4:
        raise ValueError(f"filter_images expects conv weights (out, in, kh, kw), got shape {w.shape}")
    if w.shape[1] != 3:
        w = w.mean(axis=1, keepdims=True)
    scale = np.abs(w).max(axis=(1, 2, 3), keepdims=True)
    shown = 0.5 + 0.5 * w / np.where(scale > 0, scale, 1.0)
    return [f[0] if f.shape[0] == 1 else f for f in shown]


def feature_maps(activations: np.ndarray) -> list[np.ndarray]:
    """One image's feature maps (channels, H, W) as images in [0, 1], each scaled on its own
    from its smallest to its largest value (a constant map shows black)."""
    a = np.asarray(activations, dtype=np.float64)
    if a.ndim != 3:
        raise ValueError(f"feature_maps expects (channels, H, W), got shape {a.shape}")
    low, high = a.min(axis=(1, 2), keepdims=True), a.max(axis=(1, 2), keepdims=True)
    return list((a - low) / np.where(high > low, high - low, 1.0))
