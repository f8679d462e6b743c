"""Tables of a plan → lines a reader (and the index) can take one at a time.

Plans put two kinds of table in a document: layout tables (the header: issuer | national motto; the
signature: recipients | signer), read column by column as the eye reads them; and data tables (targets
with their level and deadline, award quotas by review), read row by row. A data row becomes one bullet
that names its subject and each cell by its column's heading, so that the row stands alone as a
sentence: "- Tỷ lệ người dân có hồ sơ sức khỏe điện tử — Mức phấn đấu: Tối thiểu 90%; Thời hạn: Trước
ngày 30/9/2028." Every cell's text is kept as written (the number-preservation check holds).
"""

from __future__ import annotations

import re

_ORDINAL = re.compile(r"^(?:\d{1,3}|[IVXL]{1,5}|[a-zđ])[.)]?$", re.IGNORECASE)
_ORDINAL_HEADING = re.compile(r"^(?:s[ốo]\s*)?(?:stt|tt)\.?$", re.IGNORECASE)
_LAYOUT_MARKS = re.compile(r"CỘNG HÒA|Độc lập|Nơi nhận|^Số\s*:|TM\.|KT\.", re.IGNORECASE | re.MULTILINE)
_PIPE_ROW = re.compile(r"^\s*\|?(?:[^|]*\|){2,}[^|]*\|?\s*$")


def is_data_table(rows: list[list[str]]) -> bool:
    """A table of facts, not of layout: three columns or more, or three rows or more, and none of the
    header's or signature's marks."""
    columns = max((len(row) for row in rows), default=0)
    if columns < 2 or (columns < 3 and len(rows) < 3):
        return False
    return not _LAYOUT_MARKS.search("\n".join(" ".join(row) for row in rows))


def _ordinal_column(rows: list[list[str]], heading: list[str]) -> bool:
    """The first column numbers the rows: headed 'STT', or short cells mostly numbers (an OCR'd '5' may be '=')."""
    first = [row[0].strip() for row in rows if row]
    numbered = sum(bool(_ORDINAL.match(cell)) for cell in first)
    return bool(first) and (bool(heading and _ORDINAL_HEADING.match(heading[0].strip()))
                            or (all(len(cell) <= 3 for cell in first) and numbered >= 0.6 * len(first)))


def _has_heading(rows: list[list[str]]) -> bool:
    """The first row names the columns: short cells, no share in them, and not a numbered row (a heading
    may hold a date: "Sơ kết (tháng 01/2027)")."""
    if len(rows) < 2 or not rows[0]:
        return False
    first = [cell.strip() for cell in rows[0]]
    return not _ORDINAL.match(first[0]) and all(len(cell) <= 60 and "%" not in cell for cell in first)


def row_lines(rows: list[list[str]]) -> list[str]:
    """One bullet per data row: its subject, then each other cell after its column's heading."""
    rows = [[" ".join(cell.split()) for cell in row] for row in rows if any(cell.strip() for cell in row)]
    heading = rows[0] if _has_heading(rows) else []
    body = rows[1:] if heading else rows
    skip = 1 if _ordinal_column(body, heading) else 0
    unit = next((n for n, name in enumerate(heading) if _UNIT_HEADING.match(name.strip())), None)
    if unit is not None:
        body = [_with_unit(row, unit) for row in body]
        heading = heading[:unit] + heading[unit + 1:]
    lines = [_row_line(row[skip:], heading[skip:]) for row in body]
    return [line for line in lines if line]


_UNIT_HEADING = re.compile(r"^(?:đơn vị tính|đvt|đơn vị đo)\.?$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")


def _with_unit(row: list[str], at: int) -> list[str]:
    """'Tỷ lệ … | % | 83 | 88' → 'Tỷ lệ … | 83% | 88%'; 'Số doanh nghiệp … | Doanh nghiệp | 35' → '35 doanh
    nghiệp': each bare figure of the row carries the unit its column 'Đơn vị tính' gives, as a reader takes it."""
    if at >= len(row) or not row[at]:
        return row
    unit = row[at]
    joined = (lambda n: f"{n}%") if unit == "%" else (lambda n: f"{n} {unit[0].lower()}{unit[1:]}")
    return [joined(cell) if n > at and _BARE_NUMBER.match(cell) else cell
            for n, cell in enumerate(row) if n != at]


def _row_line(cells: list[str], heading: list[str]) -> str:
    subject, *rest = cells or [""]
    parts = []
    for number, cell in enumerate(rest, start=1):
        if not cell:
            continue
        name = heading[number] if number < len(heading) else ""
        parts.append(f"{name}: {cell}" if name else cell)
    line = " — ".join(part for part in (subject, "; ".join(parts)) if part)
    if not line:
        return ""
    return "- " + line + ("" if line.endswith((".", ";", ":")) else ".")


def pipe_cells(line: str) -> list[str] | None:
    """The cells of a table row typed or extracted with bars ("1 | Tỷ lệ … | 90% | 2027"), else None."""
    if not _PIPE_ROW.match(line):
        return None
    return [cell.strip() for cell in line.strip().strip("|").split("|")]
