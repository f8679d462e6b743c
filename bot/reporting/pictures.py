"""The charts as PNG, drawn in the helper process (bot/core/elsewhere.py): a chart holds the GIL for 0.23–0.39 s
of CPU and matplotlib takes 2.2 s to import, neither of which the bot's own process then pays."""

from __future__ import annotations

from bot.core.elsewhere import run_elsewhere
from bot.reporting.progress import Bar, Standing


def progress_png(title: str, bars: list[Bar]) -> bytes:
    """The /tiendo chart of one unit."""
    return run_elsewhere(_progress, title, bars)


def standing_png(title: str, units: list[Standing]) -> bytes:
    """The units' standing, for /tonghop and the summaries."""
    return run_elsewhere(_standing, title, units)


def _progress(title: str, bars: list[Bar]) -> bytes:
    from bot.reporting import charts  # imported by the helper process only

    return charts.png(charts.progress_figure(title, bars))


def _standing(title: str, units: list[Standing]) -> bytes:
    from bot.reporting import charts

    return charts.standing_png(title, units)
