"""The charts the bot sends, sized for a phone: a unit's figures against their targets (/tiendo), and the
units' standing for admins (/tonghop).

A 1080-pixel-wide picture is shown about 390 points wide on a phone, so a label must be drawn near
33 pixels (24 points at 100 dpi) to read as 12 on the screen. A count is drawn as its share of the
target (12 of 10 → 120%), so shares and counts stand on one axis, its label saying which is which.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.figure import Figure  # a bare Figure draws with Agg: no pyplot, no display, no global state
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from bot.reporting.progress import Bar, Standing
from bot.reporting.values import format_number

WIDTH, DPI = 10.8, 100  # inches at 100 dpi: 1080 pixels
TEXT, SMALL = 26, 24  # points: 36 and 33 pixels, both ≥ 12 on a 390-point phone screen
LABEL_CHARS = 22  # a wrapped label's line
TITLE_CHARS = 40
COLOURS = {True: "#2e7d32", False: "#c62828", None: "#bdbdbd"}
MISSING = "chưa nộp"
MOST_UNITS = 25  # bars on the standing chart: more would not read on a phone; the furthest behind are shown


def _wrapped(text: str, lines: int = 3, width: int = LABEL_CHARS) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def position(bar: Bar) -> tuple[float, float]:
    """(value, target) on the chart's axis: a share as it is, a count as its share of the target."""
    if bar.percent:
        return bar.value or 0.0, bar.target
    scale = 100 / bar.target if bar.target else 1.0
    return (bar.value or 0.0) * scale, bar.target * scale


def _value_label(bar: Bar) -> str:
    if bar.value is None:
        return MISSING
    if bar.percent:
        return f"{format_number(bar.value, 1)}%"
    return f"{format_number(bar.value)} (chỉ tiêu {format_number(bar.target)})"


def progress_figure(title: str, bars: list[Bar]) -> Figure:
    """Horizontal bars (green met, red not yet), the target as a black mark, the value written at the bar's
    end, 'chưa nộp' where no figure came."""
    figure = Figure(figsize=(WIDTH, 2.8 + 1.5 * len(bars)), dpi=DPI)
    axes = figure.subplots()
    rows = list(range(len(bars)))[::-1]
    spots = [position(b) for b in bars]
    axes.barh(rows, [v for v, _ in spots], color=[COLOURS[b.met] for b in bars], height=0.6)
    axes.scatter([t for _, t in spots], rows, marker="|", s=1400, linewidths=4, color="black", zorder=3)
    for row, bar, (value, target) in zip(rows, bars, spots, strict=True):  # written past the bar and the mark
        axes.text(max(value, target) + 2.5, row, _value_label(bar), va="center", fontsize=SMALL,
                  color="#616161" if bar.value is None else "black", style="italic" if bar.value is None else None)
    axes.set_yticks(rows, [_wrapped(b.name) for b in bars], fontsize=SMALL)
    axes.set_xlim(0, max([100.0] + [max(v, t) for v, t in spots]) * 1.45)
    counts = any(not b.percent for b in bars)  # a count is drawn as its share of the target; a share as it is
    axes.set_xlabel("Kết quả, % (chỉ tiêu số lượng: % so với chỉ tiêu)" if counts else "Kết quả (%)",
                    fontsize=SMALL)
    axes.tick_params(axis="x", labelsize=SMALL)
    figure.suptitle(_wrapped(title, 2, TITLE_CHARS), fontsize=TEXT)
    legend = [Patch(color=COLOURS[True], label="Đạt"), Patch(color=COLOURS[False], label="Chưa đạt"),
              Line2D([], [], color="black", marker="|", linestyle="none", markersize=24, label="Chỉ tiêu")]
    figure.legend(handles=legend, loc="lower center", ncols=3, fontsize=SMALL, frameon=False)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    return figure


def standing_figure(title: str, units: list[tuple[str, int, int, int]]) -> Figure:
    """The units' standing for admins: (name, reported, met, indicators) → met, reported not met, missing."""
    figure = Figure(figsize=(WIDTH, 2.6 + 1.1 * len(units)), dpi=DPI)
    axes = figure.subplots()
    rows = list(range(len(units)))[::-1]
    met = [m for _, _, m, _ in units]
    short = [r - m for _, r, m, _ in units]
    missing = [t - r for _, r, _, t in units]
    axes.barh(rows, met, color=COLOURS[True], height=0.6, label="Đạt")
    axes.barh(rows, short, left=met, color=COLOURS[False], height=0.6, label="Chưa đạt")
    axes.barh(rows, missing, left=[m + s for m, s in zip(met, short, strict=True)], color=COLOURS[None],
              height=0.6, label=MISSING.capitalize())
    for row, (_, _, got, total) in zip(rows, units, strict=True):
        axes.text(total + 0.2, row, f"đạt {got}/{total}", va="center", fontsize=SMALL)
    axes.set_yticks(rows, [_wrapped(name, 2) for name, *_ in units], fontsize=SMALL)
    axes.set_xlim(0, max([1] + [t for *_, t in units]) * 1.35)
    axes.set_xlabel("số chỉ tiêu", fontsize=SMALL)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelsize=SMALL)
    figure.suptitle(_wrapped(title, 2, TITLE_CHARS), fontsize=TEXT)
    figure.legend(loc="lower center", ncols=3, fontsize=SMALL, frameon=False)
    figure.tight_layout(rect=(0, 0.1, 1, 1))
    return figure


def standing_chart(title: str, units: list[Standing]) -> Figure:
    """The standing chart of /tonghop and the summaries: every unit, or the MOST_UNITS furthest behind."""
    if len(units) > MOST_UNITS:
        behind = sorted(units, key=lambda u: (u.reported / (u.indicators or 1), u.met / (u.indicators or 1)))
        units, title = behind[:MOST_UNITS], f"{title}: {MOST_UNITS}/{len(units)} đơn vị chậm nhất"
    return standing_figure(title, [(u.name, u.reported, u.met, u.indicators) for u in units])


def standing_png(title: str, units: list[Standing]) -> bytes:
    return png(standing_chart(title, units))


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

