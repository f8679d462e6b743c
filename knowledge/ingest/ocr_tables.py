"""Ruled tables on a scanned page, read cell by cell.

Tesseract reads a page line by line across the whole width: a table's cells, wrapped over several lines
each, come out interleaved ("45 sản 110 sản |Chi cục Quản lý phẩm phẩm"). The rules the table is drawn
with say where each cell is: long dark runs across the page (rows) and down it (columns), found on the
page image itself, a scan's skew included (each rule is fitted as a straight line). The page's words
inside a table are dropped, and the table is given back as one line per row, its cells
between bars ("1 | Tỷ lệ … | 65% | 85%"), which the cleaning reads as a table (tables.py). The cells are
read again on their own (cut inside their rules, laid one under another on a sheet, one Tesseract run):
on the page, Tesseract skips a short cell standing alone ("1", "65%") and reads the rules as bars; of the
two readings of a cell, the one Tesseract is surer of is kept.

Only numpy on the page's pixels: OpenCV would do the same with more to install and nothing more to gain
for ruled tables (a table drawn without rules is left to Tesseract's reading order, as before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

SEGMENT = 60        # px: a rule drifts less than a pixel over a segment at a scan's skew (≤ 1°)
FILL = 0.9          # share of a segment's pixels that are dark on a rule (text never fills a segment)
MIN_ROW_RULE = 0.3  # of the page's width: a row rule is that long at least
MIN_COL_RULE = 0.04  # of the page's height: a column rule spans at least one row of the table
DRIFT = 3           # px a rule may move from one segment to the next
GAP = 2             # segments a rule may be broken over (a faded stretch of a scan)
DARK = 128          # grey level below which a pixel is ink


@dataclass(frozen=True)
class Rule:
    start: float  # along the rule: x of a row rule, y of a column rule
    end: float
    offset: float  # across it at the origin: y = offset + slope * x (a column rule: x = offset + slope * y)
    slope: float

    def at(self, along: float) -> float:
        return self.offset + self.slope * along


@dataclass(frozen=True)
class Word:
    key: tuple[int, int, int]  # Tesseract's block, paragraph and line
    left: int
    top: int
    width: int
    height: int
    text: str

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


@dataclass(frozen=True)
class Table:
    rows: list[Rule]     # top to bottom
    columns: list[Rule]  # left to right

    def cell_of(self, word: Word) -> tuple[int, int] | None:
        x, y = word.centre
        row = sum(rule.at(x) < y for rule in self.rows) - 1
        column = sum(rule.at(y) < x for rule in self.columns) - 1
        if 0 <= row < len(self.rows) - 1 and 0 <= column < len(self.columns) - 1:
            return row, column
        return None


def rules(dark: np.ndarray, min_length: float) -> list[Rule]:
    """The straight dark runs along the first axis' rows (a row rule), at least min_length pixels long."""
    height, width = dark.shape
    if height < 3 or width < SEGMENT:
        return []
    band = dark[:-2] | dark[1:-1] | dark[2:]  # a rule two pixels thick, or straddling rows, fills the band
    count = width // SEGMENT
    filled = band[:, :count * SEGMENT].reshape(height - 2, count, SEGMENT).mean(axis=2) >= FILL
    chains: list[list[tuple[int, float]]] = []
    open_chains: list[list[tuple[int, float]]] = []
    for segment in range(count):
        ys = _runs(np.flatnonzero(filled[:, segment]))
        extended = []
        for y in ys:
            chain = next((c for c in open_chains if segment - c[-1][0] <= GAP + 1
                          and abs(c[-1][1] - y) <= DRIFT * (segment - c[-1][0])), None)
            if chain is None:
                chain = []
                chains.append(chain)
            else:
                open_chains.remove(chain)
            chain.append((segment, y))
            extended.append(chain)
        open_chains = extended + [c for c in open_chains if segment - c[-1][0] <= GAP]
    return [_fit(chain) for chain in chains if (len(chain) * SEGMENT) >= min_length]


def _runs(indexes: np.ndarray) -> list[float]:
    """Consecutive rows of a segment that are filled, each as its middle (+1: the band's offset)."""
    if not len(indexes):
        return []
    breaks = np.flatnonzero(np.diff(indexes) > 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(indexes) - 1]))
    return [float(indexes[s] + indexes[e]) / 2 + 1 for s, e in zip(starts, ends, strict=True)]


def _fit(chain: list[tuple[int, float]]) -> Rule:
    along = np.array([(segment + 0.5) * SEGMENT for segment, _ in chain])
    across = np.array([y for _, y in chain])
    slope, offset = np.polyfit(along, across, 1) if len(chain) > 1 else (0.0, float(across[0]))
    return Rule(float(chain[0][0] * SEGMENT), float((chain[-1][0] + 1) * SEGMENT), float(offset), float(slope))


def find_tables(grey: np.ndarray) -> list[Table]:
    """Ruled tables on a page image (grey levels): row rules crossed by at least three column rules."""
    dark = grey < DARK
    height, width = dark.shape
    row_rules = sorted(rules(dark, MIN_ROW_RULE * width), key=lambda r: r.at(width / 2))
    column_rules = sorted(rules(dark.T, MIN_COL_RULE * height), key=lambda r: r.at(height / 2))
    tables, group = [], []
    for rule in row_rules:
        if group and not _crossed_between(group[-1], rule, column_rules):
            tables += _table(group, column_rules)
            group = []
        group.append(rule)
    return tables + _table(group, column_rules)


def _crossed_between(upper: Rule, lower: Rule, columns: list[Rule]) -> bool:
    """Two row rules bound one row of a table when three column rules or more run from one to the other."""
    return sum(_spans(c, upper, lower, 1.0) for c in columns) >= 3


def _spans(column: Rule, top: Rule, bottom: Rule, share: float) -> bool:
    """The column rule lies within the row rules' width and runs over `share` of the height between them."""
    x = column.at(top.offset)
    if not top.start - SEGMENT <= x <= top.end + SEGMENT:
        return False
    y_top, y_bottom = top.at(x), bottom.at(x)
    covered = min(column.end, y_bottom) - max(column.start, y_top)
    return covered >= share * (y_bottom - y_top) - 2 * SEGMENT


def _table(group: list[Rule], columns: list[Rule]) -> list[Table]:
    if len(group) < 3:  # a heading row and one of data at least
        return []
    inside = sorted((c for c in columns if _spans(c, group[0], group[-1], 0.6)), key=lambda c: c.offset)
    return [Table(group, inside)] if len(inside) >= 3 else []


INSET = 10   # px kept off a cell's rules: a rule drifts ~6 px over a wide cell at half a degree of skew
SPACING = 30  # px of white between two cells laid one under the other for Tesseract


@dataclass(frozen=True)
class Sheet:
    """A table's cells cut out and laid one under the other, so that one Tesseract run reads each apart."""
    pixels: np.ndarray
    spans: list[tuple[int, int, tuple[int, int]]]  # (top, bottom) on the sheet → (row, column) of the table

    def rows(self, table: Table, words: list[tuple[Word, float]], page: list[tuple[Word, float]]) -> list[str]:
        """The table's rows as lines of cells between bars ("1 | Tỷ lệ … | 65% | 85%"): each cell as read on
        the sheet or on the page (`page`: the page's words with their confidences), the surer reading."""
        on_sheet: dict[tuple[int, int], list[tuple[Word, float]]] = {}
        for word, conf in words:
            y = word.centre[1]
            at = next((cell for top, bottom, cell in self.spans if top <= y < bottom), None)
            if at is not None:
                on_sheet.setdefault(at, []).append((word, conf))
        on_page: dict[tuple[int, int], list[tuple[Word, float]]] = {}
        for word, conf in page:
            at = table.cell_of(word)
            if at is not None:
                on_page.setdefault(at, []).append((word, conf))
        lines = []
        for row in range(len(table.rows) - 1):
            texts = [_surer(on_sheet.get((row, column), []), on_page.get((row, column), []))
                     for column in range(len(table.columns) - 1)]
            if any(texts):
                lines.append(" | ".join(texts))
        return lines


def _surer(*readings: list[tuple[Word, float]]) -> str:
    """The reading of a cell Tesseract is surer of (mean word confidence), as text."""
    scored = [(sum(c for _, c in r) / len(r), _cell_text([w for w, _ in r])) for r in readings if r]
    scored = [(conf, text) for conf, text in scored if text]
    return max(scored)[1] if scored else ""


def sheet(grey: np.ndarray, table: Table) -> Sheet:
    """Every cell of the table, inside its rules, on one white sheet."""
    crops, spans, y = [], [], SPACING
    for row in range(len(table.rows) - 1):
        for column in range(len(table.columns) - 1):
            crop = _crop(grey, table, row, column)
            if crop.size:
                crops.append((y, crop))
                spans.append((y - SPACING // 2, y + crop.shape[0] + SPACING // 2, (row, column)))
                y += crop.shape[0] + SPACING
    width = max((c.shape[1] for _, c in crops), default=1) + 2 * SPACING
    pixels = np.full((y, width), 255, dtype=np.uint8)
    for top, crop in crops:
        pixels[top:top + crop.shape[0], SPACING:SPACING + crop.shape[1]] = crop
    return Sheet(np.where(pixels < _otsu(pixels), 0, 255).astype(np.uint8), spans)


def _otsu(grey: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu): a scan's speckled paper read as ink turns a short
    cell's '72' into 'Vé”'; in black and white it reads."""
    counts = np.bincount(grey.ravel(), minlength=256).astype(float)
    levels = np.arange(256)
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * levels)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * (total - weight))
    return int(np.nanargmax(between[:-1]))


def _crop(grey: np.ndarray, table: Table, row: int, column: int) -> np.ndarray:
    upper, lower = table.rows[row], table.rows[row + 1]
    left, right = table.columns[column], table.columns[column + 1]
    y_mid = (upper.offset + lower.offset) / 2
    x_left, x_right = left.at(y_mid), right.at(y_mid)
    x_mid = (x_left + x_right) / 2
    top, bottom = upper.at(x_mid), lower.at(x_mid)
    drift = abs(upper.slope) * (x_right - x_left) / 2 + abs(left.slope) * (bottom - top) / 2
    inset = INSET + int(drift)
    y0, y1 = max(0, int(top) + inset), min(grey.shape[0], int(bottom) - inset)
    x0, x1 = max(0, int(x_left) + inset), min(grey.shape[1], int(x_right) - inset)
    return grey[y0:y1, x0:x1] if y1 > y0 and x1 > x0 else grey[0:0, 0:0]


def _cell_text(words: list[Word]) -> str:
    """The cell's words in reading order, without the specks a scan leaves inside a cell ('.', '—')."""
    ordered = [w.text.strip("|¦[]_") for w in sorted(words, key=lambda w: (w.key, w.left))]
    kept = [t for t in ordered if t and not _SPECK.match(t)]
    return " ".join(kept or [t for t in ordered if t])


_SPECK = re.compile(r"^[^\w%]+$")
