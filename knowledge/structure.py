"""A plan body as a section tree of answerable passages.

Works on any plan of the genre: headings are recognised by their numbering alone
(I., 1., 1.1., a), Markdown-free), the nesting follows the order in which numbering
kinds appear, and bullets ("-", "+") attach to the lead-in line that precedes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import sentences

_ROMAN = re.compile(r"^([IVXL]+)\.\s+(.+)$")
_NESTED = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+(.+)$")
_ARABIC = re.compile(r"^(\d+)\.\s+(.+)$")
_LETTER = re.compile(r"^([a-zđ])\)\s+(.+)$")
_BULLET = re.compile(r"^([-+•*])\s*(.+)$")
_HEADING_WORDS = 14  # a numbered line longer than this is a numbered paragraph, still a section
_LONG_PASSAGE = 320
_CLOSING = "Trên đây là"


@dataclass(frozen=True)
class Heading:
    number: str  # "III", "1", "1.2", "a"
    title: str   # without its number

    @property
    def short_title(self) -> str:
        words = self.title.split()
        return self.title if len(words) <= 10 else " ".join(words[:8]) + "…"

    @property
    def label(self) -> str:
        sep = ")" if len(self.number) == 1 and self.number.islower() else "."
        return f"{self.number}{sep} {self.short_title}"


@dataclass(frozen=True)
class Passage:
    plan_id: str
    ordinal: int
    text: str                      # the line (or sentence of a long line) itself
    path: tuple[Heading, ...]      # enclosing headings, outermost first
    lead: str = ""                 # the lead-in line a bullet continues ("Bằng khen ...:")
    is_heading: bool = False

    @property
    def section(self) -> str:
        """Compact section reference: 'IV.1.2'."""
        numbers = [h.number for h in self.path]
        kept = [n for i, n in enumerate(numbers) if not any(m.startswith(n + ".") for m in numbers[i + 1:])]
        return ".".join(kept)

    @property
    def heading(self) -> str:
        return " › ".join(h.label for h in self.path)

    @property
    def quote(self) -> str:
        return f"{self.lead} {self.text}".strip() if self.lead else self.text


def _numbered(line: str) -> tuple[str, str, str] | None:
    """(kind, number, title) of a numbered line."""
    for kind, pattern in (("roman", _ROMAN), ("nested", _NESTED), ("arabic", _ARABIC), ("letter", _LETTER)):
        match = pattern.match(line)
        if match:
            number = match.group(1)
            if kind == "nested":
                kind = f"nested{number.count('.')}"
            return kind, number, match.group(2).strip()
    return None


_DATED = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")


class _Builder:
    def __init__(self, plan_id: str) -> None:
        self.plan_id = plan_id
        self.stack: list[tuple[str, Heading]] = []
        self.passages: list[Passage] = []
        self.lead = ""          # last paragraph ending with ':' in this section
        self.dash_bullet = ""   # last '-' bullet, lead of '+' bullets

    def heading(self, kind: str, number: str, title: str) -> None:
        kinds = [k for k, _ in self.stack]
        if kind in kinds:
            del self.stack[kinds.index(kind):]
        name = title.split(":", 1)[0] if 0 < title.find(":") < 60 else title
        self.stack.append((kind, Heading(number, name.rstrip(":.").strip())))
        self.lead = self.dash_bullet = ""
        if len(title.split()) > 3 and (len(title.split()) > _HEADING_WORDS or ":" in title.rstrip(":")
                                       or _DATED.search(title)):  # 'Giai đoạn 2 (từ ngày 01/7/2027 …)' says when
            self.add(title, is_heading=True)

    def line(self, line: str) -> None:
        if line.startswith(_CLOSING):  # the plan's closing words belong to its last part, not to its last item
            del self.stack[1:]
        bullet = _BULLET.match(line)
        if bullet and bullet.group(1) == "+":
            self.add(bullet.group(2), lead=self.dash_bullet or self.lead)
        elif bullet:
            text = bullet.group(2)
            self.add(text, lead=self.lead)
            self.dash_bullet = text if text.endswith(":") else ""
        else:
            self.add(line)
            # 'Năm 2026, xã đạt 92% … Trên cơ sở đó, năm 2027 phấn đấu đạt các chỉ tiêu sau:': the sentence that
            # leads into the list, not the results before it
            self.lead = sentences(line)[-1] if line.endswith(":") else ""
            self.dash_bullet = ""

    def add(self, text: str, lead: str = "", is_heading: bool = False) -> None:
        path = tuple(h for _, h in self.stack)
        pieces = sentences(text) if len(text) > _LONG_PASSAGE else [text]
        for piece in pieces:
            self.passages.append(Passage(self.plan_id, len(self.passages), piece, path, lead, is_heading))


def parse_passages(plan_id: str, body: str) -> list[Passage]:
    builder = _Builder(plan_id)
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        numbered = _numbered(line)
        if numbered:
            builder.heading(*numbered)
        else:
            builder.line(line)
    return builder.passages
