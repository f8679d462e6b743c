"""The charts read on a phone: 1080 pixels wide, indicator names (not codes) as labels, 'chưa nộp' where no
figure came, the value written beside each bar."""

from __future__ import annotations

import struct

from bot.reporting import charts
from bot.reporting.progress import Bar, Standing

BARS = [Bar("Hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến…", 75, 80, False, True, "45/60 (75%)"),
        Bar("Hộ gia đình có địa chỉ số", None, 70, None),
        Bar("Lớp tập huấn kỹ năng số", 3, 2, True, False, "3")]


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", png[16:24])


def texts(figure) -> list[str]:
    axes = figure.axes[0]
    shown = [t.get_text() for t in axes.get_yticklabels()] + [t.get_text() for t in axes.texts]
    return [" ".join(t.split()) for t in shown]  # the labels are wrapped over lines


def test_the_progress_chart_is_phone_sized_and_labelled_by_name():
    figure = charts.progress_figure("Ủy ban nhân dân xã Cát Nê — 6 tháng cuối năm 2026", BARS)
    width, _ = size(charts.png(figure))
    assert width >= 1080
    shown = texts(figure)
    assert "Hộ gia đình có địa chỉ số" in shown and any(t.startswith("Hồ sơ thủ tục hành chính") for t in shown)
    assert {"75%", "chưa nộp", "3 (chỉ tiêu 2)"} <= set(shown)
    assert all(label.get_fontsize() * charts.DPI / 72 * 390 / 1080 >= 12 for label in figure.axes[0].get_yticklabels())


def test_a_count_is_drawn_as_its_share_of_the_target():
    assert charts.position(BARS[2]) == (150.0, 100.0) and charts.position(BARS[0]) == (75, 80)


def test_the_standing_chart_shows_each_unit_met_of_all():
    figure = charts.standing_figure("Tổng hợp 6 tháng cuối năm 2026", [("Ủy ban nhân dân xã Cát Nê", 2, 1, 8),
                                                                       ("Sở Xây dựng tỉnh Kiên Giang", 0, 0, 10)])
    assert size(charts.png(figure))[0] >= 1080
    assert {"Ủy ban nhân dân xã Cát Nê", "đạt 1/8", "đạt 0/10"} <= set(texts(figure))


def test_a_standing_of_many_units_draws_those_furthest_behind():
    units = [Standing(f"UBND xã số {n}", n % 9, n % 5, 8) for n in range(200)]
    figure = charts.standing_chart("Tổng hợp 2026", units)
    shown = texts(figure)
    assert len(figure.axes[0].get_yticklabels()) == charts.MOST_UNITS and "UBND xã số 0" in shown
    assert "UBND xã số 8" not in shown  # all 8 indicators reported
    assert "25/200 đơn vị chậm nhất" in " ".join(figure._suptitle.get_text().split())
