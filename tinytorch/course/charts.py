"""Altair charts the apps share. Data goes in as lists of dicts (records), so no pandas is
needed: in the browser that saves loading a large package before the first chart."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np


def _alt():
    import altair as alt

    return alt


def line(records: list[dict], x: str, y: str, color: str | None = None, title: str = "",
         log_x: bool = False, log_y: bool = False, width: int = 420, height: int = 260):
    """A line chart with points, e.g. time against size for several implementations."""
    alt = _alt()
    enc = {
        "x": alt.X(f"{x}:Q", scale=alt.Scale(type="log" if log_x else "linear")),
        "y": alt.Y(f"{y}:Q", scale=alt.Scale(type="log" if log_y else "linear")),
        "tooltip": [f"{x}:Q", f"{y}:Q"] + ([f"{color}:N"] if color else []),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N")
    return (alt.Chart(alt.Data(values=records)).mark_line(point=True).encode(**enc)
            .properties(title=title, width=width, height=height))


def training_curves(history: list[dict], metrics: tuple = ("loss", "accuracy")):
    """Train/validation curves per epoch (or step) from `Trainer.history`-style records."""
    alt = _alt()
    charts = []
    for metric in metrics:
        rows = [{"step": h.get("epoch", i), "value": h[key], "split": key.split("_")[0]}
                for i, h in enumerate(history)
                for key in (f"train_{metric}", f"val_{metric}") if key in h]
        if rows:
            charts.append(line(rows, "step", "value", color="split", title=metric, width=300,
                               height=200))
    return alt.hconcat(*charts) if charts else None


def decision_boundary(predict: Callable[[np.ndarray], np.ndarray], points: np.ndarray,
                      labels: np.ndarray, resolution: int = 60, title: str = ""):
    """What a 2-D classifier predicts everywhere (coloured background) and the data on top.

    `predict` maps an (n, 2) array to class indices (n,).
    """
    alt = _alt()
    lo, hi = points.min(axis=0) - 0.5, points.max(axis=0) + 0.5
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    classes = np.asarray(predict(grid)).ravel()
    dx, dy = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
    cells = [{"x": float(a - dx), "x2": float(a + dx), "y": float(b - dy), "y2": float(b + dy),
              "class": str(int(c))} for (a, b), c in zip(grid, classes, strict=True)]
    dots = [{"x": float(a), "y": float(b), "class": str(int(c))}
            for (a, b), c in zip(points, labels, strict=True)]
    background = alt.Chart(alt.Data(values=cells)).mark_rect(opacity=0.35).encode(
        x=alt.X("x:Q", title="x1"), x2="x2:Q", y=alt.Y("y:Q", title="x2"), y2="y2:Q",
        color=alt.Color("class:N", legend=None))
    scatter = alt.Chart(alt.Data(values=dots)).mark_circle(size=30, stroke="black",
                                                           strokeWidth=0.5).encode(
        x="x:Q", y="y:Q", color=alt.Color("class:N", title="class"))
    return (background + scatter).properties(title=title, width=320, height=320)


def heatmap(matrix: np.ndarray, x_title: str = "", y_title: str = "", title: str = "",
            x_labels=None, y_labels=None, annotate: bool = False, width: int = 300):
    """A matrix as coloured cells (confusion matrices, attention weights, weight matrices)."""
    alt = _alt()
    m = np.asarray(matrix)
    xl = list(range(m.shape[1])) if x_labels is None else list(x_labels)
    yl = list(range(m.shape[0])) if y_labels is None else list(y_labels)
    rows = [{"col": str(xl[j]), "row": str(yl[i]), "value": float(m[i, j])}
            for i in range(m.shape[0]) for j in range(m.shape[1])]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("col:N", title=x_title, sort=[str(v) for v in xl]),
        y=alt.Y("row:N", title=y_title, sort=[str(v) for v in yl]))
    chart = base.mark_rect().encode(color=alt.Color("value:Q", scale=alt.Scale(scheme="blues")),
                                    tooltip=["row:N", "col:N", "value:Q"])
    if annotate:
        chart = chart + base.mark_text(fontSize=10).encode(text=alt.Text("value:Q", format=".0f"))
    return chart.properties(title=title, width=width, height=width * len(yl) / max(len(xl), 1))


def png(image: np.ndarray, scale: int = 3) -> bytes:
    """Encode a grayscale (H, W) or RGB (3, H, W) image in [0, 1] or 0..255 as PNG bytes.

    A few lines of zlib instead of an imaging library, so it works in the browser too;
    `mo.image(png(x))` shows it.
    """
    a = np.asarray(image, dtype=np.float64)
    if a.max() <= 1.0:
        a = a * 255
    a = np.clip(a, 0, 255).astype(np.uint8)
    if a.ndim == 3:
        a, color_type = np.moveaxis(a, 0, -1), 2
    else:
        color_type = 0
    a = a.repeat(scale, axis=0).repeat(scale, axis=1)
    h, w = a.shape[:2]
    rows = a.reshape(h, -1)
    raw = b"".join(b"\x00" + rows[i].tobytes() for i in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def bar(records: list[dict], x: str, y: str, title: str = "", width: int = 360, height: int = 220):
    """A bar per category, e.g. bytes per dtype."""
    alt = _alt()
    return (alt.Chart(alt.Data(values=records)).mark_bar()
            .encode(x=alt.X(f"{x}:N", sort=None), y=f"{y}:Q", tooltip=[f"{x}:N", f"{y}:Q"])
            .properties(title=title, width=width, height=height))
