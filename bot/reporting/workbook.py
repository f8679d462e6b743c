"""The Excel file an office signs and sends upward: per plan, "Tổng hợp" (units down, indicators across,
under the official heading, printable on A4 landscape), then "Chi tiết" (every figure with who and
when) and "Chưa nộp" (who still owes figures).

Values are numbers with number formats (a percentage is a percentage), each marked ✓ or ✗ against its
target; conditional formatting colours them against the target row, so an edited value recolours.
Written with XlsxWriter: openpyxl, which still reads uploaded files, took 15 s for 1,000 units × 30
indicators (`python -m bench.submissions --export`), most of it building and styling cell objects.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from bot.core.models import Indicator, Unit

TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CHUYỂN ĐỔI SỐ"
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LEGEND = "✓ đạt chỉ tiêu · ✗ chưa đạt · “chưa nộp”: đơn vị chưa báo cáo chỉ tiêu này"
HEADER_ROW = 7  # counted from 0: the indicators' names; the target row below; both repeat on every printed page
FIRST_UNIT = HEADER_ROW + 2
MET, NOT_MET, HEAD = "#C8E6C9", "#FFCDD2", "#DDEBF7"
BOX = {"border": 1, "border_color": "#9E9E9E"}
HEADING = {"bold": True, "bg_color": HEAD, **BOX}
WRAPPED = {"text_wrap": True, "valign": "vcenter", "align": "center"}
SIGNS = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "=": ""}
TESTS = {">=": "{v}>={t}", ">": "{v}>{t}", "<=": "{v}<={t}", "<": "{v}<{t}", "=": "ABS({v}-{t})<0.000001"}


class Latest(NamedTuple):
    """A unit's latest figure for an indicator: columns only (bot/reporting/export.py reads 30,000 of them)."""

    period: str
    value: float | None
    yes: bool | None
    met: bool | None
    shown: str
    numerator: int | None
    denominator: int | None
    person_name: str
    submitted_at: dt.datetime
    corrected: bool
    note: str


@dataclass(frozen=True)
class PlanStanding:
    """One plan's part of the report: its issuing body and title, its indicators, its units' latest figures."""

    issuer: str
    title: str
    indicators: list[Indicator]
    units: list[tuple[Unit, dict[int, Latest]]]


class Styles:
    """The workbook's formats, each made once: XlsxWriter writes every format it was given into the file."""

    def __init__(self, book: Workbook) -> None:
        self.book, self.made = book, {}

    def __call__(self, **properties: Any) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(properties)
        return self.made[key]


def number(indicator: Indicator, value: float | None, yes: bool | None) -> float | None:
    """The value as Excel holds it: a share for a percentage (0.855), 1 or 0 for yes/no."""
    if indicator.kind == "yesno":
        return None if yes is None else float(yes)
    if value is None:
        return None
    return value / 100 if indicator.kind == "percent" else value


def value_format(indicator: Indicator, met: bool | None) -> str:
    if indicator.kind == "yesno":  # 1 is yes, which meets a yes/no target; 0 does not
        return '"Có ✓";;"Không ✗"' if met is not None else '"Có";;"Không"'
    mark = "" if met is None else (' "✓"' if met else ' "✗"')
    return ("0.0%" if indicator.kind == "percent" else "#,##0") + mark


def target_format(indicator: Indicator) -> str:
    sign = SIGNS.get(indicator.comparator, "")
    body = "0%" if indicator.kind == "percent" else ('"Có"' if indicator.kind == "yesno" else "#,##0")
    return f'"{sign}"{body}' if sign else body


def summary_sheet(book: Workbook, styles: Styles, title: str, plan: PlanStanding, span_label: str,
                  made: dt.date) -> Worksheet:
    sheet = book.add_worksheet(title[:31])
    last = 2 + len(plan.indicators)  # the "Đạt / đã báo cáo" column, counted from 0
    _heading(sheet, styles, plan, span_label, made, last)
    heads = ["STT", "Đơn vị", *(f"{i.code}\n{i.full_name or i.name}" for i in plan.indicators), "Đạt / đã báo cáo"]
    sheet.write_row(HEADER_ROW, 0, heads, styles(**HEADING, **WRAPPED))
    sheet.set_row(HEADER_ROW, 96)
    sheet.write_row(HEADER_ROW + 1, 0, ["", "Chỉ tiêu"], styles(**HEADING))
    for column, indicator in enumerate(plan.indicators, 2):
        sheet.write(HEADER_ROW + 1, column, number(indicator, indicator.target, True),
                    styles(**HEADING, num_format=target_format(indicator)))
    sheet.write_blank(HEADER_ROW + 1, last, None, styles(**HEADING))
    for n, (unit, done) in enumerate(plan.units):
        _unit_row(sheet, styles, FIRST_UNIT + n, n + 1, unit, plan.indicators, done)
    end = FIRST_UNIT + len(plan.units) - 1
    _totals(sheet, styles, end + 1, plan)
    _colours(sheet, styles, plan.indicators, end)
    sheet.write(end + 3, 0, LEGEND, styles(italic=True, font_size=9))
    _layout(sheet, len(plan.indicators), last)
    return sheet


def _heading(sheet: Worksheet, styles: Styles, plan: PlanStanding, span_label: str, made: dt.date,
             last: int) -> None:
    right = max(last - 3, 2)
    sheet.merge_range(0, 0, 0, 1, plan.issuer.upper(), styles(bold=True))
    for row, text in enumerate(NATION):
        _merged(sheet, row, right, max(last, right), text, styles(bold=True, align="center"))
    lines = [(TITLE, {"bold": True, "font_size": 14}), (f"Kỳ báo cáo: {span_label} · {plan.title}", {"italic": True}),
             (f"Ngày lập: {made:%d/%m/%Y}", {"italic": True})]
    for row, (text, font) in enumerate(lines, 3):
        _merged(sheet, row, 0, last, text, styles(**font, align="center", text_wrap=True))
    sheet.set_row(4, 30)


def _merged(sheet: Worksheet, row: int, first: int, last: int, text: str, style: Format) -> None:
    if last > first:
        sheet.merge_range(row, first, row, last, text, style)
    else:
        sheet.write(row, first, text, style)


def _unit_row(sheet: Worksheet, styles: Styles, row: int, n: int, unit: Unit, indicators: list[Indicator],
              done: dict[int, Latest]) -> None:
    met = sum(1 for figure in done.values() if figure.met)
    boxed = styles(**BOX)
    sheet.write_row(row, 0, [n, unit.name], boxed)
    for column, indicator in enumerate(indicators, 2):
        figure = done.get(indicator.id)
        if figure is None:
            sheet.write(row, column, "chưa nộp", styles(**BOX, font_color="#757575", italic=True, align="center"))
        else:
            sheet.write(row, column, number(indicator, figure.value, figure.yes),
                        styles(**BOX, align="center", num_format=value_format(indicator, figure.met)))
    sheet.write(row, 2 + len(indicators), f"{met}/{len(done)}", boxed)


def _totals(sheet: Worksheet, styles: Styles, row: int, plan: PlanStanding) -> None:
    reported = [sum(1 for _, done in plan.units if i.id in done) for i in plan.indicators]
    met = [sum(1 for _, done in plan.units if i.id in done and done[i.id].met) for i in plan.indicators]
    bold = styles(bold=True, **BOX)
    sheet.write_row(row, 0, ["", "Số đơn vị đạt chỉ tiêu", *met, ""], bold)
    sheet.write_row(row + 1, 0, ["", "Số đơn vị đã báo cáo", *reported, ""], bold)


def _colours(sheet: Worksheet, styles: Styles, indicators: list[Indicator], end: int) -> None:
    """Green where the value reaches the target row's, red where not (recoloured if a value is edited)."""
    for column, indicator in enumerate(indicators, 2):
        letter = xl_col_to_name(column)
        test = TESTS.get(indicator.comparator, TESTS[">="]).format(v=f"{letter}{FIRST_UNIT + 1}",
                                                                   t=f"{letter}${HEADER_ROW + 2}")
        numeric = f"ISNUMBER({letter}{FIRST_UNIT + 1})"
        for formula, fill in ((f"AND({numeric},{test})", MET), (f"AND({numeric},NOT({test}))", NOT_MET)):
            sheet.conditional_format(FIRST_UNIT, column, max(end, FIRST_UNIT), column,
                                     {"type": "formula", "criteria": f"={formula}", "format": styles(bg_color=fill)})


def _layout(sheet: Worksheet, indicators: int, last: int) -> None:
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 34)
    if indicators:
        sheet.set_column(2, 1 + indicators, 16)
    sheet.set_column(last, last, 12)
    sheet.freeze_panes(FIRST_UNIT, 2)
    landscape(sheet, HEADER_ROW, HEADER_ROW + 1)


def landscape(sheet: Worksheet, first_title_row: int, last_title_row: int) -> None:
    """A4 landscape, as wide as the page, the header rows on every printed page."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(first_title_row, last_title_row)
    sheet.center_horizontally()


DETAIL = ("Kỳ", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả", "Giá trị",
          "Tử số", "Mẫu số", "Đạt", "Người báo cáo", "Thời gian báo cáo", "Sửa", "Ghi chú")
DETAIL_WIDTHS = (9, 22, 36, 11, 60, 12, 18, 10, 8, 8, 9, 24, 17, 9, 30)


def detail_sheet(book: Workbook, styles: Styles, standings: list[PlanStanding], tz: ZoneInfo) -> Worksheet:
    """Every unit × indicator with its latest figure: numbers as numbers, who and when, corrections marked.
    A data sheet with a filter, not boxed cell by cell: it has a row per unit and indicator."""
    sheet = book.add_worksheet("Chi tiết")
    sheet.write_row(0, 0, DETAIL, styles(**HEADING, **WRAPPED))
    when = styles(num_format="dd/mm/yyyy hh:mm")
    row = 1
    for plan in standings:
        formats = {i.id: (styles(num_format=target_format(i)), styles(num_format=value_format(i, None)))
                   for i in plan.indicators}
        for unit, done in plan.units:
            for indicator in plan.indicators:
                _detail_row(sheet, row, unit, indicator, done.get(indicator.id), formats[indicator.id], tz, when)
                row += 1
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row - 1, 0), len(DETAIL) - 1)
    for column, width in enumerate(DETAIL_WIDTHS):
        sheet.set_column(column, column, width)
    landscape(sheet, 0, 0)
    return sheet


def _detail_row(sheet: Worksheet, row: int, unit: Unit, indicator: Indicator, figure: Latest | None,
                formats: tuple[Format, Format], tz: ZoneInfo, when: Format) -> None:
    sheet.write_row(row, 0, [figure.period if figure else "", unit.code, unit.name, indicator.code,
                             indicator.full_name or indicator.name])
    sheet.write(row, 5, number(indicator, indicator.target, True), formats[0])
    if figure is None:
        return
    sheet.write(row, 6, figure.shown)
    sheet.write(row, 7, number(indicator, figure.value, figure.yes), formats[1])
    met = "" if figure.met is None else ("Đạt" if figure.met else "Chưa đạt")
    sheet.write_row(row, 8, [figure.numerator, figure.denominator, met, figure.person_name])
    sheet.write_datetime(row, 12, figure.submitted_at.astimezone(tz).replace(tzinfo=None), when)
    sheet.write_row(row, 13, ["đã sửa" if figure.corrected else "", figure.note])


def missing_sheet(book: Workbook, styles: Styles, standings: list[PlanStanding],
                  officers: dict[int, list[str]]) -> Worksheet:
    """The units still owing figures, what they owe, and who reports for them."""
    sheet = book.add_worksheet("Chưa nộp")
    sheet.write_row(0, 0, ["Mã đơn vị", "Đơn vị", "Còn thiếu", "Tổng số chỉ tiêu", "Chỉ tiêu còn thiếu",
                           "Cán bộ báo cáo"], styles(**HEADING, **WRAPPED))
    row, boxed = 1, styles(**BOX)
    for plan in standings:
        for unit, done in plan.units:
            owed = [i for i in plan.indicators if i.id not in done]
            if owed:
                sheet.write_row(row, 0, [unit.code, unit.name, len(owed), len(plan.indicators),
                                         "; ".join(f"{i.code} {i.name}" for i in owed),
                                         ", ".join(officers.get(unit.id, [])) or "chưa có (mời bằng /moi)"], boxed)
                row += 1
    for column, width in enumerate((22, 36, 10, 10, 80, 30)):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    landscape(sheet, 0, 0)
    return sheet


def workbook(standings: list[PlanStanding], span_label: str, made: dt.date, tz: ZoneInfo,
             officers: dict[int, list[str]]) -> bytes:
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    styles = Styles(book)
    for plan in standings:
        title = "Tổng hợp" if len(standings) == 1 else f"Tổng hợp {plan.units[0][0].plan_id}"
        summary_sheet(book, styles, title, plan, span_label, made)
    detail_sheet(book, styles, standings, tz)
    missing_sheet(book, styles, standings, officers)
    book.close()
    return buffer.getvalue()
