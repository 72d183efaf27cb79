"""PNG plots for bench/RESULTS.md (matplotlib's Agg renderer through `Figure`: no display, no pyplot).

- `latency_plot`: one benchmark's latency distributions as CDFs on a log time axis, every measured
  series against its baseline (dashed). Raw samples and wrk's percentile histogram plot the same way.
- `ratio_plot`: every ratio of every benchmark as a horizontal bar on a log axis, 1.0 marked.
Labels are English (ASCII), so no font beyond matplotlib's own is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)  # the Agg canvas, whatever backend matplotlib would pick for a display
    return fig, fig.subplots()


def _save(fig: Figure, path: Path) -> None:
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")


def _cdf(entry: dict[str, Any]) -> tuple[list[float], list[float]]:
    """(latencies ms, percentiles) for one series."""
    if entry.get("cdf"):
        points, highest = [], 0.0
        for p, ms in sorted((float(p), float(ms)) for p, ms in entry["cdf"]):
            if ms >= highest:  # a percentile below the one before it is a reporting glitch, not data
                points.append((ms, p))
                highest = ms
        return [ms for ms, _ in points], [p for _, p in points]
    values = sorted(float(v) for v in entry.get("samples", []))
    n = len(values)
    return values, [100 * (i + 1) / n for i in range(n)]


def latency_plot(name: str, series: list[dict[str, Any]], path: Path) -> bool:
    """Write `path` (PNG) with every series of `name`; False when there is nothing to plot."""
    drawn = [entry for entry in series if entry.get("cdf") or entry.get("samples")]
    if not drawn:
        return False
    fig, ax = _figure(8, 4.5)
    lowest = min(min(_cdf(entry)[0]) for entry in drawn)
    for entry in sorted(drawn, key=lambda e: (bool(e.get("baseline")), e["series"])):
        xs, ys = _cdf(entry)
        xs = [max(x, 1e-4) for x in xs]
        count = len(entry.get("samples", [])) or None
        label = entry["series"] + (" (baseline)" if entry.get("baseline") else "")
        label += f", n={count}" if count else ", wrk histogram"
        style = "--" if entry.get("baseline") else "-"
        if len(xs) == 1:
            ax.plot(xs, ys, "o", label=label)
        else:
            ax.step(xs, ys, style, where="post", label=label, linewidth=1.6)
    if lowest > 0:
        ax.set_xscale("log")
    ax.set_xlabel(f"latency ({drawn[0].get('unit', 'ms')}, log scale)")
    ax.set_ylabel("percentile of requests / operations")
    ax.set_ylim(0, 101)
    ax.axhline(50, color="grey", linewidth=0.6, linestyle=":")
    ax.axhline(99, color="grey", linewidth=0.6, linestyle=":")
    ax.set_title(f"{name}: latency distribution (CDF) vs its baseline")
    ax.grid(True, which="both", axis="x", alpha=0.25)
    ax.legend(fontsize=8, loc="lower right")
    _save(fig, path)
    return True


def ratio_plot(rows: list[tuple[str, str, float]], path: Path) -> bool:
    """Every (benchmark, measure, ratio) as a bar; False when there is none."""
    rows = [(b, m, float(v)) for b, m, v in rows if isinstance(v, int | float) and v > 0]
    if not rows:
        return False
    height = max(3.0, 0.28 * len(rows) + 1.2)
    fig, ax = _figure(10, height)
    labels = [f"{b}: {m}" for b, m, _ in rows]
    values = [v for _, _, v in rows]
    colors = ["#3b7dd8" if v >= 1 else "#d8833b" for v in values]
    ax.barh(range(len(rows)), [v - 1 for v in values], left=1.0, color=colors)  # from 1.0, left or right
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(min(min(values), 1.0) / 2, max(max(values), 1.0) * 2)
    ax.axvline(1.0, color="black", linewidth=0.8)
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:.3g} ", va="center", ha="left" if v >= 1 else "right", fontsize=7)
    ax.set_xlabel("ratio to the same run's baseline (log scale; 1.0 = as the baseline)")
    ax.set_title("Every benchmark's ratio(s)")
    ax.grid(True, which="both", axis="x", alpha=0.25)
    _save(fig, path)
    return True
