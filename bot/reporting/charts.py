"""The progress chart: each indicator's value against its target, as a PNG."""

from __future__ import annotations

import io

from matplotlib.figure import Figure  # a bare Figure draws with Agg: no pyplot, no display, no global state
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bot.reporting.progress import Bar

COLOURS = {True: "#2e7d32", False: "#c62828", None: "#bdbdbd"}
LEGEND = [Patch(color=COLOURS[True], label="Đạt"), Patch(color=COLOURS[False], label="Chưa đạt"),
          Line2D([], [], color="black", marker="|", linestyle="none", markersize=12, label="Chỉ tiêu")]


def progress_png(title: str, bars: list[Bar]) -> bytes:
    """Horizontal bars (green met, red not yet, none when missing) with the target as a black tick."""
    figure = Figure(figsize=(8, 1.5 + 0.32 * len(bars)), dpi=100)
    axes = figure.subplots()
    rows = list(range(len(bars)))[::-1]
    axes.barh(rows, [b.value or 0 for b in bars], color=[COLOURS[b.met] for b in bars], height=0.6)
    axes.scatter([b.target for b in bars], rows, marker="|", s=300, color="black", zorder=3)
    axes.set_yticks(rows, [b.code for b in bars], fontsize=8)
    axes.set_xlim(0, max([100.0] + [b.target for b in bars] + [b.value or 0 for b in bars]) * 1.05)
    axes.set_title(title, fontsize=10)
    axes.legend(handles=LEGEND, loc="lower right", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

