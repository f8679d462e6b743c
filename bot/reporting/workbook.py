"""The Excel file an office signs and sends upward: per plan, "Tổng hợp" (units down, indicators across,
under the official heading, printable on A4 landscape), then "Chi tiết" (every figure with who and
when) and "Chưa nộp" (who still owes figures).

Values are numbers with number formats (a percentage is a percentage), each marked ✓ or ✗ against its
target; conditional formatting colours them against the target row, so an edited value recolours.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.models import Indicator, Submission, Unit
from bot.reporting.periods import Span

TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CHUYỂN ĐỔI SỐ"
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LEGEND = "✓ đạt chỉ tiêu · ✗ chưa đạt · “chưa nộp”: đơn vị chưa báo cáo chỉ tiêu này"
HEADER_ROW = 8  # the indicators' names; the target row below it; both repeat on every printed page
FIRST_UNIT = HEADER_ROW + 2
MET, NOT_MET = PatternFill("solid", fgColor="C8E6C9"), PatternFill("solid", fgColor="FFCDD2")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="9E9E9E")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD, WRAP = Font(bold=True), Alignment(wrap_text=True, vertical="center", horizontal="center")
SIGNS = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "=": ""}
TESTS = {">=": "{v}>={t}", ">": "{v}>{t}", "<=": "{v}<={t}", "<": "{v}<{t}", "=": "ABS({v}-{t})<0.000001"}


@dataclass(frozen=True)
class PlanStanding:
    """One plan's part of the report: its issuing body and title, its indicators, its units' latest rows."""

    issuer: str
    title: str
    indicators: list[Indicator]
    units: list[tuple[Unit, dict[int, Submission]]]


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


def summary_sheet(book: Workbook, title: str, plan: PlanStanding, span: Span, made: dt.date) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    last = 2 + len(plan.indicators) + 1
    _heading(sheet, plan, span, made, last)
    heads = ["STT", "Đơn vị", *(f"{i.code}\n{i.full_name or i.name}" for i in plan.indicators), "Đạt / đã báo cáo"]
    _row(sheet, HEADER_ROW, heads, font=BOLD, fill=HEAD_FILL, alignment=WRAP)
    sheet.row_dimensions[HEADER_ROW].height = 96
    _row(sheet, HEADER_ROW + 1, ["", "Chỉ tiêu", *(number(i, i.target, True) for i in plan.indicators), ""],
         font=BOLD, fill=HEAD_FILL)
    for column, indicator in enumerate(plan.indicators, 3):
        sheet.cell(HEADER_ROW + 1, column).number_format = target_format(indicator)
    for n, (unit, done) in enumerate(plan.units, 1):
        _unit_row(sheet, FIRST_UNIT + n - 1, n, unit, plan.indicators, done)
    end = FIRST_UNIT + len(plan.units) - 1
    _totals(sheet, end + 1, plan)
    _colours(sheet, plan.indicators, end)
    sheet.cell(end + 4, 1, LEGEND).font = Font(italic=True, size=9)
    _layout(sheet, len(plan.indicators), last)
    return sheet


def _heading(sheet: Worksheet, plan: PlanStanding, span: Span, made: dt.date, last: int) -> None:
    right = max(last - 3, 3)
    sheet.cell(1, 1, plan.issuer.upper()).font = BOLD
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    for row, text in enumerate(NATION, 1):
        cell = sheet.cell(row, right, text)
        cell.font, cell.alignment = BOLD, Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=right, end_row=row, end_column=max(last, right))
    lines = [(TITLE, Font(bold=True, size=14)), (f"Kỳ báo cáo: {span.label} · {plan.title}", Font(italic=True)),
             (f"Ngày lập: {made:%d/%m/%Y}", Font(italic=True))]
    for row, (text, font) in enumerate(lines, 4):
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    sheet.row_dimensions[5].height = 30


def _unit_row(sheet: Worksheet, row: int, n: int, unit: Unit, indicators: list[Indicator],
              done: dict[int, Submission]) -> None:
    met = sum(1 for s in done.values() if s.met)
    _row(sheet, row, [n, unit.name, *([None] * len(indicators)), f"{met}/{len(done)}"])
    for column, indicator in enumerate(indicators, 3):
        cell, stored = sheet.cell(row, column), done.get(indicator.id)
        if stored is None:
            cell.value, cell.font = "chưa nộp", Font(color="757575", italic=True)
        else:
            cell.value = number(indicator, stored.value, stored.yes)
            cell.number_format = value_format(indicator, stored.met)
        cell.alignment = Alignment(horizontal="center")


def _totals(sheet: Worksheet, row: int, plan: PlanStanding) -> None:
    reported = [sum(1 for _, done in plan.units if i.id in done) for i in plan.indicators]
    met = [sum(1 for _, done in plan.units if i.id in done and done[i.id].met) for i in plan.indicators]
    _row(sheet, row, ["", "Số đơn vị đạt chỉ tiêu", *met, ""], font=BOLD)
    _row(sheet, row + 1, ["", "Số đơn vị đã báo cáo", *reported, ""], font=BOLD)


def _colours(sheet: Worksheet, indicators: list[Indicator], end: int) -> None:
    """Green where the value reaches the target row's, red where not (recoloured if a value is edited)."""
    for column, indicator in enumerate(indicators, 3):
        letter = get_column_letter(column)
        cells = f"{letter}{FIRST_UNIT}:{letter}{max(end, FIRST_UNIT)}"
        test = TESTS.get(indicator.comparator, TESTS[">="]).format(v=f"{letter}{FIRST_UNIT}",
                                                                   t=f"{letter}${HEADER_ROW + 1}")
        numeric = f"ISNUMBER({letter}{FIRST_UNIT})"
        sheet.conditional_formatting.add(cells, FormulaRule(formula=[f"AND({numeric},{test})"], fill=MET))
        sheet.conditional_formatting.add(cells, FormulaRule(formula=[f"AND({numeric},NOT({test}))"], fill=NOT_MET))


def _layout(sheet: Worksheet, indicators: int, last: int) -> None:
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 5, 34
    for column in range(3, 3 + indicators):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.column_dimensions[get_column_letter(last)].width = 12
    sheet.freeze_panes = sheet.cell(FIRST_UNIT, 3)
    landscape(sheet, f"{HEADER_ROW}:{HEADER_ROW + 1}")


def landscape(sheet: Worksheet, title_rows: str) -> None:
    """A4 landscape, as wide as the page, the header rows on every printed page."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True


def _row(sheet: Worksheet, row: int, values: list, *, font: Font | None = None, fill: PatternFill | None = None,
         alignment: Alignment | None = None) -> None:
    style = _named(sheet.parent, font, fill, alignment)
    for column, value in enumerate(values, 1):
        sheet.cell(row, column, value).style = style


def _named(book: Workbook, font: Font | None, fill: PatternFill | None, alignment: Alignment | None) -> str:
    """A boxed cell's style, registered once: assigning border, font and fill cell by cell hashes each object
    every time, which made /xuat of 1,000 units × 30 indicators take most of a minute (bench/submissions.py)."""
    name = f"ô {hash((font, fill, alignment)) & 0xFFFFFFFF:08x}"
    if name not in book.named_styles:
        book.add_named_style(NamedStyle(name, font=font or Font(), fill=fill or PatternFill(), border=BOX,
                                        alignment=alignment or Alignment()))
    return name


DETAIL = ("Kỳ", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả", "Giá trị",
          "Tử số", "Mẫu số", "Đạt", "Người báo cáo", "Thời gian báo cáo", "Sửa", "Ghi chú")
DETAIL_WIDTHS = (9, 22, 36, 11, 60, 12, 18, 10, 8, 8, 9, 24, 17, 9, 30)


def detail_sheet(book: Workbook, standings: list[PlanStanding], tz: ZoneInfo) -> Worksheet:
    """Every unit × indicator with its latest figure: numbers as numbers, who and when, corrections marked."""
    sheet = book.create_sheet("Chi tiết")
    _row(sheet, 1, list(DETAIL), font=BOLD, fill=HEAD_FILL, alignment=WRAP)
    row = 2
    for plan in standings:
        for unit, done in plan.units:
            for indicator in plan.indicators:
                _detail_row(sheet, row, unit, indicator, done.get(indicator.id), tz)
                row += 1
    sheet.freeze_panes, sheet.auto_filter.ref = "A2", f"A1:{get_column_letter(len(DETAIL))}{max(row - 1, 1)}"
    for column, width in enumerate(DETAIL_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    landscape(sheet, "1:1")
    return sheet


def _detail_row(sheet: Worksheet, row: int, unit: Unit, indicator: Indicator, stored: Submission | None,
                tz: ZoneInfo) -> None:
    when = stored.submitted_at.astimezone(tz).replace(tzinfo=None) if stored else None
    values = [stored.period.code if stored else "", unit.code, unit.name, indicator.code,
              indicator.full_name or indicator.name, number(indicator, indicator.target, True),
              stored.shown if stored else "", number(indicator, stored.value, stored.yes) if stored else None,
              stored.numerator if stored else None, stored.denominator if stored else None,
              ("Đạt" if stored.met else "Chưa đạt") if stored and stored.met is not None else "",
              stored.person_name if stored else "", when, "đã sửa" if stored and stored.supersedes_id else "",
              stored.note if stored else ""]
    _row(sheet, row, values)
    sheet.cell(row, 6).number_format = target_format(indicator)
    sheet.cell(row, 8).number_format = value_format(indicator, None)
    sheet.cell(row, 13).number_format = "dd/mm/yyyy hh:mm"


def missing_sheet(book: Workbook, standings: list[PlanStanding], officers: dict[int, list[str]]) -> Worksheet:
    """The units still owing figures, what they owe, and who reports for them."""
    sheet = book.create_sheet("Chưa nộp")
    _row(sheet, 1, ["Mã đơn vị", "Đơn vị", "Còn thiếu", "Tổng số chỉ tiêu", "Chỉ tiêu còn thiếu", "Cán bộ báo cáo"],
         font=BOLD, fill=HEAD_FILL, alignment=WRAP)
    row = 2
    for plan in standings:
        for unit, done in plan.units:
            owed = [i for i in plan.indicators if i.id not in done]
            if owed:
                _row(sheet, row, [unit.code, unit.name, len(owed), len(plan.indicators),
                                  "; ".join(f"{i.code} {i.name}" for i in owed),
                                  ", ".join(officers.get(unit.id, [])) or "chưa có (mời bằng /moi)"])
                row += 1
    for column, width in enumerate((22, 36, 10, 10, 80, 30), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    landscape(sheet, "1:1")
    return sheet


def workbook(standings: list[PlanStanding], span: Span, made: dt.date, tz: ZoneInfo,
             officers: dict[int, list[str]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for plan in standings:
        title = "Tổng hợp" if len(standings) == 1 else f"Tổng hợp {plan.units[0][0].plan_id}"
        summary_sheet(book, title, plan, span, made)
    detail_sheet(book, standings, tz)
    missing_sheet(book, standings, officers)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
