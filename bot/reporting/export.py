"""The compiling office's files: every unit × indicator of a period with target, value, who and when.

Excel gets one sheet per period; the CSV holds the same rows with the period as a column, in UTF-8
with a byte-order mark so that Excel opens Vietnamese text correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from bot.reporting import submissions
from bot.reporting.indicators import target_text
from bot.reporting.periods import Span, halves_of

HEADERS = ("Kỳ", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả", "Giá trị số",
           "Tử số", "Mẫu số", "Đạt", "Người báo cáo", "Thời gian báo cáo", "Ghi chú")
WIDTHS = (9, 22, 40, 12, 60, 14, 18, 11, 8, 8, 9, 24, 19, 30)


@dataclass(frozen=True)
class Record:
    period: str
    unit_code: str
    unit: str
    code: str
    indicator: str
    target: str
    shown: str
    value: float | None
    numerator: int | None
    denominator: int | None
    met: str
    who: str
    when: str
    note: str


def records(span: Span, timezone: ZoneInfo, *, session: Session) -> list[Record]:
    """Every unit's every indicator, reported or not (blank), in unit then plan order."""
    found = []
    for unit, indicators, done in submissions.standing(span, session=session):
        for indicator in indicators:
            row = done.get(indicator.id)
            found.append(Record(
                span.code, unit.code, unit.name, indicator.code, indicator.name, target_text(indicator),
                row.shown if row else "", row.value if row else None, row.numerator if row else None,
                row.denominator if row else None, _met(row.met) if row else "", row.person_name if row else "",
                _local(row.submitted_at, timezone) if row else "", row.note if row else ""))
    return found


def _met(met: bool | None) -> str:
    return "" if met is None else ("Đạt" if met else "Chưa đạt")


def _local(moment: dt.datetime, timezone: ZoneInfo) -> str:
    return f"{moment.astimezone(timezone):%d/%m/%Y %H:%M}"


def xlsx(sheets: dict[str, list[Record]]) -> bytes:
    """One sheet per period, header frozen and filterable."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(HEADERS)
        for record in rows:
            sheet.append(astuple(record))
        sheet.freeze_panes, sheet.auto_filter.ref = "A2", sheet.dimensions
        for column, width in enumerate(WIDTHS, 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Record]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(astuple(r) for r in rows)
    return buffer.getvalue().encode("utf-8-sig")


def sheets_of(span: Span) -> list[Span]:
    """A half-year is one sheet; a year is its two halves and the year itself."""
    return [span] if span.kind == "half" else [*halves_of(span), span]


def export(span: Span, timezone: ZoneInfo, *, session: Session) -> dict[str, bytes]:
    """File name → content: the workbook and the CSV of the period."""
    sheets = {s.code: records(s, timezone, session=session) for s in sheets_of(span)}
    name = f"thi-dua-cds-{span.code}"
    return {f"{name}.xlsx": xlsx(sheets), f"{name}.csv": csv_bytes(r for rows in sheets.values() for r in rows)}
