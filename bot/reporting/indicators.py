"""The indicators a unit reports on, read from its plan's targets, and their rules: how a target is
written, whether a value meets it, which indicator an officer names.

Each target figure of the plan is one indicator; a clause naming two figures ("90% hồ sơ tại Sở,
80% hồ sơ tại các đơn vị trực thuộc") is two. The same clause repeated in another section (a
district plan restating a target for its communes) is one indicator, the first: an officer
reports one figure for it. Names come from the clause by rules of the genre, not of any plan:
the figure and its comparator words go, the words around the figure stay, short enough for a
button. Codes are the section and the indicator's rank in it ("III-2", "IV.1.2-1"), so the same
plan text always gives the same codes, and an officer can type one.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import Indicator as IndicatorRow
from bot.core.models import Unit
from bot.reporting.values import Value, format_number, meets, split_value
from knowledge.facts import PERCENT, Fact
from knowledge.index import KnowledgeBase
from knowledge.text import fold, tokens
from knowledge.vocabulary import expand

NAME_CHARS = 60
COMPARATOR_WORDS = {">=": "", ">": "trên ", "<=": "tối đa ", "<": "dưới ", "=": ""}  # how a target is written
MATCH_THRESHOLD = 70  # similarity (0–100) a typed name must reach
MATCH_MARGIN = 10     # ... and by which it must beat the runner-up, else it is ambiguous
QUERY_WEIGHT = 0.7    # similarity: share of the typed words found, then share of the name's words typed
TYPO_SIMILARITY = 80  # rapidfuzz ratio at which a typed word of 4+ letters is taken for a plan word
# Words that frame a figure rather than say what is measured: aims, bounds, "to reach".
_FRAME = ("phấn đấu", "tối thiểu", "ít nhất", "không vượt quá", "không quá", "tối đa", "trên", "dưới",
          "đạt", "từ", "thực hiện", "đưa", "yêu cầu", "trở lên", "trở xuống")
_FRAME_ALT = "|".join(re.escape(w) for w in sorted(_FRAME, key=len, reverse=True))
_LEADING = re.compile(rf"^(?:(?:{_FRAME_ALT})\b|đến năm \d{{4}}\b|năm \d{{4}}\b|[\s,:-])+", re.IGNORECASE)
_TRAILING = re.compile(rf"(?:\b(?:{_FRAME_ALT})|\b\d+(?:[.,]\d+)?\s*[-–]|[\s,:-])+$", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Indicator:
    code: str        # "III-2": section and rank, typed in chat
    plan_id: str
    name: str        # "Hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến"
    target: float    # 80.0
    kind: str        # "percent" | "count"
    comparator: str  # ">=", ">", "<=", "<", "="
    section: str     # "III"
    text: str        # the plan's clause, for quoting
    full_name: str = ""  # the name uncut, for the office's files


def indicators_of(kb: KnowledgeBase, plan_id: str) -> list[Indicator]:
    """The plan's indicators in the plan's order."""
    return indicators_from(kb.facts_of(plan_id, "target"), lambda ordinal: kb.passage(plan_id, ordinal).section)


def indicators_from(facts: Iterable[Fact], section_of: Callable[[int], str]) -> list[Indicator]:
    """Indicators from target facts (in plan order); `section_of` maps a passage ordinal to its section."""
    figure_rank: Counter[tuple[int, str]] = Counter()  # which figure of its clause a fact is
    seen: set[tuple[str, int]] = set()
    per_section: Counter[str] = Counter()
    found = []
    for fact in (f for f in facts if f.kind == "target"):
        nth = figure_rank[(fact.passage, fact.text)]
        figure_rank[(fact.passage, fact.text)] += 1
        if (fold(fact.text), nth) in seen:
            continue
        seen.add((fold(fact.text), nth))
        section = section_of(fact.passage)
        per_section[section] += 1
        found.append(Indicator(f"{section or 'CT'}-{per_section[section]}", fact.plan_id, name_of(fact.text, nth),
                               _number(fact.value), _kind(fact.value), fact.comparator, section, fact.text,
                               _capitalised(measured(fact.text, nth))))
    return _distinct(found)


def _number(value: str) -> float:
    """'80%', '85,5%' → 80.0, 85.5; a count '1.234' → 1234.0 (dots group thousands); '12/12' (tổ) → 12.0."""
    digits = value.rstrip("%").strip().split("/")[0]
    if not value.endswith("%"):
        digits = digits.replace(".", "")
    return float(digits.replace(",", "."))


def _kind(value: str) -> str:
    return "percent" if value.endswith("%") else "count"


def name_of(clause: str, nth: int = 0) -> str:
    """What the clause's nth figure measures, cut to a button's width."""
    return _shorten(measured(clause, nth))


def measured(clause: str, nth: int = 0) -> str:
    """What the clause's nth figure measures: the words before the clause's first figure (its shared
    subject, 'Tỷ lệ doanh nghiệp … đạt') and those after this figure up to the next one ('hộ gia đình'),
    without the figure, its framing words and asides in parentheses."""
    figures = list(PERCENT.finditer(clause))
    if not figures:
        return _tidy(clause)
    nth = min(nth, len(figures) - 1)
    lead = re.split(r"[.:;]\s", clause[:figures[0].start()])[-1]
    if not _tidy(lead.split(", ")[-1]):  # 'Ban hành kế hoạch, yêu cầu 100% các cơ quan …': another act
        lead = ""
    end = figures[nth + 1].start() if nth + 1 < len(figures) else len(clause)
    tail = clause[figures[nth].end():end]
    return _tidy(f"{_tidy(lead)} {_tidy(tail)}")


def _tidy(words: str) -> str:
    words = _PARENTHESES.sub("", words)
    previous = None
    while previous != words:
        previous = words
        words = _TRAILING.sub("", _LEADING.sub("", words.strip(" .,;:"))).strip(" .,;:")
    return " ".join(words.split())


def _shorten(name: str, width: int = NAME_CHARS) -> str:
    """At most `width` characters, cut at a word with '…'; capitalised."""
    if len(name) > width:
        name = name[:width - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return _capitalised(name)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def _distinct(found: list[Indicator]) -> list[Indicator]:
    """Two indicators whose names read alike (near-identical clauses in two sections) are told
    apart by their section."""
    counts = Counter(i.name for i in found)
    return [replace(i, name=f"{_shorten(i.name, NAME_CHARS - len(i.section) - 7)} (mục {i.section})",
                    full_name=f"{i.full_name} (mục {i.section})")
            if counts[i.name] > 1 else i for i in found]


def find_indicator(indicators: list[Indicator], code_or_text: str) -> Indicator | None:
    """The indicator an officer means: its code in any case ('iii-1'), else its words as typed, with or
    without diacritics, abbreviated or not ('ho so tthc xu ly truc tuyen'). None when nothing is close
    enough, or when two indicators are about as close ('hồ sơ'): the bot should then list the codes
    rather than guess."""
    query = " ".join(code_or_text.split())
    if not query:
        return None
    for indicator in indicators:
        if indicator.code.casefold() == query.casefold():
            return indicator
    words = _words(query)
    ranked = sorted(((similarity(words, i), n) for n, i in enumerate(indicators)), reverse=True)
    if not ranked or ranked[0][0] < MATCH_THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < MATCH_MARGIN:
        return None
    return indicators[ranked[0][1]]


def similarity(query: set[str], indicator: Indicator) -> float:
    """0–100: mostly how many of the typed words the indicator speaks of (its whole clause, when the
    clause has no other figure; a cut name has lost words), then how many of its name's words were
    typed, which prefers 'Hồ sơ công việc tại Sở' to '… tại các đơn vị trực thuộc Sở' for 'hồ sơ tại Sở'."""
    one_figure = len(PERCENT.findall(indicator.text)) == 1
    described = _words(indicator.text) | _words(indicator.name) if one_figure else _words(indicator.name)
    named = _words(indicator.name)
    covered = sum(_found(w, described) for w in query) / max(len(query), 1)
    typed = sum(_found(w, query) for w in named) / max(len(named), 1)
    return 100 * (QUERY_WEIGHT * covered + (1 - QUERY_WEIGHT) * typed)


def _words(text: str) -> set[str]:
    """Folded words, abbreviations spelt out ('tthc'), final y read as i ('xử lí' = 'xử lý')."""
    return {re.sub(r"(?<=[^aeiouy])y$", "i", w) for w in expand(tokens(text))}


def _found(word: str, words: set[str]) -> bool:
    """The word, or for a word long enough to misspell, a near spelling of it."""
    return word in words or (len(word) >= 4 and any(fuzz.ratio(word, w) >= TYPO_SIMILARITY for w in words))


def sync_indicators(kb: KnowledgeBase, *, session: Session) -> None:
    """Every plan's targets as indicator rows; one the plan no longer has is kept, inactive."""
    rows = {(i.plan_id, i.code): i for i in session.scalars(select(IndicatorRow))}
    for plan_id in kb.plans:
        fresh = {i.code: i for i in indicators_of(kb, plan_id)}
        for (plan, code), row in rows.items():
            if plan == plan_id and code not in fresh:
                row.active = False
        for code, found in fresh.items():
            row = rows.get((plan_id, code)) or IndicatorRow(plan_id=plan_id, code=code)
            row.name, row.target, row.kind, row.comparator = found.name, found.target, found.kind, _reachable(found)
            row.section, row.text, row.active = found.section, found.text, True
            row.full_name = found.full_name[:500]
            session.add(row)


def _reachable(found: Indicator) -> str:
    """'phủ trên 100% xã' reads 'trên' as 'over (the communes)': no share can exceed 100%."""
    return ">=" if found.kind == "percent" and found.comparator == ">" and found.target >= 100 else found.comparator


def indicators_for(unit: Unit, *, session: Session) -> list[IndicatorRow]:
    """The unit's plan's indicators, in the plan's order."""
    return indicators_for_plan(unit.plan_id, session=session)


@dataclass(frozen=True)
class Listed:
    """An active indicator row as the plan's cached list keeps it: read-only, shared by every thread."""

    id: int
    plan_id: str
    code: str
    name: str
    target: float
    kind: str
    comparator: str
    section: str
    text: str
    full_name: str


_LISTED_FIELDS = [f.name for f in fields(Listed)]
# database (the engine itself: an id could be a dead engine's) → the knowledge base its lists are of, plan → list
_listed: weakref.WeakKeyDictionary[object, tuple[KnowledgeBase, dict[str, tuple[Listed, ...]]]] = (
    weakref.WeakKeyDictionary())
_listed_lock = threading.Lock()


def listed(kb: KnowledgeBase, plan_id: str, *, session: Session) -> tuple[Listed, ...]:
    """The plan's active indicators in the plan's order, read once per set of live plans: indicator rows
    change only when the plans do (sync_indicators, before this process answers from the new `kb`)."""
    bind = session.get_bind()
    of_kb, lists = _listed.get(bind, (None, {}))
    if of_kb is kb and plan_id in lists:
        return lists[plan_id]
    rows = tuple(Listed(**{name: getattr(row, name) for name in _LISTED_FIELDS})
                 for row in indicators_for_plan(plan_id, session=session))
    with _listed_lock:
        of_kb, lists = _listed.get(bind, (None, {}))
        if of_kb is not kb:  # the plans changed: the old knowledge base's lists are let go
            lists = {}
        _listed[bind] = (kb, {**lists, plan_id: rows})
    return rows


def indicators_for_plan(plan_id: str, *, session: Session) -> list[IndicatorRow]:
    query = select(IndicatorRow).where(IndicatorRow.plan_id == plan_id, IndicatorRow.active).order_by(IndicatorRow.id)
    return list(session.scalars(query))


def find_for(plan_id: str, text: str, *, kb: KnowledgeBase, session: Session) -> tuple[Listed | None, str, str]:
    """find_in() over the plan's indicators (cached: no statement)."""
    return find_in(list(listed(kb, plan_id, session=session)), text)


def find_in(indicators: list[IndicatorRow] | list[Listed], text: str) -> tuple[IndicatorRow | Listed | None, str, str]:
    """(indicator, what named it, the value typed) from '/baocao' arguments: a leading code settles where
    the value starts ('III-3 chưa có'); else the value starts at the last figure ('hồ sơ … 45/60')."""
    first, _, rest = text.strip().partition(" ")
    by_code = {i.code.casefold(): i for i in indicators}
    if first.casefold() in by_code:
        return by_code[first.casefold()], first, rest
    what, figure = split_value(text)
    return find_indicator(indicators, what), what, figure


def target_text(indicator: IndicatorRow | Indicator | Listed) -> str:
    """'80%', 'trên 90%', '12': the target as the plan sets it."""
    unit = "%" if indicator.kind == "percent" else ""
    return f"{COMPARATOR_WORDS.get(indicator.comparator, '')}{format_number(indicator.target)}{unit}"


def is_met(indicator: IndicatorRow | Indicator | Listed, value: Value) -> bool:
    """Whether the value reaches the indicator's target (the one place this is decided)."""
    return meets(value, indicator.target, indicator.comparator)
