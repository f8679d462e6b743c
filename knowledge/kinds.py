"""Kinds of passage: what the front matter says, and which passages can answer which kind of question."""

from __future__ import annotations

import datetime as dt
import re

from knowledge.documents import Plan
from knowledge.facts import (
    COUNT,
    DATE,
    DATE_IN_WORDS,
    DAY_OF_PERIOD,
    DOCUMENT,
    MONTH,
    PERCENT,
    QUARTER,
    YEAR,
    ahead,
    quotas,
)
from knowledge.lexicon import MEASURES, NUMBER_WORDS
from knowledge.structure import Heading, Passage
from knowledge.text import fold

METADATA = Heading("", "Thông tin văn bản")
TYPED_KINDS = ("when", "figure", "quarter", "day")  # kinds a passage answers by the date or figure it states
MONEY = re.compile(r"\d[\d.,]*\s*(?:(?:nghìn|triệu|tỷ)?\s*(?:đồng|vnđ)|lần\s+(?:mức\s+)?lương\s+cơ\s+sở)",
                   re.IGNORECASE)  # '1,0 lần mức lương cơ sở': awards are paid as multiples of the base salary


def metadata_passages(plan: Plan, start: int) -> list[Passage]:
    """What the front matter says, as passages: who signed, who issued, for when, to whom."""
    lines = [f"Cơ quan ban hành: {plan.issuer} (cấp {plan.level}, tỉnh {plan.province}).",
             f"Giai đoạn của phong trào: {plan.period}, đến hết ngày {_as_written(plan, plan.valid_until)}."]
    if plan.legal_bases:
        lines.append("Căn cứ ban hành: " + "; ".join(plan.legal_bases) + ".")
    if plan.signer_name or plan.signer_title:
        title = f", chức vụ {plan.signer_title}" if plan.signer_title and plan.signer_name else plan.signer_title
        lines.append(f"Người ký: {plan.signer_name}{title}".strip() + ".")  # 'ai ký, giữ chức vụ gì?'
    if plan.recipients:
        lines.append("Nơi nhận: " + "; ".join(plan.recipients) + ".")
    if re.search(r"\d", plan.number + plan.issued):
        lines.append(_number_line(plan))
    return [Passage(plan.id, start + i, line, (METADATA,)) for i, line in enumerate(lines)]


def _number_line(plan: Plan) -> str:
    """The plan's number and date of issue as printed, and plainly which of them it does not print."""
    number = plan.number if re.search(r"\d", plan.number) else "bản kế hoạch không ghi số"
    issued = (f", ban hành ngày {plan.issued}" if DATE.search(plan.issued) else
              f", ban hành năm {plan.issued}" if plan.issued else ", không ghi ngày ban hành")
    place = f" tại {plan.place}" if plan.place and plan.issued else ""
    return f"Số, ký hiệu: {number}{issued}{place}."


_META_LINES = {"number": "Số, ký hiệu", "signer": "Người ký", "issuer": "Cơ quan ban hành", "recipients": "Nơi nhận",
               "period": "Giai đoạn", "basis": "Căn cứ ban hành"}


def _as_written(plan: Plan, day: dt.date) -> str:
    """The day as the plan writes it ('31/8/2028' or '31/08/2028'), so that the answer quotes the plan."""
    for m in DATE.finditer(plan.body):
        if m.group(3) and (int(m.group(1)), int(m.group(2)), int(m.group(3))) == (day.day, day.month, day.year):
            return m.group(0)
    return f"{day:%d/%m/%Y}"


def passage_is(kind: str, p: Passage) -> bool:
    """Whether p can answer a question of this kind: a typed figure, or a part of the document
    its genre fixes (the title and the legal bases open it, the signature closes it)."""
    if kind in _META_LINES and p.path == (METADATA,):
        return p.text.startswith(_META_LINES[kind])
    preamble = not p.path
    if kind == "when":  # a date, a quarter, a month ('vào tháng 11/2028'), a year, a day of each period
        return any(form.search(p.quote) for form in (DATE, QUARTER, MONTH, YEAR, DAY_OF_PERIOD))
    if kind == "day":  # 'ngày nào?': a day of the month ('trước ngày 15 của tháng cuối quý'), not only a year
        return any(form.search(p.quote) for form in (DATE, DATE_IN_WORDS, DAY_OF_PERIOD))
    if kind == "quarter":
        return bool(QUARTER.search(p.quote))
    if kind == "figure":  # a share or a count
        return _figure(p.quote)
    if kind == "item":  # one of a list: 'Hồ sơ gồm:' then its items; what 'gồm những gì?' asks for
        return bool(p.lead) or bool(p.path and not p.is_heading and _LISTING.search(fold(p.path[-1].title)))
    if kind == "dated":  # a day, a month or a quarter: finer than a year for 'lúc nào?'
        return any(form.search(p.quote) for form in (DATE, QUARTER, MONTH, DAY_OF_PERIOD))
    if kind == "result":  # figures only of what a year reached ('năm 2026 đạt 45%'), none to reach
        return _figure(p.quote) and not any(_figure(s) for s in ahead(p))
    if kind == "basis":  # the plan's own bases, or a rule it cites ('theo Quyết định số 26/2020/QĐ-UBND')
        return bool((preamble and re.match(r"(Căn cứ|Thực hiện)\b", p.text)) or DOCUMENT.search(p.quote))
    if kind == "participants":  # the items under its "Đối tượng (thi đua)" heading; not who is awarded
        return any(fold(h.title).startswith("doi tuong") and "khen" not in fold(h.title) for h in p.path)
    if kind == "scope":  # under its own "Phạm vi" heading, not the section naming it with the others
        return any(fold(h.title).strip(" .:") == "pham vi" for h in p.path)
    if kind == "name":
        return preamble and p.ordinal < 3 and "thi đua" in p.text.lower()
    return False


_LISTING = re.compile(r"\b(?:gom|bao gom|nhu sau|sau day)\s*$")


def _figure(text: str) -> bool:
    return bool(PERCENT.search(text) or quotas(text) or COUNT.search(text))


def answer_kinds(text: str) -> list[str]:
    """Words a question uses for the kind of figure a passage states: '10%' answers 'phần trăm'."""
    kinds = []
    if PERCENT.search(text):
        kinds += ["phan_tram", "phan", "tram"]
    if DATE.search(text):
        kinds += ["ngay", "thang"]
    return kinds


def count_of(measure: str) -> re.Pattern[str]:
    """'<number> <noun>' in folded text, for what "bao nhiêu <noun>" counts: '01 bo', 'mot lan'."""
    number = "|".join((r"\d+", *NUMBER_WORDS))
    nouns = "|".join(re.escape(n) for n in MEASURES.get(measure, (measure,)))
    return re.compile(rf"\b(?:{number}) (?:{nouns})\b")
