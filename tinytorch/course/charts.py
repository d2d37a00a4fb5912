"""Altair charts the apps share. Data goes in as lists of dicts (records), so no pandas is
needed: in the browser that saves loading a large package before the first chart. Every chart
passes its records through `fast_data`, which keeps altair from validating them one by one."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np


def altair():
    """The altair module, imported on first use. Apps take it from here (`alt = charts.altair()`)
    rather than importing it before `tinytorch.course`: importing altair builds a property setter
    for every channel class, each resolving a reference in Vega-Lite's schema, and with the
    browser's jsonschema (4.17) each resolution indexes the whole schema again unless
    `tinytorch.course` has first shared one resolver (`schema_resolver`): 0.75 s instead of
    0.30 s under Pyodide."""
    import altair as alt

    return alt


def tooltips(*shorthands: str) -> list:
    """Tooltip channels for `"field:type"` shorthands. The helpers write every channel as an
    object (`alt.X2("x2:Q")`, not `x2="x2:Q"`): altair turns a bare string into its channel by
    hashing every class of the Vega-Lite schema anew, ~5 ms a string in the browser."""
    return [altair().Tooltip(s) for s in shorthands]


def _curve_encoding(x: str, y: str, color: str | None, log_x: bool, log_y: bool) -> dict:
    """Quantitative x and y (each on a linear or log scale), their tooltips, and a colour per
    `color` category if given: what `line` and `marked_line` draw their curves with."""
    alt = altair()
    enc = {"x": alt.X(f"{x}:Q", scale=alt.Scale(type="log" if log_x else "linear")),
           "y": alt.Y(f"{y}:Q", scale=alt.Scale(type="log" if log_y else "linear")),
           "tooltip": tooltips(f"{x}:Q", f"{y}:Q", *([f"{color}:N"] if color else []))}
    if color:
        enc["color"] = alt.Color(f"{color}:N")
    return enc


def line(records: list[dict], x: str, y: str, color: str | None = None, title: str = "",
         log_x: bool = False, log_y: bool = False, width: int = 420, height: int = 260):
    """A line chart with points, e.g. time against size for several implementations."""
    enc = _curve_encoding(x, y, color, log_x, log_y)
    return (altair().Chart(fast_data(records)).mark_line(point=True).encode(**enc)
            .properties(title=title, width=width, height=height))


def training_curves(history: list[dict], metrics: tuple = ("loss", "accuracy")):
    """Train/validation curves per epoch (or step) from `Trainer.history`-style records."""
    alt = altair()
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
    alt = altair()
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
    background = alt.Chart(fast_data(cells)).mark_rect(opacity=0.35).encode(
        x=alt.X("x:Q", title="x1"), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", title="x2"), y2=alt.Y2("y2:Q"),
        color=alt.Color("class:N", legend=None))
    scatter = alt.Chart(fast_data(dots)).mark_circle(size=30, stroke="black",
                                                           strokeWidth=0.5).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), color=alt.Color("class:N", title="class"))
    return (background + scatter).properties(title=title, width=320, height=320)


def heatmap(matrix: np.ndarray, x_title: str = "", y_title: str = "", title: str = "",
            x_labels=None, y_labels=None, annotate: bool = False, width: int = 300):
    """A matrix as coloured cells (confusion matrices, attention weights, weight matrices)."""
    alt = altair()
    m = np.asarray(matrix)
    xl = list(range(m.shape[1])) if x_labels is None else list(x_labels)
    yl = list(range(m.shape[0])) if y_labels is None else list(y_labels)
    rows = [{"col": str(xl[j]), "row": str(yl[i]), "value": float(m[i, j])}
            for i in range(m.shape[0]) for j in range(m.shape[1])]
    base = alt.Chart(fast_data(rows)).encode(
        x=alt.X("col:N", title=x_title, sort=[str(v) for v in xl]),
        y=alt.Y("row:N", title=y_title, sort=[str(v) for v in yl]))
    chart = base.mark_rect().encode(color=alt.Color("value:Q", scale=alt.Scale(scheme="blues")),
                                    tooltip=tooltips("row:N", "col:N", "value:Q"))
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
    alt = altair()
    return (alt.Chart(fast_data(records)).mark_bar()
            .encode(x=alt.X(f"{x}:N", sort=None), y=alt.Y(f"{y}:Q"), tooltip=tooltips(f"{x}:N", f"{y}:Q"))
            .properties(title=title, width=width, height=height))


def rings(points: np.ndarray, color: str = "crimson", size: int = 260):
    """Open circles around chosen (n, 2) points, to layer over a 2-D chart with fields x and y:
    `decision_boundary(...) + rings(points[[i]])` marks the point an algorithm is using."""
    alt = altair()
    rows = [{"x": float(a), "y": float(b)} for a, b in np.asarray(points, dtype=float).reshape(-1, 2)]
    return (alt.Chart(fast_data(rows))
            .mark_point(size=size, color=color, strokeWidth=2.5, filled=False)
            .encode(x=alt.X("x:Q"), y=alt.Y("y:Q")))


def fast_data(records: list[dict]):
    """Records as inline data that altair validates in constant time: a JSON string with a
    JSON format. Passed as a list, altair checks every record against the Vega-Lite schema
    (about a third of a second per 2,000 records natively, far more in the browser)."""
    import json

    return altair().Data(values=json.dumps(records), format={"type": "json"})


def marked_line(records: list[dict], x: str, y: str, marks: list[dict], color: str | None = None,
                title: str = "", log_x: bool = False, log_y: bool = False, width: int = 340,
                height: int = 240):
    """Curves (no dots: they may have hundreds of points) with a few points marked by a large dot
    on a dashed vertical rule, e.g. a chosen x on an activation and on its derivative. `marks`
    are records with the same fields as `records`."""
    alt = altair()
    enc = _curve_encoding(x, y, color, log_x, log_y)
    curves = alt.Chart(fast_data(records)).mark_line().encode(**enc)
    marked = alt.Chart(fast_data(marks))
    rule = marked.mark_rule(strokeDash=[4, 4], color="gray").encode(x=enc["x"])
    dots = marked.mark_circle(size=90, stroke="black", strokeWidth=1, opacity=1).encode(**enc)
    return alt.layer(curves, rule, dots).properties(title=title, width=width, height=height)


def paths(records: list[dict], extent: float, group: str = "path", color: str | None = None,
          title: str = "", size: int = 260):
    """Points in the plane joined in order within each `group` (fields x, y, order), on equal
    axes from -extent to extent: a grid and a shape, before and after a layer transforms them."""
    alt = altair()
    scale = alt.Scale(domain=[-extent, extent])
    enc = {"x": alt.X("x:Q", scale=scale), "y": alt.Y("y:Q", scale=scale),
           "detail": alt.Detail(f"{group}:N"), "order": alt.Order("order:Q")}
    if color:
        enc["color"] = alt.Color(f"{color}:N")
    return (alt.Chart(fast_data(records))
            .mark_line(clip=True, point=alt.OverlayMarkDef(size=10, clip=True), strokeWidth=1.2)
            .encode(**enc).properties(title=title, width=size, height=size))


def landscape(values: np.ndarray, xs: np.ndarray, ys: np.ndarray, x_title: str = "x",
              y_title: str = "y", title: str = "", marks: list[dict] = (), width: int = 280,
              height: int | None = None, value_title: str = "loss", scheme: str = "viridis"):
    """A function of two variables sampled on a grid, `values[i, j]` at (xs[j], ys[i]), as coloured
    cells on numeric axes (a loss landscape, a layer's outputs), with optional points on top: records with
    x, y and label (e.g. the minimum, the current parameters)."""
    alt = altair()
    v = np.asarray(values, dtype=float)
    dx, dy = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
    cells = [{"x": float(a - dx), "x2": float(a + dx), "y": float(b - dy), "y2": float(b + dy),
              "value": float(v[i, j])} for i, b in enumerate(ys) for j, a in enumerate(xs)]
    grid = alt.Chart(fast_data(cells)).mark_rect().encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(domain=[float(xs[0] - dx), float(xs[-1] + dx)],
                                                      nice=False)),
        x2=alt.X2("x2:Q"),
        y=alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=[float(ys[0] - dy), float(ys[-1] + dy)],
                                                      nice=False)),
        y2=alt.Y2("y2:Q"),
        color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme=scheme)),
        tooltip=[alt.Tooltip("value:Q", format=".3f")])
    points = (alt.Chart(fast_data(list(marks)))
              .mark_point(size=140, filled=True, color="white", stroke="black", strokeWidth=1)
              .encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), shape=alt.Shape("label:N", title=""),
                      tooltip=tooltips("label:N")))
    layers = [grid, points] if len(marks) else [grid]
    return alt.layer(*layers).properties(title=title, width=width, height=height or width)


def stacked_bar(records: list[dict], x: str, y: str, color: str, title: str = "",
                width: int = 300, height: int = 240):
    """One bar per `x`, split into coloured parts by `color` (in the order they first appear),
    e.g. the bytes of parameters, gradients and optimizer state for each optimizer."""
    alt = altair()
    parts = list(dict.fromkeys(r[color] for r in records))
    order = [{**r, "_part": parts.index(r[color])} for r in records]
    return (alt.Chart({"values": order}).mark_bar()
            .encode(x=alt.X(f"{x}:N", sort=None, title=x, axis=alt.Axis(labelAngle=0)),
                    y=alt.Y(f"{y}:Q", stack="zero", title=y),
                    color=alt.Color(f"{color}:N", sort=parts, title=color),
                    order=alt.Order("_part:Q", sort="ascending"),
                    tooltip=[*tooltips(f"{x}:N", f"{color}:N"), alt.Tooltip(f"{y}:Q", format=",.3f")])
            .properties(title=title, width=width, height=height))


def dag(nodes: list[dict], edges: list[tuple], title: str = "", column_width: int = 175,
        row_height: int = 80):
    """A directed acyclic graph drawn left to right in columns: each node (records with id, text,
    kind; `text` may hold line breaks) sits one column right of its furthest input, and edges
    (pairs of ids, from input to user) are lines between the boxes. Suits a computation graph."""
    alt = altair()
    ids = [n["id"] for n in nodes]
    column = dict.fromkeys(ids, 0)
    for _ in range(len(ids)):  # longest path from a source; a few passes suffice for small graphs
        for a, b in edges:
            column[b] = max(column[b], column[a] + 1)
    users = {i: [b for a, b in edges if a == i] for i in ids}
    for i in ids:  # a source used only late (a constant) sits just left of its first user
        if users[i] and not any(b == i for _, b in edges):
            column[i] = min(column[b] for b in users[i]) - 1
    row: dict = {}
    for c in sorted(set(column.values()), reverse=True):  # right to left: order by the users' rows
        members = [i for i in ids if column[i] == c]
        members.sort(key=lambda i: sum(row[b] for b in users[i]) / len(users[i]) if users[i] else 0)
        for k, i in enumerate(members):
            row[i] = k - (len(members) - 1) / 2
    boxes = [{**n, "x": column[n["id"]] - 0.42, "x2": column[n["id"]] + 0.42,
              "y": row[n["id"]] - 0.4, "y2": row[n["id"]] + 0.4, "cx": column[n["id"]],
              "cy": row[n["id"]]} for n in nodes]
    lines = [{"x": column[a] + 0.42, "y": row[a], "x2": column[b] - 0.42, "y2": row[b]} for a, b in edges]
    n_columns = max(column.values()) - min(column.values()) + 1
    n_rows = max(sum(1 for i in ids if column[i] == c) for c in set(column.values()))
    xs = alt.Scale(domain=[min(column.values()) - 0.5, max(column.values()) + 0.5], nice=False)
    ys = alt.Scale(domain=[n_rows / 2, -n_rows / 2], nice=False)
    no_axis = {"axis": None, "title": None}
    rules = alt.Chart({"values": lines}).mark_rule(color="#888", strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=xs, **no_axis), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", scale=ys, **no_axis),
        y2=alt.Y2("y2:Q"))
    base = alt.Chart({"values": boxes})
    rects = base.mark_rect(cornerRadius=6, stroke="#555", opacity=0.9).encode(
        x=alt.X("x:Q", scale=xs, **no_axis), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", scale=ys, **no_axis),
        y2=alt.Y2("y2:Q"),
        color=alt.Color("kind:N", title="", scale=alt.Scale(scheme="pastel1")))
    text = base.mark_text(lineBreak="\n", fontSize=11).encode(
        x=alt.X("cx:Q", scale=xs, **no_axis), y=alt.Y("cy:Q", scale=ys, **no_axis), text=alt.Text("text:N"))
    return (alt.layer(rules, rects, text)
            .properties(title=title, width=column_width * n_columns, height=row_height * n_rows))


VEGA_CATEGORY_COLORS = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
                        "#ff9da6", "#9d755d", "#bab0ac")  # Vega's default `tableau10` scheme


def decision_regions(predict: Callable[[np.ndarray], np.ndarray], points: np.ndarray,
                     labels: np.ndarray, resolution: int = 100, title: str = "", size: int = 300,
                     axis_titles: tuple[str, str] = ("x1", "x2")):
    """What a 2-D classifier predicts everywhere, with the data on top, like `decision_boundary`,
    but the background is one PNG image rather than one rectangle per grid cell: one record for
    altair to validate instead of thousands, so it redraws quickly (slider-driven, in the browser).

    `predict` maps an (n, 2) float32 array to integer classes (n,). Classes are coloured in
    numeric order with Vega's default scheme.
    """
    import base64

    alt = altair()
    points = np.asarray(points, dtype=np.float64)
    lo, hi = points.min(axis=0) - 0.5, points.max(axis=0) + 0.5
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(hi[1], lo[1], resolution)  # top row first
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    classes = np.asarray(predict(grid)).astype(np.int64).reshape(gx.shape)
    names = sorted(set(np.unique(classes).tolist()) | set(np.unique(np.asarray(labels)).tolist()))
    palette = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in VEGA_CATEGORY_COLORS], float)
    index = np.searchsorted(names, classes) % len(palette)
    pale = 0.35 * palette[index] + 0.65 * 255  # the colours at 35% opacity on white
    url = "data:image/png;base64," + base64.b64encode(png(np.moveaxis(pale, -1, 0), scale=1)).decode()
    x_scale = alt.Scale(domain=[float(lo[0]), float(hi[0])], nice=False)
    y_scale = alt.Scale(domain=[float(lo[1]), float(hi[1])], nice=False)
    color = alt.Color("class:N", title="class", scale=alt.Scale(
        domain=[str(n) for n in names], range=[VEGA_CATEGORY_COLORS[i % 10] for i in range(len(names))]))
    image = [{"x": lo[0], "x2": hi[0], "y": lo[1], "y2": hi[1], "url": url}]
    background = alt.Chart(fast_data(image)).mark_image(aspect=False, smooth=False).encode(
        x=alt.X("x:Q", title=axis_titles[0], scale=x_scale), x2=alt.X2("x2"),
        y=alt.Y("y:Q", title=axis_titles[1], scale=y_scale), y2=alt.Y2("y2"), url=alt.Url("url:N"))
    dots = [{"x": float(a), "y": float(b), "class": str(int(c))}
            for (a, b), c in zip(points, np.asarray(labels), strict=True)]
    scatter = alt.Chart(fast_data(dots)).mark_circle(size=30, stroke="black", strokeWidth=0.5,
                                                     opacity=0.9).encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), color=color,
        tooltip=tooltips("x:Q", "y:Q", "class:N"))
    return alt.layer(background, scatter).properties(title=title, width=size, height=size)


def strips(records: list[dict], x: str, row: str, status: str, mark_x: float | None = None,
           title: str = "", width: int = 420, colors: dict | None = None):
    """One horizontal strip per `row`, coloured along a numeric `x` by a category `status`, e.g.
    whether each method's loss is finite, inf or nan as a scale grows; `mark_x` draws a rule.
    `colors` maps statuses to colours (the legend keeps that order)."""
    alt = altair()
    xs = sorted({r[x] for r in records})
    step = min((b - a for a, b in zip(xs, xs[1:], strict=False)), default=1)
    cells = [{**r, "_x2": r[x] + step} for r in records]
    scale = (alt.Scale(domain=list(colors), range=list(colors.values())) if colors else alt.Undefined)
    rows = list(dict.fromkeys(r[row] for r in records))
    layers = [alt.Chart(fast_data(cells)).mark_rect().encode(
        x=alt.X(f"{x}:Q", title=x), x2=alt.X2("_x2:Q"), y=alt.Y(f"{row}:N", title=None, sort=rows),
        color=alt.Color(f"{status}:N", title=status, scale=scale),
        tooltip=tooltips(f"{row}:N", f"{x}:Q", f"{status}:N"))]
    if mark_x is not None:
        layers.append(alt.Chart(fast_data([{x: mark_x}])).mark_rule(color="black", strokeDash=[4, 4])
                      .encode(x=alt.X(f"{x}:Q")))
    return alt.layer(*layers).properties(title=title, width=width, height=28 * len(rows))


def tiles(records: list[dict], x: str, y: str, color: str, text: str, title: str = "", cell: int = 24):
    """A grid of labelled tiles, one per record at column `x` and row `y` (both taken in the
    order they first appear), coloured by the category `color` and labelled with `text`: e.g.
    which sample index lands at each position of each epoch, coloured by batch."""
    alt = altair()
    xs, ys = list(dict.fromkeys(r[x] for r in records)), list(dict.fromkeys(r[y] for r in records))
    base = alt.Chart(fast_data(records)).encode(
        x=alt.X(f"{x}:O", sort=xs, title=x, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:O", sort=ys, title=y))
    rects = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(f"{color}:N", title=color, scale=alt.Scale(scheme="tableau20")),
        tooltip=tooltips(f"{y}:O", f"{x}:O", f"{text}:N", f"{color}:N"))
    labels = base.mark_text(fontSize=10).encode(text=alt.Text(f"{text}:N"))
    return alt.layer(rects, labels).properties(title=title, width=cell * len(xs), height=cell * len(ys))
