"""Question (+ the asker's plan) → a short cited Vietnamese answer, or a plain 'not found'."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

import numpy as np

from knowledge.calibration import THRESHOLD, Evidence, probability
from knowledge.facts import AWARDS, DATE, PERCENT, QUARTER, quotas, without_results
from knowledge.index import Hit, KnowledgeBase, events_named
from knowledge.kinds import METADATA
from knowledge.lexicon import ABBREVIATIONS, STOPWORDS, STRICT_KINDS, TOPIC_WORDS
from knowledge.query import Query, analyse, find_plans, without_plan_names
from knowledge.structure import Passage
from knowledge.text import fold, tokens

MIN_COVERAGE = 0.6
MIN_SCORE = 0.3
NAMED_COVERAGE = 0.7         # below this, a question naming what no plan names is not answered from its words
# Below this coverage a lexical answer is checked by meaning: declined when the question is nearer, by
# ELSEWHERE_MARGIN of cosine, to a topic the plans are not about (semantic.BACKGROUND) than to any passage
# in scope ('tiền sử dụng đất' shares 'tiền' with cashless payment). About 1 lexical answer in 12 pays the
# embedding (39 of 475 on the team and independent sets; `python -m bench.answering` prints the CPU per question).
# The semantic stage's pick is held to the same margin whatever the calibrated chance: 'giấy phép xây dựng
# nhà ở' is nearer to its background topic than to the plans' 'hồ sơ' however the features add up.
ELSEWHERE_COVERAGE = 0.75
ELSEWHERE_MARGIN = 0.015
SIDE_BY_SIDE = 0.7          # other plans listed when their best is within this share of the best
MAX_SUGGESTIONS = 3
LEXICAL_SHARE = 0.05        # semantic stage: the lexical score (scaled to the scope's best) breaks near ties
SEMANTIC_CHARS = 300         # e5 reads at most this much of a question (a paragraph pasted in costs seconds)
TYPED_SLACK = 0.02          # ... and a passage of the kind asked wins within this much cosine of the best
MAX_ANSWER = 600            # characters of an answer; the rest of a list goes to Answer.more
MAX_SUGGESTION = 60
LIST_ITEM_SIDE = 70         # side by side, a list's items are shown by their opening words
LIST_ANSWER = 700           # a list answer: the item that answers, then the others by their opening words
LIST_FIRST = 450            # ... the item that answers up to this (its best clauses when longer)
LIST_ITEM = 120             # ... each other item by this much of its opening (500 and 110 lost one more team item)
MIN_CLIPPED = 60            # ... while this much room is left
_DANGLING = frozenset(["cua", "va", "cac", "cho", "voi", "tai", "tren", "trong", "duoc", "de", "la", "theo", "ve",
                       "nhung", "mot"])
MAX_SIDE_BY_SIDE = 5        # more plans than this answer an unscoped question: the asker picks one
CHOICES = 4                 # ... from the best few
SUGGEST_MIN = 0.3           # a suggestion must share at least this much of the question ("giá vàng" gets none)

NOT_FOUND = ("Mình chưa tìm thấy nội dung này trong các kế hoạch thi đua. "
             "Bạn thử hỏi cụ thể hơn (chỉ tiêu, hạn báo cáo, khen thưởng...).")
PICK_A_SUGGESTION = " Hoặc chọn một câu gợi ý bên dưới."
WHICH_PLAN = ("{n} kế hoạch có quy định về việc này, mỗi nơi một khác. Bạn hỏi cho đơn vị nào? "
              "Chọn một kế hoạch bên dưới, hoặc chọn đơn vị của bạn bằng /donvi.")
EMPTY = "Bạn hãy gõ câu hỏi về kế hoạch thi đua Chuyển đổi số, ví dụ: “chỉ tiêu hồ sơ cấp xã là bao nhiêu?”"
NOT_LOADED = ("Mình chưa có kế hoạch thi đua nào của {place}: mình chỉ trả lời theo các kế hoạch đã nạp. "
              "Bạn hỏi về kế hoạch của đơn vị mình, hoặc gõ /donvi để xem các đơn vị có kế hoạch nhé.")


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
    more: str = ""                  # the rest of a long answer, for a "Xem thêm" button
    topic: dict | None = None       # what the answer was about (JSON): pass it back as `previous`
    choices: list[str] = field(default_factory=list)  # plan ids to ask again for, when too many plans answer

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
    if wanted_dates:
        found = [m.group(0) for p in (DATE, QUARTER) for m in p.finditer(quote)]
    else:
        aims = without_results(quote)  # '85% (năm 2026 đã đạt 41%)': the headline is the 85% to reach
        found = [m.group(0) for m in PERCENT.finditer(aims)] + quotas(aims)
    return list(dict.fromkeys(found))[:3]


def _cite(kb: KnowledgeBase, p: Passage) -> str:
    plan = kb.plans[p.plan_id]
    if p.path and p.section:
        return f"{plan.issuer_short}, mục {p.section} ({p.path[-1].short_title})"
    return f"{plan.issuer_short}, {_where(p)}"


def _where(p: Passage) -> str:
    """Where in its plan a passage is, in a few words (a side-by-side line names the plan already)."""
    if not p.path:
        return "phần mở đầu kế hoạch"
    return f"mục {p.section}" if p.section else p.path[-1].short_title.lower()


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word, never inside one."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return cut + "…"


def _one(kb: KnowledgeBase, hit: Hit, query: Query, limit: int = MAX_ANSWER) -> tuple[str, str]:
    """The answer from one passage, and what is left for 'Xem thêm': the headline is the fact asked,
    then the sentence or the list's first items that answer, then the source."""
    p = hit.passage
    source = f"Nguồn: {_cite(kb, p)}."
    listed = "list" in query.intents and p.path and p.path != (METADATA,)  # the document's fields are no list
    items = kb.section(p) if listed else [p]
    if len(items) > 1:
        scores = kb.lexical_scores(query, strict=False)  # the items that answer best first
        items = [p, *sorted((q for q in items if q != p), key=lambda q: -scores[kb.index_of(q)])]
        head = f"{p.path[-1].short_title} ({len(items)} mục):" if len(items) > 2 else f"{p.path[-1].short_title}:"
        budget = LIST_ANSWER - len(head) - len(source) - 22  # and "(còn N mục nữa)"
        first = p.text if len(p.text) <= LIST_FIRST else _clause(p.text, query, LIST_FIRST)
        shown = [_clip(f"- {first}", LIST_FIRST)]
        for q in items[1:]:  # the others best first, by their opening words, as many as fit
            room = budget - sum(len(x) + 1 for x in shown)
            if room < MIN_CLIPPED:
                break
            shown.append(_clip(f"- {q.text}", min(LIST_ITEM, room)))
        rest = len(items) - len(shown)
        more = "\n".join(f"- {q.text}" for q in items)
        body = "\n".join(shown) + (f"\n(còn {rest} mục nữa)" if rest else "")
        return f"{head}\n{body}\n{source}", more
    room = limit - len(source) - 40
    quote = p.quote if len(p.quote) <= room else _clause(p.quote, query, room)
    figures = key_figures(quote, query) or key_figures(p.quote, query)
    lead = f"{', '.join(figures)} — " if figures else ""
    quote = _clip(quote, limit - len(lead) - len(source) - 4)
    return f"{lead}«{quote}»\n{source}", (p.quote if quote != p.quote else "")


def _clause(text: str, query: Query, room: int) -> str:
    """Of a long passage, the clauses that say most of what is asked ('…; 70% giao dịch …; …'):
    the best one, then its neighbours while they fit."""
    clauses = [c.strip() for c in re.split(r"(?<=[;.:])\s+", text) if c.strip()]
    if len(clauses) < 2:
        return text
    wanted = {w for t in (*query.terms, *query.expansions, *query.focus) if not t.startswith("~")
              for w in t.split("_")} - STOPWORDS
    said = [len(wanted & set(tokens(c))) for c in clauses]
    best = max(range(len(clauses)), key=lambda i: (said[i], -i))
    first = last = best
    while True:
        grown = False
        for j in (last + 1, first - 1):
            if 0 <= j < len(clauses) and len(" ".join(clauses[min(first, j):max(last, j) + 1])) <= room:
                first, last, grown = min(first, j), max(last, j), True
                break
        if not grown:
            break
    out = " ".join(clauses[first:last + 1])
    return ("…" if first else "") + out + ("…" if last < len(clauses) - 1 else "")


def _which_plan(query: Query, shown: list[Hit]) -> Answer:
    """Too many plans state it to show them all: the asker is asked which, the best few offered."""
    best = shown[:CHOICES]
    return Answer(True, WHICH_PLAN.format(n=len(shown)), None, [_source(h) for h in best], best[0].coverage,
                  topic=_topic(query, [h.passage.plan_id for h in best]), choices=[h.passage.plan_id for h in best])


def _side_by_side(kb: KnowledgeBase, hits: list[Hit], query: Query) -> tuple[str, str]:
    """One line per plan that states it; the full answers go to 'Xem thêm'."""
    lines = ["Mỗi kế hoạch quy định riêng:"]
    full = []
    each = max(110, (LIST_ANSWER - 30) // max(1, len(hits)))  # five plans still fit a phone screen
    for hit in hits:
        text, _more = _one(kb, hit, query, limit=10_000)
        name = kb.plans[hit.passage.plan_id].issuer_short
        figures = key_figures(hit.passage.quote, query)
        head = f"{', '.join(figures)} — " if figures else ""
        said = hit.passage.quote
        if "list" in query.intents and hit.passage.path:  # the plan's list, each item's opening words
            items = kb.section(hit.passage)
            items = [hit.passage] + [q for q in items if q != hit.passage]
            if len(items) > 1 and hit.passage.path != (METADATA,):
                said = "; ".join(_clip(q.text, LIST_ITEM_SIDE).rstrip(".") for q in items)
        tail = f" (Nguồn: {_where(hit.passage)})"  # the source is never what is cut
        lines.append(_clip(f"• {name}: {head}{said}", max(80, each - len(tail))) + tail)
        full.append(f"• {name}: {text}")
    return "\n".join(lines), "\n\n".join(full)


def suggestion_for(p: Passage) -> str:
    """A question the knowledge base answers with passage p: its first clause, asked, whole words
    only, at most MAX_SUGGESTION characters."""
    text = re.sub(r"\s+", " ", PERCENT.sub("", p.text)).strip(" -:;.,")
    clause = re.split(r"[,;:(]", text)[0].split()
    words = clause[:12] if len(clause) >= 4 else text.split()[:10]
    if PERCENT.search(p.text):
        frame = "Chỉ tiêu “{}” là bao nhiêu?"
    elif DATE.search(p.quote) or QUARTER.search(p.quote):
        frame = "“{}” vào thời gian nào?"
    else:
        frame = "“{}” là gì?"
    room = MAX_SUGGESTION - len(frame) + 2
    while len(words) > 3 and len(" ".join(words)) > room:
        words = words[:-1]
    while len(words) > 2 and fold(words[-1]) in _DANGLING:  # 'hồ sơ của' asks nothing
        words = words[:-1]
    return frame.format(" ".join(words).rstrip(",;:"))


def suggestions(kb: KnowledgeBase, query: Query, plan_ids: frozenset[str] | None) -> list[str]:
    out: list[str] = []
    near = replace(query, money=False)  # 'mức tiền thưởng bằng khen?' unsaid: what the plans say of it is near
    for hit in kb.search(near, plan_ids, limit=10):
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


def answer(kb: KnowledgeBase, question: str, plan: str | None = None, previous: dict | None = None) -> Answer:
    """`previous`: the `topic` of the answer before, for a follow-up ('còn Ninh Thuận thì sao?')."""
    started = time.perf_counter()
    text, scope = follow_up(kb, question, previous)
    result = _alone(kb, question, plan, previous) if text != question and not cued(fold(question)) else None
    if result is None:
        result = _answer(kb, text, plan, scope)
    result.latency_ms = (time.perf_counter() - started) * 1000
    return result


def _alone(kb: KnowledgeBase, question: str, plan: str | None, previous: dict | None) -> Answer | None:
    """A short question without a follow-up cue ('báo cáo trên hệ thống đạt bao nhiêu phần trăm?') answered
    as it stands, when it is answered so from the plans the conversation was about; else None."""
    if previous is None or _COMPARE.search(fold(question)):
        return None
    result = _answer(kb, question, plan, None)
    answered = {s.plan for s in result.sources}
    talked = set(previous.get("plans") or []) or answered
    return result if result.found and answered <= talked else None


def cued(folded: str) -> bool:
    """Whether the question says it follows up ('còn …', 'thế …', '… thì sao?')."""
    return folded.startswith(_FOLLOW_CUES) or any(c in f" {folded} " for c in (" thi sao", " the nao "))


_FOLLOW_CUES = ("con ", "the ", "vay ", "thi sao", "the nao", "nhu vay", "cung vay", "cung the")
_COMPARE = re.compile(r"\b(so sanh|cao hon|thap hon|nhieu hon|it hon|khac nhau|giong nhau|khac gi)\b")
# The words that only say 'compare': they are no content to look for.
_COMPARE_WORDS = re.compile(r"(?i)\b(so sánh|so sanh|giữa|giua|cao hơn|cao hon|thấp hơn|thap hon|nhiều hơn|nhieu hon|"
                            r"ít hơn|it hon|khác nhau|khac nhau|giống nhau|giong nhau|khác gì|khac gi|"
                            r"nơi nào|noi nao|bên nào|ben nao|chỗ nào|cho nao|cả hai|ca hai)\b")
_FULL_QUESTION = 4  # content units of its own: a question that stands alone
# A question word for the kind the previous question asked, when the follow-up asks none ('còn tổng kết?').
_ASK_AGAIN = {"when": "khi nào", "figure": "bao nhiêu", "who": "ai", "list": "gồm những gì", "where": "ở đâu"}


def _named_plans(words: list[str], kb: KnowledgeBase) -> frozenset[str]:
    """Every plan the words name ('giữa Bù Gia Mập và Cát Nê': both, not only the longer name)."""
    return frozenset().union(*(p for _, _, p in kb.vocab.plan_phrases.find(words)))


def _topic_kinds(unit: str) -> set[str]:
    phrase = unit.replace("_", " ")
    return {kind for kind, phrases in TOPIC_WORDS.items() if phrase in phrases}


def follow_up(kb: KnowledgeBase, question: str, previous: dict | None) -> tuple[str, frozenset[str] | None]:
    """The question to answer and, for a comparison or a follow-up naming other plans, the plans to
    answer it for. An elliptical question ('thế cấp xã?', 'gửi về đâu?', 'còn Ninh Thuận thì sao?')
    takes the previous topic's words and plans; a full new question ignores them."""
    query = analyse(question, kb.vocab)
    folded = fold(query.text)
    if _COMPARE.search(folded):
        named = _named_plans(list(query.words), kb)
        if len(named) > 1:
            return _COMPARE_WORDS.sub(" ", question), named
    if not previous or not isinstance(previous, dict):
        return question, None
    words = [str(w) for w in previous.get("terms") or []][:MAX_TOPIC_TERMS]
    plans = frozenset(p for p in previous.get("plans") or [] if p in kb.plans)
    cue = cued(folded)
    own = [u for u in query.units if not u.startswith("~") and u.replace("_", " ") not in " ".join(words)]
    if len(own) >= _FULL_QUESTION and not cue:
        return question, None
    if query.plans and not own:  # 'còn Ninh Thuận thì sao?': the same question of other plans
        asked = str(previous.get("question") or "")
        return (asked or question), query.plans
    rivals = set().union(*(_topic_kinds(u) for u in own)) if own else set()
    replaced = _replaced(words, [u for u in query.units if not u.startswith("~")], own)
    kept = [w for w in words if w.replace("_", " ") not in folded and not (_topic_kinds(w) & rivals)
            and w not in replaced]
    carried = " ".join(w.replace("_", " ") for w in kept)
    intents = [str(i) for i in previous.get("intent") or []]
    again = next((_ASK_AGAIN[i] for i in intents if i in _ASK_AGAIN), "") if not query.asked else ""
    return " ".join(x for x in (question.rstrip(" ?"), carried, again) if x), (query.plans or plans or None)


MAX_TOPIC_TERMS = 8


def _replaced(before: list[str], units: list[str], own: list[str]) -> set[str]:
    """The previous words a follow-up puts another in the place of: 'còn cấp huyện?' after 'cấp xã' drops 'xã'
    (the word after the same 'cấp'), as 'cấp_huyện' drops 'cấp_xã'."""
    out = {w for w in before for u in own if "_" in w and "_" in u and w.split("_")[0] == u.split("_")[0]}
    for j, unit in enumerate(units):
        if unit in own and j and units[j - 1] in before:
            k = before.index(units[j - 1])
            out.update(before[k + 1:k + 2])
    return out - set(units)


def _topic(query: Query, plans: list[str]) -> dict:
    """Small and JSON-serialisable: the plans answered from, the question's content words, its kinds."""
    terms = [u for u in query.units if not u.startswith("~")][:MAX_TOPIC_TERMS]
    return {"plans": sorted(set(plans)), "terms": terms, "intent": sorted(query.asked),
            "question": query.text[:200]}


def _lexical(kb: KnowledgeBase, question: str, plan: str | None, scope: frozenset[str] | None = None,
             ) -> tuple[Query, frozenset[str] | None, list[Hit], list[Hit]]:
    """The lexical stage: the question analysed, its scope, the confident hits and all candidates."""
    query = analyse(question, kb.vocab)
    scope = scope or scope_of(query, plan, kb)
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


def foreign_names(kb: KnowledgeBase, query: Query) -> list[str]:
    """Names the question gives in capitals inside a sentence ('danh hiệu Nghệ nhân nhân dân') that no
    plan uses: the question is about something the plans do not name, whatever it means."""
    words = query.text.split()
    out = []
    for i in range(1, len(words) - 1):
        first, second = words[i].strip(",;:()“”\"'"), words[i + 1].strip(",;:()“”\"'?.!")
        before = words[i - 1]
        if (first[:1].isupper() and first[:1].isalpha() and not before.endswith((".", "?", "!", ":"))
                and not before[:1].isupper()  # the second word of a name already read ('Gia Mập')
                and second[:1].isalpha() and not first.isupper()):
            name = f"{first} {second}"
            if not kb.says_verbatim(name) and not find_plans(tokens(name), kb.vocab)[0] and not _spelt_out(kb, name):
                out.append(name)
    return out


_PLACE = re.compile(r"\b(?:tỉnh|huyện|quận|thị xã|thành phố|xã|phường|thị trấn)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s?){1,3})")


def other_places(kb: KnowledgeBase, text: str) -> list[str]:
    """Places a question names by their tier ('của tỉnh Nghệ An') that no plan names: a plan not loaded."""
    return [m.group(0).strip() for m in _PLACE.finditer(text)
            if not kb.says_verbatim(m.group(1).strip()) and not find_plans(tokens(m.group(1)), kb.vocab)[0]]


def _spelt_out(kb: KnowledgeBase, name: str) -> bool:
    """An office's abbreviation the plans write in full: 'Sở LĐTBXH' is their 'Sở Lao động - Thương binh và Xã hội'."""
    words = tokens(name)
    if not any(w in ABBREVIATIONS for w in words):
        return False
    return kb.says_verbatim(kb.accents.restore(" ".join(ABBREVIATIONS.get(w, w) for w in words)))


def _about_elsewhere(kb: KnowledgeBase, query: Query, scope: frozenset[str] | None) -> bool:
    """Whether the question means a topic the plans are not about more than anything they say in scope."""
    sims, elsewhere = kb.similarities(without_plan_names(query.text, kb.vocab)[:SEMANTIC_CHARS])
    inside = kb.in_scope(scope)
    return not inside.any() or float(sims[inside].max()) < elsewhere - ELSEWHERE_MARGIN


def _kind_wanted(query: Query) -> list[str]:
    """Kinds of passage that can answer what the question words ask for ('bao nhiêu': a figure)."""
    return [k for k in ("when", "quarter", "day", "figure") if k in query.asked]


def _semantic(kb: KnowledgeBase, question: str, query: Query, scope: frozenset[str] | None,
              ) -> tuple[Hit, Evidence] | None:
    """The semantic stage: the passage nearest in meaning (the lexical score breaking near ties),
    and the evidence the calibrated decision reads."""
    if query.is_empty or not kb.states_what_is_asked(query, scope):
        return None
    inside = kb.in_scope(scope)
    sims, elsewhere = kb.similarities(without_plan_names(query.text, kb.vocab)[:SEMANTIC_CHARS])
    lexical = kb.lexical_scores(query, strict=False)
    top = lexical[inside].max() if inside.any() else 0.0
    fused = sims + LEXICAL_SHARE * (lexical / top if top > 0 else 0.0)
    if foreign_names(kb, query):
        return None
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
    evidence = Evidence(float(sims[i]), float(sims[i]) - elsewhere, float(sims[i]) - runner, coverage, kind_ok,
                        float(lexical[i] / top) if top > 0 else 0.0)
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
    return Answer(True, _one(kb, hit, query)[0], hit.passage.plan_id, [_source(hit)]), evidence, bool(hits)


def _answer(kb: KnowledgeBase, question: str, plan: str | None, scope: frozenset[str] | None = None) -> Answer:
    compare = scope is not None and len(scope) > 1
    query, scope, hits, candidates = _lexical(kb, question, plan, scope)
    if hits and hits[0].coverage < NAMED_COVERAGE and foreign_names(kb, query):
        hits = []  # barely covered, and it names what no plan names ('danh hiệu Nghệ nhân nhân dân')
    places = other_places(kb, query.text)
    if places:  # 'kế hoạch của tỉnh Nghệ An': none is loaded
        return Answer(False, NOT_LOADED.format(place=places[0]), topic=_topic(query, []))
    if query.is_empty:
        return Answer(False, EMPTY if not query.plans else NOT_FOUND)
    elsewhere = bool(hits) and hits[0].coverage < ELSEWHERE_COVERAGE and _about_elsewhere(kb, query, scope)
    if elsewhere:
        hits = []
    if not hits:
        found = None if elsewhere else _semantic(kb, question, query, scope)
        if found is not None:
            hit, evidence = found
            chance = probability(evidence)
            if chance >= THRESHOLD and evidence.elsewhere >= -ELSEWHERE_MARGIN:
                text, more = _one(kb, hit, query)
                return Answer(True, text, hit.passage.plan_id, [_source(hit)], chance, more=more,
                              topic=_topic(query, [hit.passage.plan_id]))
        offered = suggestions(kb, query, scope)
        return Answer(False, NOT_FOUND + (PICK_A_SUGGESTION if offered else ""),
                      confidence=max((h.coverage for h in candidates), default=0.0), suggestions=offered,
                      topic=_topic(query, sorted(scope or ())))
    top = hits[0]
    events = events_named(query) if query.asked & {"when", "quarter"} else []
    if len(events) > 1 and len({h.passage.plan_id for h in hits[:1]}) == 1 and scope and len(scope) == 1:
        dated = list({id(h.passage): h for h in (kb.best_dating(query, scope, e) for e in events) if h}.values())
        if len(dated) > 1:  # 'sơ kết và tổng kết khi nào?': each event's own date, one line each
            parts = [_one(kb, h, query) for h in dated]
            text = "\n".join(t for t, _ in parts)
            return Answer(True, text, top.passage.plan_id, [_source(h) for h in dated], top.coverage,
                          more="\n\n".join(m for _, m in parts if m), topic=_topic(query, [top.passage.plan_id]))
    if compare:  # 'so sánh ... giữa A và B': every plan named that states it
        shown = hits
    elif scope is None or len(scope) > 1:
        shown = kb.of_tier_asked(query, [h for h in hits if h.score >= SIDE_BY_SIDE * top.score])
    else:
        shown = [top]
    if not compare and len(shown) > MAX_SIDE_BY_SIDE:  # 200 plans side by side fill 11 messages
        return _which_plan(query, shown)
    text, more = _one(kb, top, query) if len(shown) == 1 else _side_by_side(kb, shown, query)
    plan_id = top.passage.plan_id if len(shown) == 1 else None
    return Answer(True, text, plan_id, [_source(h) for h in shown], top.coverage, more=more,
                  topic=_topic(query, [h.passage.plan_id for h in shown]))
