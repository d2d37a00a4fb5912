"""The leaderboard: rankings per event and the all-around score, from a folder of results.

Per event, the scored submissions are ranked by the event's figure (with its interval), the
ones that did not qualify or failed are listed with the problem the harness named.

All-around (as MLPerf summarises): for each team, the ratio to the baseline in every event
(> 1 is better: baseline p90 / team p90, baseline bytes / team bytes, team characters per
second / baseline characters per second), combined by the
geometric mean, so a 4x gain in one event and a 0.5x loss in another score 1.41x, and no
single event's unit dominates. Only teams scored in every event that has a baseline are
ranked; the others are listed with how many events they completed. The interval is the
geometric mean of each ratio's conservative interval (baseline's low over the team's high, and
the reverse); sizes are exact. A ratio is taken only between results measured alike (the same
event settings: a browser-sized generation result is compared with a browser-sized baseline);
an event whose results were measured with different settings says so in its title, and each
sized row says how.

    results = load_results("results/")
    write_leaderboard(results, "results/")   # leaderboard.md and leaderboard.html
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from tinytorch.capstone.events import EVENTS, settings

BASELINE_TEAM = "baseline"


def _format(metric: str, value: float) -> str:
    if metric == "tokens_per_s":
        return f"{value:.4g} chars/s"
    if metric == "val_loss_nats":
        return f"{value:.3f} nats/char"
    if metric.endswith("_s"):
        return f"{value * 1e3:.3g} ms"
    if metric == "accuracy":
        return f"{value:.2%}"
    if metric == "size_bytes":
        return f"{value / 1024:.1f} KB" if value < 1024 ** 2 else f"{value / 1024 ** 2:.2f} MB"
    return f"{value:.4g}"


def _with_interval(metric: str, figure: dict) -> str:
    text = _format(metric, figure["value"])
    if figure.get("ci_low") is not None:
        text += f" [{_format(metric, figure['ci_low'])}, {_format(metric, figure['ci_high'])}]"
    return text


def ranked(results: list[dict], event: str) -> list[dict]:
    """The event's scored results, best first."""
    scored = [r for r in results if r["event"] == event and r["status"] == "scored"]
    return sorted(scored, key=lambda r: r["score"]["value"] * (1 if r["score"]["better"] == "lower" else -1))


def _best(results: list[dict], event: str, team: str, like: dict | None = None) -> dict | None:
    """The team's best scored result in `event` (measured like `like`, if given)."""
    return next((r for r in ranked(results, event) if r["team"] == team
                 and (like is None or measured_alike(r, like))), None)


def measurement(result: dict) -> dict:
    """What a result's figures mean: the event's settings it was measured with (a browser-sized
    generation scores fewer windows and generates fewer characters); results from before
    settings were recorded were measured with the standard event's."""
    recorded = result.get("settings") or settings(EVENTS[result["event"]])
    return {k: v for k, v in recorded.items() if k not in ("queries", "standard")}


def measured_alike(a: dict, b: dict) -> bool:
    return a["event"] == b["event"] and measurement(a) == measurement(b)


def sized_note(result: dict) -> str:
    """" (browser-sized: ...)" for a result measured with smaller settings than the event's."""
    standard = settings(EVENTS[result["event"]])
    changed = {k: v for k, v in measurement(result).items() if standard.get(k) != v}
    if not changed:
        return ""
    return " (sized: " + ", ".join(f"{k} {v} of {standard[k]}" for k, v in changed.items()) + ")"


def event_ratio(event_name: str, result: dict, baseline: dict) -> tuple[float, float, float]:
    """Ratio to the baseline (> 1: better) with a conservative interval; only between results
    measured alike (ValueError otherwise: a 40-character generation's speed is not comparable
    with a 200-character one's)."""
    if not measured_alike(result, baseline):
        raise ValueError(f"{event_name}: {result['submission']}{sized_note(result) or ' (standard)'} and "
                         f"{baseline['submission']}{sized_note(baseline) or ' (standard)'} were measured "
                         "with different settings; their figures are not comparable")
    event = EVENTS[event_name]
    figure, base = result["figures"][event.metric], baseline["figures"][event.metric]
    ratio = event.ratio_to(figure["value"], base["value"])
    low_f, high_f = figure.get("ci_low", figure["value"]), figure.get("ci_high", figure["value"])
    low_b, high_b = base.get("ci_low", base["value"]), base.get("ci_high", base["value"])
    pairs = (event.ratio_to(high_f, low_b), event.ratio_to(low_f, high_b))
    return ratio, min(pairs), max(pairs)


def _geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def all_around(results: list[dict]) -> list[dict]:
    """One row per team: geometric mean of its ratios to the baseline, best first; teams that
    miss an event have score None and say how many of the events they completed."""
    events = [e for e in EVENTS if _best(results, e, BASELINE_TEAM) is not None]
    rows = []
    for team in sorted({r["team"] for r in results}):
        ratios = {}
        for e in events:
            mine = _best(results, e, team)
            base = None if mine is None else _best(results, e, BASELINE_TEAM, like=mine)
            if base is not None:
                ratios[e] = event_ratio(e, mine, base)
        complete = bool(events) and len(ratios) == len(events)
        means = [_geometric_mean([r[k] for r in ratios.values()]) for k in range(3)] if complete else None
        rows.append({"team": team, "ratios": ratios, "events": len(events),
                     "score": means[0] if complete else None,
                     "ci": (means[1], means[2]) if complete else None})
    return sorted(rows, key=lambda row: (row["score"] is None, -(row["score"] or 0), row["team"]))


def score_text(row: dict) -> str:
    """An all-around row's score with its interval, or why it is not ranked."""
    if row["score"] is not None:
        return f"{row['score']:.3g}x [{row['ci'][0]:.3g}, {row['ci'][1]:.3g}]"
    if row["events"] == 0:
        return "not ranked: no event has a scored baseline"
    return f"not ranked: {len(row['ratios'])} of {row['events']} events scored"


def tables(results: list[dict]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for each event and for the all-around, shared by both renderers."""
    sections = []
    for name, event in EVENTS.items():
        entries = [r for r in results if r["event"] == name]
        if not entries:
            continue
        rows = [[str(i + 1), r["team"], r["submission"] + sized_note(r),
                 _with_interval(event.metric, r["figures"][event.metric]),
                 _with_interval(event.quality, r["figures"][event.quality]),
                 r["files"]["weights.npz"]["sha256"][:12]]
                for i, r in enumerate(ranked(results, name))]
        rows += [["-", r["team"], r["submission"] + sized_note(r), r["status"].replace("_", " "),
                  f"{r['problem']['kind']}: {r['problem']['message']}", ""]
                 for r in entries if r["status"] != "scored"]
        mixed = len({repr(measurement(r)) for r in entries}) > 1
        sections.append((f"{event.title}: {event.task.name}, {event.metric} ({event.better} is better; "
                         f"qualifies with {event.qualifies_with()})"
                         + (": MIXED MEASUREMENTS, rows marked sized were measured on a smaller sample "
                            "and are not comparable with the others" if mixed else ""),
                         ["rank", "team", "submission", event.metric, event.quality, "weights sha256"], rows))
    overall = all_around(results)
    if overall:
        header = ["rank", "team", "score (geometric mean)"] + [f"{e} ratio" for e in EVENTS if
                                                                any(e in row["ratios"] for row in overall)]
        events = [h.removesuffix(" ratio") for h in header[3:]]
        rows = [[str(i + 1) if row["score"] is not None else "-", row["team"],
                 score_text(row)]
                + [f"{row['ratios'][e][0]:.3g}x" if e in row["ratios"] else "-" for e in events]
                for i, row in enumerate(overall)]
        sections.append(("All-around: ratio to the baseline in every event, geometric mean", header, rows))
    return sections


def markdown(results: list[dict]) -> str:
    lines = ["# Torch Olympics leaderboard", ""]
    for title, header, rows in tables(results):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        lines.append("")
    lines += _footer(results)
    return "\n".join(lines)


def _footer(results: list[dict]) -> list[str]:
    systems = sorted({f"{r['system'].get('platform')} {r['system'].get('machine')}, "
                      f"{r['system'].get('cores')} cores, numpy {r['system'].get('numpy')} "
                      f"({r['system'].get('blas')})" for r in results if r["system"]})
    return [f"Measured by the harness on: {'; '.join(systems)}. Intervals are 95%."]


def html_page(results: list[dict]) -> str:
    parts = ["<!doctype html><meta charset='utf-8'><title>Torch Olympics leaderboard</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
             "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>",
             "<h1>Torch Olympics leaderboard</h1>"]
    for title, header, rows in tables(results):
        parts.append(f"<h2>{html.escape(title)}</h2><table><tr>"
                     + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
    parts.append(f"<p>{html.escape(_footer(results)[0])}</p>")
    return "\n".join(parts)


def write_leaderboard(results: list[dict], folder) -> tuple[Path, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    md, page = folder / "leaderboard.md", folder / "leaderboard.html"
    md.write_text(markdown(results))
    page.write_text(html_page(results))
    return md, page


__all__ = ["all_around", "event_ratio", "html_page", "markdown", "measured_alike", "measurement", "ranked",
           "score_text", "sized_note", "tables", "write_leaderboard"]
