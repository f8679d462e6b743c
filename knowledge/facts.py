"""Typed facts of a plan, each with the passage it comes from.

Patterns of the genre, not of any one plan: percentages with their comparator, dates
(dd/mm, dd/mm/yyyy, "Quý IV/2025", "quý IV năm 2023"), recurring reporting dates
("định kỳ 6 tháng (15/6)", "hằng năm ... 30/5 và 30/11"), award forms and quotas,
responsibilities and the documents the plan implements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.structure import Passage
from knowledge.text import fold

PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")
DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")
QUARTER = re.compile(r"quý\s+(I{1,3}|IV|[1-4])\s*(?:/|năm\s+)(\d{4})", re.IGNORECASE)
YEAR = re.compile(r"\bnăm\s+(20\d\d)\b", re.IGNORECASE)
QUOTA = re.compile(r"(\d+)\s+(tập thể|cá nhân)", re.IGNORECASE)
DOCUMENT = re.compile(r"(Quyết định|Kế hoạch|Nghị quyết|Nghị định|Chỉ thị|Thông tư|Chương trình hành động|Luật)"
                      r"\s+(?:số\s+)?([\w-]+/[\w/-]+)", re.IGNORECASE)
AWARDS = ("Cờ thi đua", "Bằng khen", "Giấy khen", "Chiến sĩ thi đua", "Huân chương", "Lao động tiên tiến",
          "Tập thể lao động xuất sắc", "Tập thể lao động tiên tiến")
_COMPARATORS = (("không vượt quá", "<="), ("không quá", "<="), ("tối đa", "<="), ("tối thiểu", ">="),
                ("ít nhất", ">="), ("trên", ">"), ("dưới", "<"), ("đạt", ">="), ("phấn đấu", ">="))
_RECURRING = (("6 tháng", "semiannual"), ("hằng năm", "yearly"), ("hàng năm", "yearly"), ("định kỳ", "periodic"))
_EVENTS = (("sơ kết", "review"), ("tổng kết", "final_review"), ("báo cáo", "report"), ("đến hết ngày", "end"),
           ("phát động", "launch"))
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Fact:
    kind: str            # target | deadline | award | responsibility | legal_basis
    plan_id: str
    passage: int         # ordinal of the source passage
    text: str            # the clause the fact was read from
    value: str = ""      # "60%", "15/6", "Quý IV/2025", "Bằng khen", "10 tập thể"
    comparator: str = "" # targets: ">=", ">", "<=", "=" ...
    day: int | None = None
    month: int | None = None
    year: int | None = None
    quarter: int | None = None
    recurrence: str = "" # deadlines: yearly | semiannual | periodic | ""
    event: str = ""      # deadlines: review | final_review | report | end | launch | ""
    actor: str = ""      # responsibilities: who


def _comparator(before: str, value: str) -> str:
    window = before[-40:].lower()
    for words, sign in _COMPARATORS:
        if words in window:
            return sign
    return "=" if value.startswith("100") else ">="


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in re.split(r";\s+", text) if c.strip()]


def targets(p: Passage) -> list[Fact]:
    facts = []
    for clause in _clauses(p.quote):
        for m in PERCENT.finditer(clause):
            value = f"{m.group(1)}%"
            facts.append(Fact("target", p.plan_id, p.ordinal, clause, value, _comparator(clause[:m.start()], value)))
    return facts


def _label_near(text: str, at: int, table: tuple[tuple[str, str], ...]) -> str:
    """The label whose words stand nearest before position `at` (or nearest after, failing that)."""
    low, best = text.lower(), (len(text) * 2, "")
    for words, label in table:
        for m in re.finditer(re.escape(words), low):
            distance = at - m.end() if m.end() <= at else len(text) + m.start() - at
            best = min(best, (distance, label))
    return best[1]


def deadlines(p: Passage) -> list[Fact]:
    text, facts = p.quote, []
    for m in DATE.finditer(text):
        event = _label_near(text, m.start(), _EVENTS)
        recurrence = _label_near(text, m.start(), _RECURRING[:-1]) or _label_near(text, m.start(), _RECURRING[-1:])
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12 and not _is_document_date(text, m.start()):
            year = int(m.group(3)) if m.group(3) else None
            facts.append(Fact("deadline", p.plan_id, p.ordinal, text, m.group(0), day=day, month=month, year=year,
                              recurrence="" if year else (recurrence or "yearly"), event=event))
    for m in QUARTER.finditer(text):
        number = m.group(1).upper()
        quarter = _ROMAN.get(number) or int(number)
        value = f"Quý {m.group(1).upper()}/{m.group(2)}"
        facts.append(Fact("deadline", p.plan_id, p.ordinal, text, value, year=int(m.group(2)), quarter=quarter,
                          event=_label_near(text, m.start(), _EVENTS)))
    return facts


def _is_document_date(text: str, start: int) -> bool:
    """'Kế hoạch số 162/KH-UBND ngày 26/05/2022': the date of a cited document, not an event."""
    before = text[max(0, start - 60):start]
    return bool(re.search(r"\d+/[\w-]+\s+ngày\s+$", before) or re.search(r"số\s+\S+\s+ngày\s+$", before))


def awards(p: Passage) -> list[Fact]:
    facts = [Fact("award", p.plan_id, p.ordinal, p.quote, name) for name in AWARDS if name.lower() in p.quote.lower()]
    facts += [Fact("award", p.plan_id, p.ordinal, p.quote, f"{m.group(1)} {m.group(2)}", "<=")
              for m in QUOTA.finditer(p.text)]
    return facts


def responsibilities(p: Passage) -> list[Fact]:
    if not any("to chuc thuc hien" in fold(h.title) for h in p.path[:1]):
        return []
    actor = p.path[-1].title if len(p.path) > 1 else ""
    return [Fact("responsibility", p.plan_id, p.ordinal, p.text, actor=actor.rstrip("."))]


def legal_bases(p: Passage) -> list[Fact]:
    if not re.match(r"(Căn cứ|Thực hiện)\b", p.text):
        return []
    return [Fact("legal_basis", p.plan_id, p.ordinal, p.text, f"{m.group(1)} số {m.group(2)}")
            for m in DOCUMENT.finditer(p.text)]


EXTRACTORS = (targets, deadlines, awards, responsibilities, legal_bases)


def extract(passages: list[Passage]) -> list[Fact]:
    return [fact for p in passages for extractor in EXTRACTORS for fact in extractor(p)]
