"""Units and officers in bulk, from a spreadsheet: units imported with every error shown before anything is
stored, and one-time invite links for a list of officers (an Excel of links, QR codes to print).

Reading a file gives rows of cells; `check_units` turns them into units or errors without storing, so the
web page and a command line both preview first and store with `store_units` only when there is no error."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import Invite, Unit
from bot.people import invites
from bot.people.units import UNIT_CODE, find_unit

LEVELS = ("tỉnh", "sở", "huyện", "xã", "phòng", "đơn vị")  # as `campaign-bot units add`
UNIT_COLUMNS = ("code", "name", "plan", "level", "parent")
HEADER_NAMES = {"mã": "code", "ma": "code", "mã đơn vị": "code", "tên": "name", "tên đơn vị": "name",
                "kế hoạch": "plan", "cấp": "level", "đơn vị cấp trên": "parent", "cấp trên": "parent",
                "họ tên": "name", "họ và tên": "name", "đơn vị": "unit", "unit": "unit"}
MAX_ROWS = 5000


class FileUnreadable(ValueError):
    """Not a spreadsheet this reads; the message says what to send instead."""


def read_rows(name: str, content: bytes) -> list[list[str]]:
    """The cells of the first sheet of an .xlsx, or of a .csv (UTF-8, with or without BOM; , or ;)."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _xlsx_rows(content)
    if lower.endswith(".csv"):
        return _csv_rows(content)
    raise FileUnreadable("Chỉ nhận tệp .xlsx hoặc .csv. Bạn lưu bảng tính dưới một trong hai dạng đó rồi gửi lại.")


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise FileUnreadable("Không đọc được tệp Excel này. Mở bằng Excel, lưu dạng .xlsx rồi gửi lại.") from exc
    return [["" if c is None else str(c).strip() for c in row] for row in sheet.iter_rows(values_only=True)]


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileUnreadable("Tệp CSV không phải UTF-8. Bạn lưu lại dạng “CSV UTF-8” rồi gửi lại.") from exc
    dialect = csv.excel_tab if "\t" in text.split("\n", 1)[0] else csv.excel
    if ";" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0]:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=";")]
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def columns_of(header: list[str], wanted: Iterable[str]) -> dict[str, int]:
    """Column name → index, from a header of English or Vietnamese names."""
    found = {}
    for index, cell in enumerate(header):
        key = HEADER_NAMES.get(cell.strip().lower(), cell.strip().lower())
        if key in wanted and key not in found:
            found[key] = index
    return found


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    plan_id: str
    level: str
    parent: str


@dataclass
class Preview:
    """What an import would store, and why it would not: nothing is stored while `errors` is not empty."""

    rows: list
    errors: list[str]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _cells(row: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {key: (row[i].strip() if i < len(row) else "") for key, i in columns.items()}


def check_units(rows: list[list[str]], plans: set[str], *, session: Session) -> Preview:
    """Every row checked (code, name, plan, level, parent), against the database and the rest of the file."""
    if not rows:
        return Preview([], ["Tệp trống. Dòng đầu là tiêu đề: code, name, plan, level, parent."])
    columns = columns_of(rows[0], UNIT_COLUMNS)
    lacking = [c for c in UNIT_COLUMNS[:3] if c not in columns]
    if lacking:
        return Preview([], [f"Thiếu cột {', '.join(lacking)} ở dòng tiêu đề (cần: code, name, plan, level, parent)."])
    if len(rows) > MAX_ROWS + 1:
        return Preview([], [f"Tệp có hơn {MAX_ROWS} dòng. Bạn chia nhỏ rồi nhập từng phần."])
    existing = set(session.scalars(select(Unit.code)))
    found, errors, seen = [], [], set()
    for line, row in enumerate(rows[1:], start=2):
        cells = _cells(row, columns)
        if not any(cells.values()):
            continue
        unit = UnitRow(line, cells["code"].lower(), " ".join(cells["name"].split()), cells["plan"],
                       cells.get("level") or "xã", cells.get("parent", "").lower())
        problem = _unit_problem(unit, plans, existing, seen)
        if problem:
            errors.append(f"Dòng {line}: {problem}")
        else:
            found.append(unit)
        seen.add(unit.code)
    return Preview(found, errors)


def _unit_problem(unit: UnitRow, plans: set[str], existing: set[str], seen: set[str]) -> str:
    if not UNIT_CODE.fullmatch(unit.code):
        return f"mã “{unit.code}” chỉ gồm chữ thường không dấu, số và “-” (ví dụ xa-phu-nghia)."
    if unit.code in existing or unit.code in seen:
        return f"mã “{unit.code}” đã có: đặt mã khác, hoặc bỏ dòng này nếu đơn vị đã được nhập."
    if not unit.name or len(unit.name) > 200:
        return "thiếu tên đơn vị, hoặc tên dài quá 200 ký tự: ghi tên đầy đủ, ví dụ UBND xã Phú Nghĩa."
    if unit.plan_id not in plans:
        return f"không có kế hoạch “{unit.plan_id}”: ghi một trong {', '.join(sorted(plans))}."
    if unit.level not in LEVELS:
        return f"cấp “{unit.level}” phải là một trong {', '.join(LEVELS)}."
    if unit.parent and unit.parent not in existing and unit.parent not in seen:
        return f"không có đơn vị cấp trên “{unit.parent}” (nhập nó ở dòng trước, hoặc để trống)."
    return ""


def store_units(preview: Preview, *, session: Session) -> list[Unit]:
    """The previewed units, stored in file order (a parent before its children); refuses a preview with errors."""
    if not preview.ok:
        raise ValueError("a preview with errors stores nothing")
    by_code = {u.code: u for u in session.scalars(select(Unit).where(
        Unit.code.in_([r.parent for r in preview.rows if r.parent])))}
    stored = []
    for row in preview.rows:
        unit = Unit(code=row.code, name=row.name[:200], plan_id=row.plan_id, level=row.level,
                    parent=by_code.get(row.parent) if row.parent else None)
        session.add(unit)
        by_code[row.code] = unit
        stored.append(unit)
    session.flush()
    return stored


@dataclass(frozen=True)
class Invitee:
    line: int
    name: str
    unit: Unit


def check_invitees(rows: list[list[str]], *, session: Session, units: frozenset[int] | None = None) -> Preview:
    """A file of names and units (code or name), each unit found (among `units`, an admin's scope, when
    given), or the row's error."""
    if not rows:
        return Preview([], ["Tệp trống. Dòng đầu là tiêu đề: họ tên, đơn vị."])
    columns = columns_of(rows[0], ("name", "unit"))
    if len(columns) < 2:
        return Preview([], ["Dòng tiêu đề cần hai cột: “họ tên” và “đơn vị” (mã hoặc tên đơn vị)."])
    found, errors = [], []
    for line, row in enumerate(rows[1:MAX_ROWS + 1], start=2):
        cells = _cells(row, columns)
        if not any(cells.values()):
            continue
        unit = find_unit(cells["unit"], session=session) if cells["unit"] else None
        if not cells["name"]:
            errors.append(f"Dòng {line}: thiếu họ tên.")
        elif unit is None:
            errors.append(f"Dòng {line}: không tìm thấy đơn vị “{cells['unit']}” (ghi mã đơn vị cho chắc).")
        elif units is not None and unit.id not in units:
            errors.append(f"Dòng {line}: {unit.name} không thuộc các đơn vị bạn quản lý. Bỏ dòng này, hoặc nhờ "
                          "quản trị viên của đơn vị đó mời.")
        else:
            found.append(Invitee(line, cells["name"][:200], unit))
    return Preview(found, errors)


@dataclass(frozen=True)
class Issued:
    name: str
    unit: Unit
    link: str
    expires_at: dt.datetime


def issue_invites(preview: Preview, admin_id: int, bot_username: str, now: dt.datetime, *,
                  session: Session) -> list[Issued]:
    """One one-time invite per previewed person; refuses a preview with errors."""
    if not preview.ok:
        raise ValueError("a preview with errors issues nothing")
    issued = []
    for person in preview.rows:
        invite: Invite = invites.create(person.unit, admin_id, now, session=session)
        issued.append(Issued(person.name, person.unit, invites.link(invite, bot_username), invite.expires_at))
    session.flush()
    return issued


def invites_workbook(issued: list[Issued], timezone: dt.tzinfo) -> bytes:
    """The Excel the office sends out: name, unit, link, valid until."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Liên kết mời"
    sheet.append(["Họ tên", "Mã đơn vị", "Đơn vị", "Liên kết mời (dùng một lần)", "Hết hạn"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in issued:
        sheet.append([row.name, row.unit.code, row.unit.name, row.link,
                      f"{row.expires_at.astimezone(timezone):%d/%m/%Y %H:%M}"])
    for column, width in zip("ABCDE", (28, 22, 40, 60, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code (segno: pure Python, no image library)."""
    return segno.make(link, error="m").svg_inline(scale=3, border=2)
