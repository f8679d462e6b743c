"""Blocks of an extraction → the paragraphs of the clean body format (knowledge/plans/README.md).

Generic repairs of the genre's extractions, none of any one plan:
- Markdown-like marks of some converters ("## **I. MỤC ĐÍCH**", "*trừ …*", "- + …") removed;
- page numbers ("2", "- 2 -", "Trang 2") and running headers (a line atop two or more pages) dropped,
  their numbers recorded as noise for the number-preservation check;
- hard wraps and page breaks inside a sentence joined, a word split by a hyphen rejoined;
- the glyphs some PDF fonts lose ("Sở  ao động-Thương binh và    hội", "l nh đạo", "x  hội") restored
  when the document shows that defect;
- stray stamp/signature marks at the end of OCR lines ("… lao =", "./. \\nl’y\"*/") removed.
Headings (I., 1., 1.1., a)) and bullets (-, +) start their own paragraph and keep their numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from knowledge.ingest.readers import LINE, PAGE, PARA, Block
from knowledge.ingest.tables import pipe_cells, row_lines
from knowledge.text import fold

_HEADING = re.compile(r"^(?:[IVXL]+\.|\d+(?:\.\d+)+\.?|\d+\.|[a-zđ]\))\s+\S")
_OCR_ROMAN = re.compile(r"^([Il1]{2,3}|[IlV1]{2}|V[Il1]{1,3})\.\s+(?=[A-ZÀ-Ỹ])")
_BULLET = re.compile(r"^(?:[-+*•–]|\u2022)\s*(?=\S)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:Trang\s+)?(\d{1,3})(?:\s*/\s*\d{1,3})?(?:\s*-)?$", re.IGNORECASE)
_OPENERS = re.compile(r"(?:can cu|thuc hien|noi nhan|tren day la)\b")  # words that open a paragraph of the genre
_TERMINAL = (".", ":", ";", "!", "?", "./.")


def _lower_start(text: str) -> bool:
    """The line goes on a sentence: its first letter is a small one ('nâng cao…', '(trừ hồ sơ…')."""
    first = text.lstrip("“\"(‘'")[:1]
    return first.isalpha() and first.islower()

_MD_HASHES = re.compile(r"^#{1,6}\s*")
_MD_BOLD = re.compile(r"\*\*|__")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
# Lost glyphs of some PDF fonts ("L", "X" and "ã" extracted as blanks): the repair of each blank
# pattern, applied only to a document that shows the defect (several runs of blanks inside a line).
_LOST_GLYPHS = (
    (re.compile(r"(?<=\bSở)\s{2}ao động"), " Lao động"),
    (re.compile(r"(?<=\bvà)\s{4}hội\b"), " Xã hội"),
    (re.compile(r"(?<=\bvà)\s{3}hội\b"), " Xã hội"),
    (re.compile(r"\bl nh\b"), "lãnh"),
    (re.compile(r"\bx  hội\b"), "xã hội"),
    (re.compile(r"\bđ  (?=đề|được|có|ban|thực|triển)"), "đã "),
    (re.compile(r"(?:(?<=\s)|^) ây dựng\b"), "Xây dựng"),
    (re.compile(r"(?:(?<=\s)|^) ưu:"), "Lưu:"),
    (re.compile(r"(?:(?<=\s)|^) ĐTB H\b"), "LĐTBXH"),
)
_OCR_TAIL_JUNK = re.compile(r"(?:\s+(?:ﬁ|(?![-–+]$)(?!\./\.)[^\w\s]{1,4}"
                            r"|(?!\S*\w{3})\S{0,6}[{}|\\*\"=~^<>_]\S{0,6}))+\s*$")


@dataclass
class Cleaned:
    paragraphs: list[str]
    noise: dict[str, str] = field(default_factory=dict)   # number-like tokens dropped, with why
    repairs: int = 0                                       # lost glyphs restored


def _strip_markdown(text: str) -> str:
    text = _MD_HASHES.sub("", text)
    text = _MD_BOLD.sub("", text)
    text = _MD_ITALIC.sub(r"\1", text)
    text = re.sub(r"^-\s+\+\s+", "+ ", text)          # "- + Tổ chức …": a '+' bullet
    return re.sub(r"\s{2,}$", "", text)               # Markdown's hard line break


def _normalise_bullet(text: str) -> str:
    match = _BULLET.match(text)
    if not match:
        return text
    mark = text[0]
    rest = text[match.end():]
    if mark == "+":
        return "+ " + rest
    if mark == "*" and not rest[:1].isdigit():
        return "* " + rest                              # "* Đối với tập thể": kept as typed
    if mark in "-–•\u2022":
        return "- " + rest
    return text


def is_paragraph_start(text: str) -> bool:
    return bool(_HEADING.match(text) or _BULLET.match(text))


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _ends_terminal(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


_SPLIT_NUMBER = (re.compile(r"(?<=\d)-\s+(?=[A-ZĐ]{1,6}/)"),           # '05- CT/TW' → '05-CT/TW'
                 re.compile(r"(?<=\d/[A-ZĐ]{2})-\s+(?=[A-ZĐ]{2,})"))  # '250/KH- UBND' → '250/KH-UBND'


def _rejoin_numbers(text: str) -> str:
    """A document number a space split ('250/KH- UBND'): rejoined, so it reads as one."""
    for pattern in _SPLIT_NUMBER:
        text = pattern.sub("-", text)
    return text


def _join(previous: str, line: str) -> str:
    if re.search(r"\w-$", previous) and not re.search(r"\s-$", previous):
        return previous + line                          # '59-' + 'CTr/BCSĐ', a split word
    return previous.rstrip() + " " + line.lstrip()


def clean_blocks(blocks: list[Block], ocr: bool = False) -> Cleaned:
    result = Cleaned([])
    lines = [b for b in blocks if b.kind == LINE and b.text.strip()]
    repair = sum(len(re.findall(r"\S {2,}\S", b.text)) for b in lines) >= 5
    blocks = _tables_as_rows(_drop_page_furniture(blocks, result))
    widths = sorted(len(b.text.strip()) for b in blocks if b.kind == LINE and b.text.strip())
    typical = widths[int(len(widths) * 0.8)] if widths else 0
    blank_separates = _blank_lines_separate(blocks)

    paragraphs: list[str] = []
    last_line = ""            # the last physical line, for its length
    last_kind = PARA
    gap = 0                   # blank lines since the last line
    roman = 0                 # the last Roman heading's number
    for block in blocks:
        if block.kind == PAGE:
            continue          # a page break inside a sentence is joined like a hard wrap
        text = block.text
        if repair:
            text, n = _repair_glyphs(text)
            result.repairs += n
        text = " ".join(_strip_markdown(text.strip()).split())
        if ocr:
            text = _OCR_TAIL_JUNK.sub("", text).strip()
            text = _OCR_ROMAN.sub(lambda m: _roman_of(m.group(1)) + ". ", text)
            text, roman = _next_roman(text, roman)
        elif (m := re.match(r"([IVXL]+)\.\s", text)) and m.group(1) in ROMANS:
            roman = ROMANS.index(m.group(1)) + 1
        if not text:
            gap += 1
            if block.kind == PARA:
                last_kind = PARA
            continue
        text = _normalise_bullet(text)
        if block.kind == PARA or not paragraphs or last_kind == PARA:
            new = True
        else:
            # a blank line is a paragraph break where blank lines are rare; two are one anywhere
            blank = gap >= 2 or bool(gap and blank_separates)
            new = _starts_paragraph(paragraphs[-1], last_line, text, typical, blank)
        if new:
            paragraphs.append(text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], text)
        last_line, last_kind, gap = text, block.kind, 0
    result.paragraphs = [_rejoin_numbers(p.strip()) for p in paragraphs if p.strip()]
    return result


def _tables_as_rows(blocks: list[Block]) -> list[Block]:
    """Runs of two or more lines typed or extracted with bars, as a table's rows (tables.py); a table carried
    over a page break (blank lines, the break) stays one table, the break after it."""
    out: list[Block] = []
    run: list[tuple[Block, list[str]]] = []
    held: list[Block] = []  # blank lines and page breaks met inside a run

    def flush() -> None:
        if len(run) >= 2:
            out.extend(Block(line, PARA) for line in row_lines([cells for _, cells in run]))
            out.append(Block("", PARA))
        else:
            out.extend(block for block, _ in run)
        out.extend(held)
        run.clear()
        held.clear()

    for block in blocks:
        if run and (block.kind == PAGE or not block.text.strip()):
            held.append(block)
            continue
        cells = pipe_cells(block.text) if block.kind != PAGE else None
        if cells is not None and run and abs(len(cells) - len(run[0][1])) <= 1:
            run.append((block, cells))
            held[:] = [b for b in held if b.kind == PAGE]
            continue
        flush()
        if cells is not None:
            run.append((block, cells))
        else:
            out.append(block)
    flush()
    return out


ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_ROMAN_LIKE = re.compile(r"^([IlHEV1|!]{1,4})\.\s+(?=[A-ZÀ-ỸĐ])")


def _next_roman(text: str, last: int) -> tuple[str, int]:
    """OCR: a heading's Roman numeral misread ('HE. Nội dung …' after 'I. …' is 'II. …')."""
    m = _ROMAN_LIKE.match(text)
    if not m:
        return text, last
    token = m.group(1)
    if not re.search(r"[A-Za-z]", token):  # '1. …' is an arabic heading
        return text, last
    if token in ROMANS:
        return text, ROMANS.index(token) + 1
    if last < len(ROMANS) and len(token) == len(ROMANS[last]) and (_is_caps(text[m.end():m.end() + 12])
                                                                    or text[m.end():m.end() + 1].isupper()):
        return ROMANS[last] + text[len(token):], last + 1
    return text, last


def _roman_of(ocr_numeral: str) -> str:
    """'I11' → 'III', 'Il' → 'II', 'V1' → 'VI': an OCR'd Roman numeral before a capitalised heading."""
    return ocr_numeral.replace("l", "I").replace("1", "I")


def _starts_paragraph(current: str, last_line: str, line: str, typical: int, blank: bool) -> bool:
    if is_paragraph_start(line):
        return True
    if _lower_start(line) or line[:1] in ",;)”":
        return False
    if blank and not current.rstrip().endswith(("-", "–", "(")):
        return True
    if current.rstrip().endswith((",", "-", "–", "(")):
        return False
    if _OPENERS.match(fold(line)):
        return True
    if _is_caps(line) != _is_caps(last_line):
        return True
    if _ends_terminal(current):
        return True
    short = typical and len(last_line) < 0.6 * typical
    return bool(short or blank)


def _blank_lines_separate(blocks: list[Block]) -> bool:
    """Whether a blank line means a new paragraph: not in a text whose every line is followed by one."""
    lines = [b for b in blocks if b.kind == LINE]
    texts = sum(1 for b in lines if b.text.strip())
    blanks = sum(1 for a, b in pairwise(lines) if a.text.strip() and not b.text.strip())
    return bool(texts) and blanks < 0.6 * texts


def _repair_glyphs(text: str) -> tuple[str, int]:
    count = 0
    for pattern, replacement in _LOST_GLYPHS:
        text, n = pattern.subn(replacement, text)
        count += n
    return text, count


def _drop_page_furniture(blocks: list[Block], result: Cleaned) -> list[Block]:
    """Page numbers and running headers out; their numbers noted as noise."""
    tops: dict[str, int] = {}
    after_break = True
    for b in blocks:
        if b.kind == PAGE:
            after_break = True
        elif b.text.strip() and after_break:
            tops[b.text.strip()] = tops.get(b.text.strip(), 0) + 1
            after_break = False
    running = {t for t, n in tops.items() if n >= 2 and not is_paragraph_start(t) and len(t) < 120}
    kept: list[Block] = []
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if b.kind == LINE and text:
            neighbours = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
            alone = all(n.kind == PAGE or not n.text.strip() for n in neighbours) or any(
                n.kind == PAGE for n in neighbours)  # the first or last line of a page
            page = _PAGE_NUMBER.match(text)
            if page and alone:
                for token in re.findall(r"\d+", text):
                    result.noise[token] = "số trang"
                continue
            if text in running:
                for token in re.findall(r"\d+(?:[.,/]\d+)*%?", text):
                    result.noise[token] = "tiêu đề lặp ở đầu trang"
                continue
        kept.append(b)
    return kept
