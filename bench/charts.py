"""Draws the /tiendo and /tonghop charts from the packaged plans with sample figures, into docs/ (the README
shows them), so that a change to the charts can be looked at:

    python -m bench.charts [out-dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.reporting import charts
from bot.reporting.indicators import indicators_of
from bot.reporting.progress import Bar
from knowledge import default_kb

SAMPLE = [85.5, None, 100.0, 60.0, 92.0, None, 75.0, 100.0]  # a commune half-way through its reports


def main(out: str = "docs") -> None:
    folder = Path(out)
    folder.mkdir(exist_ok=True)
    found = indicators_of(default_kb(), "xa-cat-ne")
    bars = [Bar(i.name, value, i.target, None if value is None else value >= i.target, i.kind == "percent")
            for i, value in zip(found, SAMPLE, strict=False)]
    (folder / "chart-tiendo.png").write_bytes(
        charts.png(charts.progress_figure("Ủy ban nhân dân xã Cát Nê — 6 tháng cuối năm 2026", bars)))
    units = [("Ủy ban nhân dân xã Cát Nê", 6, 4, 8), ("UBND xã Phú Nghĩa", 8, 7, 12), ("UBND xã Đắk Ơ", 3, 1, 12),
             ("Sở Xây dựng tỉnh Kiên Giang", 0, 0, 10)]
    (folder / "chart-tonghop.png").write_bytes(
        charts.png(charts.standing_figure("Tổng hợp 6 tháng cuối năm 2026", units)))
    print(f"wrote {folder / 'chart-tiendo.png'} and {folder / 'chart-tonghop.png'}")


if __name__ == "__main__":
    main(*sys.argv[1:])
