"""Each indicator's chart on Tổng hợp, drawn on the server as a small SVG (no script, prints well): how many
units met, did not meet and have not reported it, and for figures a histogram of the values with the
target marked. Colours come with the numbers written out, so the chart never relies on colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reporting.matrix import MET, NOT_MET, Cell, Column

BINS = 10
WIDTH, BAR = 300, 14


@dataclass(frozen=True)
class Chart:
    column: Column
    split: list[tuple[str, int, float, float]]  # (state, count, x, width) of the stacked bar
    bins: list[tuple[float, float, int]]  # (x, height, count) of the histogram
    target_x: float | None
    low: float
    high: float


def chart(column: Column, cells: list[Cell]) -> Chart:
    total = max(1, column.met + column.not_met + column.missing)
    split, x = [], 0.0
    for state, count in ((MET, column.met), (NOT_MET, column.not_met), ("missing", column.missing)):
        width = WIDTH * count / total
        split.append((state, count, x, width))
        x += width
    values = [c.value for c in cells if c.value is not None and c.state in (MET, NOT_MET)]
    if column.indicator.kind == "yesno" or not values:
        return Chart(column, split, [], None, 0, 0)
    target = column.indicator.target
    low, high = (0.0, 100.0) if column.indicator.kind == "percent" else (0.0, max(max(values), target) or 1.0)
    counts = [0] * BINS
    for value in values:
        counts[min(BINS - 1, max(0, int((value - low) / (high - low) * BINS)))] += 1
    peak = max(counts) or 1
    bins = [(n * WIDTH / BINS, 40 * count / peak, count) for n, count in enumerate(counts)]
    return Chart(column, split, bins, WIDTH * (min(max(target, low), high) - low) / (high - low), low, high)
