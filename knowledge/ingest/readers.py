"""Readers: a document file → blocks of text, as the document lays them out.

A `Block` is either a *paragraph* the format already delimits (a DOCX paragraph or table cell line),
a physical *line* of an extraction that may be a hard-wrapped piece of a sentence (text PDF, OCR,
a `.txt` as a PDF extraction gives it), or a *page* break. Cleaning (`cleaning.py`) joins lines
into paragraphs; paragraphs are kept as they are.

Libraries (all permissive, shippable by an office): python-docx (MIT) reads .docx; pypdf
(BSD-3-Clause, pure Python, actively maintained) reads the text layer of a PDF; pypdfium2
(Apache-2.0 / BSD-3-Clause, PDFium in a manylinux wheel, no system package) renders scanned pages
for OCR; OCR is Tesseract (Apache-2.0) with its Vietnamese data, called through its command line
(`tesseract … tsv`) so that no Python wrapper is needed and the word confidences come with the text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge.ingest.ocr_tables import Table, Word, find_tables, sheet
from knowledge.ingest.tables import is_data_table, row_lines

PARA, LINE, PAGE = "para", "line", "page"
OCR_DPI = 300              # rendering resolution of a scanned page for Tesseract
LOW_CONFIDENCE = 70.0      # mean word confidence (0–100) below which a page is flagged
UNREADABLE_LINE = 40.0     # a line whose mean word confidence is below this is "not readable"
TEXT_LAYER_MIN_CHARS = 40  # a PDF page with less text than this is treated as a scan


class IngestError(ValueError):
    """The file cannot be read as a plan (unknown format, no text, OCR unavailable…)."""


@dataclass
class Block:
    text: str
    kind: str = LINE      # para | line | page
    bold: bool = False    # DOCX: the whole paragraph is bold (a heading as clerks type it)


@dataclass
class Extraction:
    blocks: list[Block]
    source_format: str                       # docx | pdf | pdf-ocr | image-ocr | txt | md
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    ocr_confidence: dict[int, float] = field(default_factory=dict)  # page → mean word confidence
    unreadable: int = 0                      # OCR lines too uncertain to trust


def nfc(text: str) -> str:
    """NFC, no-break spaces and tabs as spaces, and the look-alike 'Ð' (U+00D0, OCR and some fonts) as 'Đ'."""
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\u00d0", "\u0110")
    return unicodedata.normalize("NFC", text)


def lines_of(text: str, kind: str = LINE) -> list[Block]:
    """A plain extraction: one block per physical line; form feeds are page breaks."""
    blocks: list[Block] = []
    for number, page in enumerate(nfc(text).split("\f")):
        if number:
            blocks.append(Block("", PAGE))
        blocks += [Block(line.rstrip(), kind) for line in page.split("\n")]
    return blocks


# --- DOCX -------------------------------------------------------------------------------------

def read_docx(path: Path) -> Extraction:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise IngestError("python-docx is not installed") from exc
    document = docx.Document(str(path))
    blocks: list[Block] = []
    numbering = _WordNumbering(document)

    def paragraph(p: Paragraph) -> None:
        text = nfc(p.text)
        style = (p.style.name if p.style is not None else "") or ""
        label = numbering.label(p) if text.strip() else None
        if label is not None:
            text = f"{label} {text.strip()}"   # Word's own numbering ('I.', '1.', 'a)', a bullet) as printed
        elif style.lower().startswith("list bullet") and text.strip() and not text.lstrip().startswith(("-", "+")):
            text = "- " + text.strip()
        # a soft line break (Shift+Enter) inside a paragraph: the clerk's own line, kept
        for piece in text.split("\n"):
            runs = [r for r in p.runs if r.text.strip()]
            bold = bool(runs) and all(r.bold or (r.bold is None and p.style is not None and p.style.font.bold)
                                      for r in runs)
            blocks.append(Block(piece.strip(), PARA, bold=bold))

    def table(t: Table) -> None:
        rows = _cells(t)
        if is_data_table(rows):
            blocks.extend(Block(line, PARA) for line in row_lines(rows))
            blocks.append(Block("", PARA))
            return
        # the header table (issuer | national motto) and the signature table (recipients | signer):
        # each column top to bottom, left column first, as a reader reads them
        columns = max((len(row.cells) for row in t.rows), default=0)
        for col in range(columns):
            seen: set[int] = set()
            for row in t.rows:
                if col >= len(row.cells):
                    continue
                cell = row.cells[col]
                if id(cell._tc) in seen:  # a merged cell is listed once per spanned column
                    continue
                seen.add(id(cell._tc))
                for p in cell.paragraphs:
                    paragraph(p)
            blocks.append(Block("", PARA))

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph(Paragraph(child, document))
        elif tag == "tbl":
            table(Table(child, document))
    return Extraction(blocks, "docx")


def _cells(t) -> list[list[str]]:
    """A table's text row by row, a cell merged across columns once."""
    rows = []
    for row in t.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is not last:
                cells.append(nfc(" ".join(p.text for p in cell.paragraphs)).strip())
            last = cell._tc
        rows.append(cells)
    return rows


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN_DIGITS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN_DIGITS:
        while n >= value:
            out, n = out + digits, n - value
    return out


def _val(element, tag: str, default: str) -> str:
    child = element.find(f"{_W}{tag}")
    return child.get(f"{_W}val", default) if child is not None else default


class _WordNumbering:
    """The numbers Word prints before auto-numbered paragraphs (which python-docx's text leaves out):
    each list's counters by level, formatted by the level's numFmt and lvlText ('%1.', '%1.%2.', '%1)')."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in a.iter(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl"))] = (_val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""),
                                                     int(_val(lvl, "start", "1")))
            abstract[a.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None and ref.get(f"{_W}val") in abstract:
                self.levels[num.get(f"{_W}numId")] = abstract[ref.get(f"{_W}val")]

    def _num_pr(self, p):
        for element in (p._p.pPr, p.style.element.pPr if p.style is not None else None):
            if element is not None and element.find(f"{_W}numPr") is not None:
                numpr = element.find(f"{_W}numPr")
                num_id = numpr.find(f"{_W}numId")
                ilvl = numpr.find(f"{_W}ilvl")
                return (num_id.get(f"{_W}val") if num_id is not None else None,
                        int(ilvl.get(f"{_W}val")) if ilvl is not None else 0)
        return None, 0

    def label(self, p) -> str | None:
        num_id, level = self._num_pr(p)
        levels = self.levels.get(num_id or "")
        if not levels or level not in levels:
            return None
        fmt, text, _ = levels[level]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return None
        counters = self.counters.setdefault(num_id, [levels.get(i, ("", "", 1))[2] - 1 for i in range(9)])
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = levels.get(deeper, ("", "", 1))[2] - 1
        def shown(i: int) -> str:
            n, f = counters[i], levels.get(i, ("decimal", "", 1))[0]
            if f == "upperRoman":
                return _roman(n)
            if f == "lowerRoman":
                return _roman(n).lower()
            if f in ("lowerLetter", "upperLetter"):
                letter = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
                return letter.upper() if f == "upperLetter" else letter
            return str(n)
        label = re.sub(r"%(\d)", lambda m: shown(int(m.group(1)) - 1), text).strip()
        return label or None


# --- PDF --------------------------------------------------------------------------------------

def read_pdf(path: Path) -> Extraction:
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise IngestError("pypdf is not installed") from exc
    reader = PdfReader(str(path))
    pages = [(page.extract_text() or "") for page in reader.pages]
    scanned = [i for i, text in enumerate(pages) if len(text.strip()) < TEXT_LAYER_MIN_CHARS]
    result = Extraction([], "pdf", pages=len(pages))
    if scanned:
        result.source_format = "pdf-ocr" if len(scanned) == len(pages) else "pdf+ocr"
        ocr = ocr_pdf_pages(path, scanned)
        result.warnings += ocr.warnings
        result.ocr_confidence = ocr.ocr_confidence
        result.unreadable = ocr.unreadable
        ocr_pages = ocr.pages_text
    else:
        ocr_pages = {}
    for i, text in enumerate(pages):
        if i:
            result.blocks.append(Block("", PAGE))
        result.blocks += [b for b in lines_of(ocr_pages.get(i, text)) if b.kind != PAGE]
    return result


# --- OCR --------------------------------------------------------------------------------------

@dataclass
class OcrResult:
    pages_text: dict[int, str]
    ocr_confidence: dict[int, float]
    warnings: list[str]
    unreadable: int


def tesseract_available(language: str = "vie") -> bool:
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return language in langs.split()


def _require_tesseract() -> str:
    if not tesseract_available("vie"):
        raise IngestError("văn bản là ảnh quét nhưng máy không có Tesseract với dữ liệu tiếng Việt "
                          "(apt-get install tesseract-ocr tesseract-ocr-vie)")
    return shutil.which("tesseract") or "tesseract"


def ocr_image(image_path: Path) -> tuple[str, float, int]:
    """Tesseract on one image: (text with its lines and paragraphs, ruled tables row by row, mean word
    confidence, unreadable lines)."""
    page = _tesseract(image_path, "3")
    grey = _grey(image_path)
    tables = []
    for table in find_tables(grey):
        cut = sheet(grey, table)
        with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
            _save(cut.pixels, Path(tmp.name))
            tables.append((table, cut.rows(table, _words(_tesseract(Path(tmp.name), "6")), _words(page))))
    return text_from_tsv(page, tables)


def _tesseract(image_path: Path, layout: str) -> str:
    run = subprocess.run([_require_tesseract(), str(image_path), "stdout", "-l", "vie", "--psm", layout, "tsv"],
                         capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0:
        raise IngestError(f"tesseract failed: {run.stderr.strip()[:200]}")
    return run.stdout


def _grey(image_path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(image_path) as image:
        return np.asarray(image.convert("L"))


def _save(pixels: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(pixels).save(path)


def text_from_tsv(tsv: str, tables: list[tuple[Table, list[str]]] = ()) -> tuple[str, float, int]:
    """The page's lines and paragraphs; each table (its rows already read) where its first word stood."""
    words = _words(tsv)
    confidences = [c for _, c in words]
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    tabled: dict[tuple[int, int, int], list[str]] = {}  # first word's line of a table → its rows
    for table, rows in tables:
        inside = [w for w, _ in words if table.cell_of(w) is not None]
        if inside and rows:
            tabled[min(w.key for w in inside)] = rows
            words = [(w, c) for w, c in words if table.cell_of(w) is None]
    for word, conf in words:
        lines.setdefault(word.key, []).append((word.text, conf))
    out: list[str] = []
    unreadable, last_par = 0, None
    for key in sorted(lines.keys() | tabled.keys()):
        if key in tabled:
            out += ["", *tabled[key], ""]
            last_par = None
            continue
        block, par, _ = key
        if last_par is not None and (block, par) != last_par:
            out.append("")
        last_par = (block, par)
        found = lines[key]
        if sum(c for _, c in found) / len(found) < UNREADABLE_LINE and len(found) > 2:
            unreadable += 1
        out.append(" ".join(w for w, _ in found))
    mean_all = sum(confidences) / len(confidences) if confidences else 0.0
    return nfc("\n".join(out)), mean_all, unreadable


def _words(tsv: str) -> list[tuple[Word, float]]:
    found = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        found.append((Word((int(cols[2]), int(cols[3]), int(cols[4])), left, top, width, height, cols[11]),
                      float(cols[10])))
    return found


def _ocr_pages(images: dict[int, Path]) -> OcrResult:
    texts, confidence, warnings, unreadable = {}, {}, [], 0
    for index, image in images.items():
        text, conf, bad = ocr_image(image)
        texts[index], confidence[index + 1] = text, round(conf, 1)
        unreadable += bad
        if conf < LOW_CONFIDENCE:
            warnings.append(f"OCR: độ tin cậy thấp ở trang {index + 1} ({conf:.0f}%)")
    return OcrResult(texts, confidence, warnings, unreadable)


def ocr_pdf_pages(path: Path, page_indexes: list[int]) -> OcrResult:
    _require_tesseract()
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise IngestError("pypdfium2 is not installed") from exc
    pdf = pdfium.PdfDocument(str(path))
    with tempfile.TemporaryDirectory(prefix="ingest-ocr-") as tmp:
        images = {}
        for index in page_indexes:
            bitmap = pdf[index].render(scale=OCR_DPI / 72, grayscale=True)
            image_path = Path(tmp) / f"page-{index + 1:03}.png"
            bitmap.to_pil().save(image_path)
            images[index] = image_path
        pdf.close()
        return _ocr_pages(images)


def read_image(path: Path) -> Extraction:
    ocr = _ocr_pages({0: path})
    return Extraction(lines_of(ocr.pages_text[0]), "image-ocr", ocr.warnings, pages=1,
                      ocr_confidence=ocr.ocr_confidence, unreadable=ocr.unreadable)


# --- plain text -------------------------------------------------------------------------------

def read_text(path: Path) -> Extraction:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return Extraction(lines_of(text), "txt")


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}


def extract(path: Path) -> Extraction:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in IMAGE_SUFFIXES:
        return read_image(path)
    if suffix in {".txt", ".text", ""}:
        return read_text(path)
    if suffix == ".doc":
        raise IngestError("định dạng .doc cũ: hãy lưu lại thành .docx hoặc .pdf")
    raise IngestError(f"không đọc được định dạng '{suffix}' (nhận .docx, .pdf, ảnh quét, .txt, .md)")


__all__ = ["Block", "Extraction", "IngestError", "extract", "tesseract_available"]
