"""Question (+ the asker's plan) → a short cited Vietnamese answer, or a plain 'not found'."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np

from knowledge.calibration import THRESHOLD, Evidence, probability
from knowledge.facts import AWARDS, DATE, PERCENT, QUARTER, QUOTA
from knowledge.index import Hit, KnowledgeBase
from knowledge.lexicon import STRICT_KINDS
from knowledge.query import Query, analyse
from knowledge.structure import Passage
from knowledge.text import fold

MIN_COVERAGE = 0.6
MIN_SCORE = 0.3
SIDE_BY_SIDE = 0.7          # other plans listed when their best is within this share of the best
MAX_SUGGESTIONS = 3
LEXICAL_SHARE = 0.05        # semantic stage: the lexical score (scaled to the scope's best) breaks near ties
SEMANTIC_CHARS = 300         # e5 reads at most this much of a question (a paragraph pasted in costs seconds)
TYPED_SLACK = 0.02          # ... and a passage of the kind asked wins within this much cosine of the best
SUGGEST_MIN = 0.3           # a suggestion must share at least this much of the question ("giá vàng" gets none)

NOT_FOUND = ("Mình chưa tìm thấy nội dung này trong các kế hoạch thi đua. "
             "Bạn thử hỏi cụ thể hơn (chỉ tiêu, hạn báo cáo, khen thưởng...).")
PICK_A_SUGGESTION = " Hoặc chọn một câu gợi ý bên dưới."
EMPTY = "Bạn hãy gõ câu hỏi về kế hoạch thi đua Chuyển đổi số, ví dụ: “chỉ tiêu hồ sơ cấp xã là bao nhiêu?”"


@dataclass(frozen=True)
class Source:
    plan: str
    section: str
    heading: str
    quote: str
    ordinal: int


@dataclass
class Answer:
    found: bool
    text: str
    plan: str | None = None
    sources: list[Source] = field(default_factory=list)
    confidence: float = 0.0
    suggestions: list[str] = field(default_factory=list)
    latency_ms: float = 0.0

    def as_json(self) -> dict:
        return {"found": self.found, "answer": self.text, "plan": self.plan,
                "sources": [{"plan": s.plan, "section": s.section, "heading": s.heading} for s in self.sources],
                "confidence": round(self.confidence, 3), "latency_ms": round(self.latency_ms, 3)}


def _source(hit: Hit) -> Source:
    p = hit.passage
    return Source(p.plan_id, p.section, p.heading, p.quote, p.ordinal)


def _confident(hit: Hit) -> bool:
    return hit.coverage >= MIN_COVERAGE and hit.score >= MIN_SCORE


def key_figures(quote: str, query: Query) -> list[str]:
    """The figures or dates of the quote that the question asks for."""
    wanted_dates = "when" in query.intents and not ("figure" in query.asked or query.measure)
    pattern = (DATE, QUARTER) if wanted_dates else (PERCENT, QUOTA)
    found = [m.group(0) for p in pattern for m in p.finditer(quote)]
    return list(dict.fromkeys(found))[:3]


def _cite(kb: KnowledgeBase, p: Passage) -> str:
    plan = kb.plans[p.plan_id]
    if not p.path:
        return f"{plan.issuer_short}, phần mở đầu kế hoạch"
    last = p.path[-1].short_title
    if not p.section:
        return f"{plan.issuer_short}, {last.lower()}"
    return f"{plan.issuer_short}, mục {p.section} ({last})"


def _one(kb: KnowledgeBase, hit: Hit, query: Query) -> str:
    p = hit.passage
    items = kb.section(p) if "list" in query.intents and p.path else [p]
    if len(items) > 1:
        body = "\n".join(f"- {q.text}" for q in items)
        return f"{p.path[-1].short_title}:\n{body}\nNguồn: {_cite(kb, p)}."
    figures = key_figures(p.quote, query)
    lead = f"{', '.join(figures)} — " if figures else ""
    return f"{lead}«{p.quote}»\nNguồn: {_cite(kb, p)}."


def _side_by_side(kb: KnowledgeBase, hits: list[Hit], query: Query) -> str:
    lines = ["Mỗi kế hoạch quy định riêng:"]
    for hit in hits:
        lines.append(f"• {kb.plans[hit.passage.plan_id].issuer_short}: {_one(kb, hit, query)}")
    return "\n".join(lines)


def suggestion_for(p: Passage) -> str:
    """A question the knowledge base answers with passage p: its first clause, asked."""
    text = re.sub(r"\s+", " ", PERCENT.sub("", p.text)).strip(" -:;.,")
    clause = re.split(r"[,;:(]", text)[0].split()
    head = " ".join(clause[:12] if len(clause) >= 4 else text.split()[:10]).rstrip(",;:")
    if PERCENT.search(p.text):
        return f"Chỉ tiêu “{head}” là bao nhiêu?"
    if DATE.search(p.quote) or QUARTER.search(p.quote):
        return f"“{head}” vào thời gian nào?"
    return f"“{head}” là gì?"


def suggestions(kb: KnowledgeBase, query: Query, plan_ids: frozenset[str] | None) -> list[str]:
    out: list[str] = []
    for hit in kb.search(query, plan_ids, limit=10):
        if hit.coverage < SUGGEST_MIN:
            continue
        text = suggestion_for(hit.passage)
        if text not in out and len(fold(text).split()) >= 3:
            out.append(text)
    return out[:MAX_SUGGESTIONS]


def scope_of(query: Query, plan: str | None, kb: KnowledgeBase) -> frozenset[str] | None:
    if query.plans:
        return query.plans
    if plan in kb.plans:
        return frozenset([plan])
    return None


def answer(kb: KnowledgeBase, question: str, plan: str | None = None) -> Answer:
    started = time.perf_counter()
    result = _answer(kb, question, plan)
    result.latency_ms = (time.perf_counter() - started) * 1000
    return result


def _lexical(kb: KnowledgeBase, question: str, plan: str | None) -> tuple[Query, frozenset[str] | None, list[Hit], list[Hit]]:
    """The lexical stage: the question analysed, its scope, the confident hits and all candidates."""
    query = analyse(question, kb.vocab)
    scope = scope_of(query, plan, kb)
    if query.is_empty:
        return query, scope, [], []
    candidates = kb.best_per_plan(query, scope) if kb.states_what_is_asked(query, scope) else []
    hits = [h for h in candidates if _confident(h)]
    if candidates and not hits and query.intents & STRICT_KINDS:  # "22-NQ/TU định hướng đến năm nào?"
        query = analyse(question, kb.vocab, strict=False)
        candidates = kb.best_per_plan(query, scope, strict=False)
        hits = [h for h in candidates if _confident(h)]
    return query, scope, hits, candidates


_NUMBER = re.compile(r"\b\d[\d/.,-]*\b")
_AWARDS = tuple(fold(a) for a in AWARDS)


def named_things(text: str) -> list[str]:
    """What a question names exactly, that meaning must not blur: figures, years, dates, document
    numbers, and the forms of award (a 'Cờ thi đua' is no 'Bằng khen', however near in meaning)."""
    folded = fold(text)
    return [a for a in _AWARDS if a in folded] + [n.rstrip(".,") for n in _NUMBER.findall(folded)]


def _kind_wanted(query: Query) -> list[str]:
    """Kinds of passage that can answer what the question words ask for ('bao nhiêu': a figure)."""
    return [k for k in ("when", "quarter", "figure") if k in query.asked]


def _semantic(kb: KnowledgeBase, question: str, query: Query, scope: frozenset[str] | None,
              ) -> tuple[Hit, Evidence] | None:
    """The semantic stage: the passage nearest in meaning (the lexical score breaking near ties),
    and the evidence the calibrated decision reads."""
    if query.is_empty or not kb.states_what_is_asked(query, scope):
        return None
    inside = kb.in_scope(scope)
    sims, elsewhere = kb.similarities(query.text[:SEMANTIC_CHARS])
    lexical = kb.lexical_scores(query, strict=False)
    top = lexical[inside].max() if inside.any() else 0.0
    fused = sims + LEXICAL_SHARE * (lexical / top if top > 0 else 0.0)
    named = named_things(query.text)
    if named:  # 'Cờ thi đua', '2024', '162/KH-UBND': a passage that does not say them answers something else
        inside = inside & kb.says_all(named)
    if query.measure:
        counts = kb.count_mask(query.measure)
        if (counts & inside).any():
            inside = inside & counts
    kinds = _kind_wanted(query)
    typed = inside.copy()
    for kind in kinds:
        typed &= kb.kind_mask(kind)
    if typed.any() and fused[typed].max() >= fused[inside].max() - TYPED_SLACK:
        inside = typed
    scored = np.where(inside, fused, -np.inf)
    order = np.argsort(-scored)
    i = int(order[0])
    if not np.isfinite(scored[i]):
        return None
    runner = float(sims[order[1]]) if len(order) > 1 and np.isfinite(scored[order[1]]) else float(sims[i]) - 0.05
    kind_ok = float(all(kb.kind_mask(k)[i] for k in kinds)) if kinds else 1.0
    coverage = kb.coverage(query, i)
    evidence = Evidence(float(sims[i]), float(sims[i]) - elsewhere, float(sims[i]) - runner, coverage, kind_ok)
    return Hit(kb.passages[i], float(lexical[i]), coverage), evidence


def semantic_candidate(kb: KnowledgeBase, question: str, plan: str | None = None,
                       ) -> tuple[Answer, Evidence, bool] | None:
    """What the semantic stage would answer, its evidence, and whether the lexical stage is sure
    (for fitting the calibrated decision: knowledge/calibration.py)."""
    query, scope, hits, _ = _lexical(kb, question, plan)
    found = _semantic(kb, question, query, scope)
    if found is None:
        return None
    hit, evidence = found
    return Answer(True, _one(kb, hit, query), hit.passage.plan_id, [_source(hit)]), evidence, bool(hits)


def _answer(kb: KnowledgeBase, question: str, plan: str | None) -> Answer:
    query, scope, hits, candidates = _lexical(kb, question, plan)
    if query.is_empty:
        return Answer(False, EMPTY if not query.plans else NOT_FOUND)
    if not hits:
        found = _semantic(kb, question, query, scope)
        if found is not None:
            hit, evidence = found
            chance = probability(evidence)
            if chance >= THRESHOLD:
                return Answer(True, _one(kb, hit, query), hit.passage.plan_id, [_source(hit)], chance)
        offered = suggestions(kb, query, scope)
        return Answer(False, NOT_FOUND + (PICK_A_SUGGESTION if offered else ""),
                      confidence=max((h.coverage for h in candidates), default=0.0), suggestions=offered)
    top = hits[0]
    shown = [h for h in hits if h.score >= SIDE_BY_SIDE * top.score] if (scope is None or len(scope) > 1) else [top]
    text = _one(kb, top, query) if len(shown) == 1 else _side_by_side(kb, shown, query)
    plan_id = top.passage.plan_id if len(shown) == 1 else None
    return Answer(True, text, plan_id, [_source(h) for h in shown], top.coverage)
