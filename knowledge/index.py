"""The knowledge base: plans, passages, facts and a BM25 index over folded features.

Built from each plan's share (parts.py: segmented once per version of a plan); the built base is
pickled on disk, keyed by a hash of the plans and the pipeline, and rebuilt when one changes.
"""

from __future__ import annotations

import hashlib
import logging
import math
import pickle
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from knowledge import caching, semantic
from knowledge.coverage import Coverage
from knowledge.documents import PLANS_DIR, Plan, plan_files
from knowledge.facts import Fact, recurrence_named
from knowledge.kinds import TYPED_KINDS
from knowledge.lexicon import MEASURES, STRICT_KINDS
from knowledge.parts import BY_FACT, KINDS, Part, code_digest, keep_regrouped, parts_of, plan_names
from knowledge.query import Query
from knowledge.question_forms import asks_result
from knowledge.structure import Passage
from knowledge.text import TOKEN, clean, fold, tokens
from knowledge.vocabulary import Phrases, Vocabulary, dictionary, expand

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

CONTEXT_WEIGHT, EXPANSION_WEIGHT, PART_WEIGHT = 0.6, 0.5, 0.3
LIST_CONTEXT = 2.5  # "gồm những gì?": the heading names the list
LEAD_WEIGHT = 1.0  # "X làm gì?": a passage's opening words name who does it ('Văn phòng Sở ...')
FOCUS_WEIGHT = 0.5  # the noun a question phrase asks about ('những hình thức nào') counts once more
LIST_SUMMARY = 2.0  # "những văn bản nào?": the front matter's line lists them all
DEFAULT_BOOST = 0.35        # a passage of the kind the question names
ASKED_BOOST = {"who": 0.5}  # ... of the kind a question word asks for
# Questions only a passage of their kind answers ("ai ký?": the signature), and kinds a question word
# demands ("khi nào?": a date) when such a passage scores within this share of the best.
TYPED = dict.fromkeys(TYPED_KINDS, 0.4)
EVENT_TERMS = {"so_ket": "review", "tong_ket": "final_review", "phat_dong": "launch", "bat_dau": "start",
               "ket_thuc": "end"}


def events_named(query: Query) -> list[str]:
    """The events of the campaign a question names ('sơ kết', 'bắt đầu và kết thúc'), in its order."""
    said = set(query.terms) | set(query.units)
    return [event for term, event in EVENT_TERMS.items() if term in said]
ITEM_BOOST = 0.3     # an item of a list, for a question asking what a list holds
DATED_BOOST = 0.15   # a passage giving a day, month or quarter, for 'khi nào?'
RESULT_WEIGHT = 0.5  # a passage stating only what a past year reached, for a question on what to reach
EVENT_BOOST = 0.5   # a passage dating the event a 'when' question names, over one that only names it
# 'cấp xã', 'cấp huyện', 'cấp tỉnh': the tier of government a target is for (a ward is of the commune's tier)
LEVELS = {"xa": ("xa", "phuong", "thi tran"), "huyen": ("huyen", "thi xa", "thanh pho"), "tinh": ("tinh",)}
PLAN_TIERS = {word: level for level, words in LEVELS.items() for word in words} | {"so": "tinh"}  # a Sở: the province's
OTHER_LEVEL = 0.5  # a question about one tier: a passage (or its heading) naming only another tier counts half
STRICT_BASE = 0.5   # score: a passage of a strict kind qualifies even when no other word matches


def _names_tier(phrase: str, level: str) -> bool:
    """The space-padded folded phrase says 'cấp <the tier>' ('cấp phường' is of the commune's)."""
    return any(f" cap {word} " in phrase for word in LEVELS[level])


@dataclass
class Hit:
    passage: Passage
    score: float
    coverage: float


NEAR_TIE, NEAR_TIES, FULLER = 0.95, 4, 0.15


def _read(path: Path) -> KnowledgeBase | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # a corrupt or incompatible cache is rebuilt, never fatal
        log.warning("index cache %s unreadable; rebuilding", path)
        return None


class KnowledgeBase:
    def __init__(self, parts: list[Part]) -> None:
        plans = [part.plan for part in parts]
        self.plans = {p.id: p for p in plans}
        self.passages = passages = [p for part in parts for p in part.passages]
        self.facts: list[Fact] = [f for part in parts for f in part.facts]
        words, lexicon = dictionary()
        compounds = frozenset().union(*(part.compounds for part in parts))
        self.vocab = Vocabulary(
            syllables=frozenset().union(*(part.syllables for part in parts)), compounds=compounds,
            plan_phrases=self._plan_phrases(plans), words=words, lexicon=lexicon,
            text=f" {' '.join(part.text for part in parts)} ",
            spellings=frozenset().union(*(part.spellings for part in parts)))
        self._plan_of = np.array([p.plan_id for p in passages])
        self._position = {(p.plan_id, p.ordinal): i for i, p in enumerate(passages)}
        # the features themselves are not kept: the indexes and sets below hold what answering needs
        joined = frozenset(" ".join(c) for c in compounds)
        grouped = [part.grouped_by(joined) for part in parts]
        body, context, lead = ([f for g in grouped for f in getattr(g, field)] for field in ("body", "context", "lead"))
        self._body_index, self._context_index = self._bm25(body), self._bm25(context)
        self._lead_index = self._bm25(lead)
        # Every passage speaks within its plan: the title's words ("kế hoạch thi đua chuyển đổi số")
        # are covered by any of them.
        titles = {part.plan.id: set(g.title) for part, g in zip(parts, grouped, strict=True)}
        self._doc_sets = [tuple(sorted(set(b) | set(c) | titles[p.plan_id]))  # sorted tuples: a fifth of sets' memory
                          for b, c, p in zip(body, context, passages, strict=True)]
        self._phrases = [t for part in parts for t in part.phrases]
        self._idf = self._inverse_frequencies(body, context)
        self._kinds = self._kind_masks(parts)
        self._counts = {m: np.concatenate([part.counts[m] for part in parts]) for m in MEASURES}
        self._money = np.concatenate([part.money for part in parts])
        self._metadata = np.concatenate([part.metadata for part in parts])
        self._levels = {level: np.array([_names_tier(t, level) for t in self._phrases], dtype=bool) for level in LEVELS}
        self._events: dict[str, np.ndarray] = {}  # event of a deadline → the passages that date it
        self._recurring: dict[str, np.ndarray] = {}  # recurrence of a deadline → the passages that state it
        for fact in self.facts:
            for key, masks in ((fact.event, self._events), (fact.recurrence, self._recurring)):
                if fact.kind == "deadline" and key:
                    mask = masks.setdefault(key, np.zeros(len(passages), dtype=bool))
                    mask[self._index_of(fact.plan_id, fact.passage)] = True
        self.coverage_of = Coverage(self._idf, self._doc_sets, self._phrases, self._kinds, self._plan_of,
                                    self._money, self._counts)
        self._accented = " ".join(part.accented for part in parts)
        self._folded = [t for part in parts for t in part.folded]
        names = semantic.Accents.spellings([n for plan in plans for n in plan_names(plan)])
        self.accents = semantic.Accents([*(part.accents for part in parts), names])
        self._vectors = semantic.passage_vectors(passages)
        self._background = semantic.text_vectors(semantic.BACKGROUND)

    @staticmethod
    def _plan_phrases(plans: list[Plan]) -> Phrases:
        """What names a plan: its issuer's names and province, and what only that plan says of itself —
        its signer's name. (The numbers of documents only it cites were tried: named, they stopped counting
        as content, and '59-CTr/BCSĐ là của cơ quan nào?' lost its answer.)"""
        phrases: dict[tuple[str, ...], set[str]] = {}
        for plan in plans:
            for name in [*plan_names(plan), plan.province]:
                phrases.setdefault(tuple(expand(tokens(name))), set()).add(plan.id)
        details: dict[tuple[str, ...], set[str]] = {}
        for plan in plans:
            if len(plan.signer_name.split()) >= 2:
                details.setdefault(tuple(tokens(plan.signer_name)), set()).add(plan.id)
        phrases.update({k: v for k, v in details.items() if len(v) == 1 and k not in phrases})
        return Phrases({k: frozenset(v) for k, v in phrases.items() if k})

    @staticmethod
    def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
        index = bm25s.BM25(k1=1.2, b=0.5)  # passages range from a line to a paragraph: damp length
        index.index([doc or [""] for doc in corpus], show_progress=False)
        return index

    def _inverse_frequencies(self, body: list[list[str]], context: list[list[str]]) -> dict[str, float]:
        self._df = Counter(f for b, c in zip(body, context, strict=False) for f in set(b) | set(c))
        n = len(self.passages)
        return {f: math.log(1 + (n - d + 0.5) / (d + 0.5)) * self.commonness(f) for f, d in self._df.items()}

    def _kind_masks(self, parts: list[Part]) -> dict[str, np.ndarray]:
        """For each kind of question, the passages that can answer it."""
        masks = {kind: np.concatenate([part.kinds[kind] for part in parts]) for kind in KINDS}
        for fact in self.facts:
            for kind in (k for k, v in BY_FACT.items() if v == fact.kind):
                masks[kind][self._index_of(fact.plan_id, fact.passage)] = True
        return masks

    def index_of(self, p: Passage) -> int:
        return self._position[(p.plan_id, p.ordinal)]

    def _index_of(self, plan_id: str, ordinal: int) -> int:
        return self._position[(plan_id, ordinal)]

    @classmethod
    def build(cls, plans: list[Plan]) -> KnowledgeBase:
        """The knowledge base of the plans, nothing cached."""
        return cls([Part.of(plan) for plan in plans])

    @classmethod
    def load(cls, plans_dir: Path = PLANS_DIR, cache_dir: Path | None = None) -> KnowledgeBase:
        """The knowledge base of the plan files in `plans_dir` (the same cache entry as the same plans read
        from a database)."""
        return cls.of_texts([path.read_text(encoding="utf-8") for path in plan_files(plans_dir)], cache_dir)

    @classmethod
    def of_texts(cls, texts: list[str], cache_dir: Path | None = None) -> KnowledgeBase:
        """The knowledge base of plans given as texts in the plan file format (the plans of a database):
        from the on-disk cache when these plans were indexed before, else built from each plan's share
        (made only for the plans that have none yet: underthesea's segmentation is slow) and cached."""
        code = code_digest()
        digest = hashlib.sha256(code)
        for text in texts:
            digest.update(hashlib.sha256(text.encode()).digest())
        directory = cache_dir or caching.cache_dir()
        path = directory / f"kb-{digest.hexdigest()[:20]}.pickle"
        with caching.collector_paused():
            kb = _read(path)
            if kb is None:
                parts = parts_of(texts, cache_dir, code)
                kb = cls(parts)
                keep_regrouped(parts)
                caching.write_atomic(path, pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
                caching.prune(directory, "kb-*.pickle", keep=caching.KEEP_INDEXES)
                caching.prune(directory / "parts", "*.pickle", unused_for=caching.SHARES_UNUSED)
            else:
                caching.touch(path)
        return kb

    def search(self, query: Query, plan_ids: frozenset[str] | None = None, limit: int = 5,
               strict: bool = True) -> list[Hit]:
        """The best passages for the query; `strict`: only passages of the kind the question is about,
        when such a kind is named ('ai ký?': the signature)."""
        scores = self._scores(query, strict)
        if plan_ids:
            scores = np.where(np.isin(self._plan_of, list(plan_ids)), scores, 0.0)
        order = np.argsort(-scores)[:limit]
        return [Hit(self.passages[i], float(scores[i]), self.coverage(query, i)) for i in order if scores[i] > 0]

    def best_per_plan(self, query: Query, plan_ids: frozenset[str] | None = None, strict: bool = True) -> list[Hit]:
        """Each plan's best passage for the query, best first."""
        scores = self._scores(query, strict)
        hits = []
        for plan_id in plan_ids or self.plans:
            masked = np.where(self._plan_of == plan_id, scores, 0.0)
            i = int(masked.argmax())
            if masked[i] > 0:
                hits.append(self._fullest(query, masked, i))
        return sorted(hits, key=lambda h: -h.score)

    def _fullest(self, query: Query, scores: np.ndarray, best: int) -> Hit:
        """Of the passages scored within NEAR_TIE of the best, the one that says clearly more of the
        question (coverage ahead by FULLER): a near tie of scores is decided by what the words ask."""
        hit = Hit(self.passages[best], float(scores[best]), self.coverage(query, best))
        for j in np.argsort(-scores)[1:NEAR_TIES]:
            if scores[j] < NEAR_TIE * scores[best]:
                break
            coverage = self.coverage(query, int(j))
            if coverage >= hit.coverage + FULLER:
                hit = Hit(self.passages[int(j)], float(scores[j]), coverage)
        return hit

    def coverage(self, query: Query, i: int) -> float:
        """How fully passage i speaks of what the question is about (see coverage.py)."""
        return self.coverage_of.coverage(query, i)

    def is_unknown(self, unit: str, query: Query) -> bool:
        return self.coverage_of.is_unknown(unit, query)

    def states_what_is_asked(self, query: Query, plan_ids: frozenset[str] | None) -> bool:
        return self.coverage_of.states_what_is_asked(query, plan_ids)

    def commonness(self, term: str) -> float:
        """How much a term counts: words found in a quarter of all passages ('kế hoạch', 'thi đua',
        'chuyển đổi số') name the campaign in almost every question and say little about which passage."""
        share = self._df.get(term, 0) / len(self.passages)
        return 1.0 if share < 0.1 else 0.5 if share < 0.25 else 0.2

    def _scores(self, query: Query, strict: bool = True) -> np.ndarray:
        scores = np.zeros(len(self.passages), dtype=np.float32)
        context = CONTEXT_WEIGHT * (LIST_CONTEXT if "list" in query.intents else 1.0)
        lead = LEAD_WEIGHT if "task" in query.asked else 0.0
        for index, weight in ((self._body_index, 1.0), (self._context_index, context), (self._lead_index, lead)):
            for terms, factor in ((query.terms, 1.0), (query.parts, PART_WEIGHT), (query.expansions, EXPANSION_WEIGHT)):
                groups: dict[float, list[str]] = {}
                for t in terms:
                    if t in index.vocab_dict:
                        groups.setdefault(self.commonness(t), []).append(t)
                for common, group in groups.items():
                    scores += weight * factor * common * index.get_scores(group)
        focus = [t for t in query.focus if t in self._body_index.vocab_dict]
        if focus:
            scores += FOCUS_WEIGHT * self._body_index.get_scores(focus)
        for intent in sorted(query.intents & self._kinds.keys()):
            boost = ASKED_BOOST.get(intent, DEFAULT_BOOST) if intent in query.asked else DEFAULT_BOOST
            scores *= np.where(self._kinds[intent], 1 + boost, 1.0)
        if query.asked & {"when", "quarter", "day"}:  # 'tổng kết khi nào?': the passage that dates the tổng kết
            for event in events_named(query):
                if event in self._events:
                    scores = scores * np.where(self._events[event], 1 + EVENT_BOOST, 1.0)
            every = recurrence_named(" ".join(query.words))  # 'báo cáo năm gửi ngày nào?': the yearly one
            if every in self._recurring:
                scores = scores * np.where(self._recurring[every], 1 + EVENT_BOOST, 1.0)
        if "list" in query.asked:  # 'hồ sơ gồm những gì?': the items of a list, over a sentence naming it
            scores = scores * np.where(self._kinds["item"], 1 + ITEM_BOOST, 1.0)
        if "when" in query.asked and not query.asked & {"day", "quarter"}:  # 'lúc nào?': a day or quarter, not a year
            scores = scores * np.where(self._kinds["dated"], 1 + DATED_BOOST, 1.0)
        if "figure" in query.asked and not asks_result(query.words):  # a target, not where the plan starts from
            years = [w for w in query.words if re.fullmatch(r"20\d\d", w)]  # ... unless it names the result's year
            results = self._kinds["result"].copy()
            for i in np.flatnonzero(results) if years else ():  # the few result passages, not every passage's text
                results[i] = not all(year in self._folded[i] for year in years)
            scores = scores * np.where(results, RESULT_WEIGHT, 1.0)
        if "recipients" not in query.intents:  # a list of addressees matches any word, answers nothing else
            scores = scores * ~self._kinds["recipients"]
        return self._prefer_kinds(query, self._at_level(query, scores), strict)

    def of_tier_asked(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Of plans side by side, those a question about one tier ('cấp xã') is for: the plan is of that tier, or
        its passage names it (a district's cấp xã targets); a Sở's own targets are for no commune. All when none is."""
        asked = self._tier_asked(query)
        if asked is None:
            return hits
        kept = [h for h in hits if self._levels[asked][self.index_of(h.passage)]
                or PLAN_TIERS.get(fold(self.plans[h.passage.plan_id].level)) == asked]
        return kept or hits

    def _tier_asked(self, query: Query) -> str | None:
        words = f" {' '.join(query.words)} "
        asked = [level for level in LEVELS if _names_tier(words, level)]
        return asked[0] if len(asked) == 1 else None

    def _at_level(self, query: Query, scores: np.ndarray) -> np.ndarray:
        """'cấp huyện': the passages that speak of another tier only ('60% hồ sơ tại cấp xã') count less."""
        asked = self._tier_asked(query)
        if asked is None:
            return scores
        others = np.logical_or.reduce([self._levels[level] for level in LEVELS if level != asked])
        return scores * np.where(others & ~self._levels[asked], OTHER_LEVEL, 1.0)

    def _prefer_kinds(self, query: Query, scores: np.ndarray, strict_kinds: bool) -> np.ndarray:
        if query.money:  # 'được thưởng bao nhiêu tiền?': only a passage stating a sum says how much
            scores = scores * self._money
        if query.measure:  # "bao nhiêu bộ": a passage that counts bộ
            mask = self._counts[query.measure]
            if (scores * mask).max() > 0:
                scores = scores * mask
        strict = query.intents & STRICT_KINDS if strict_kinds else frozenset()
        if strict:
            mask = np.logical_or.reduce([self._kinds[k] for k in strict])
            if mask.any():  # matched or not, the passage of that kind is the answer
                scores = (scores + STRICT_BASE) * mask
                return scores * np.where(self._metadata, LIST_SUMMARY, 1.0) if "list" in query.asked else scores
        for kind, share in TYPED.items():
            if kind in query.asked:
                typed = scores * self._kinds[kind]
                if typed.max() >= share * scores.max() > 0:
                    scores = typed
        return scores

    def best_dating(self, query: Query, plan_ids: frozenset[str] | None, event: str) -> Hit | None:
        """The best passage in scope that dates the event ('review': sơ kết)."""
        mask = self._events.get(event)
        if mask is None:
            return None
        scores = self._scores(query) * mask * self.in_scope(plan_ids)
        i = int(scores.argmax())
        return Hit(self.passages[i], float(scores[i]), self.coverage(query, i)) if scores[i] > 0 else None

    def lexical_scores(self, query: Query, strict: bool = True) -> np.ndarray:
        return self._scores(query, strict)

    def in_scope(self, plan_ids: frozenset[str] | None) -> np.ndarray:
        return np.isin(self._plan_of, list(plan_ids)) if plan_ids else np.ones(len(self.passages), dtype=bool)

    def similarities(self, question: str) -> tuple[np.ndarray, float]:
        """Cosine of the question with every passage (the question accented as the plans write it),
        and with the nearest topic the plans are not about."""
        text = self.accents.restore(question) if semantic.is_unaccented(question) else question
        vector = semantic.query_vector(text)
        return self._vectors @ vector, float((self._background @ vector).max())

    def says_verbatim(self, phrase: str) -> bool:
        """Some passage or heading has the phrase, accented as given (case aside)."""
        return f" {' '.join(TOKEN.findall(clean(phrase).lower()))} " in self._accented

    def says_all(self, named: list[str]) -> np.ndarray:
        """The passages whose text, headings or plan's front matter say every one of the (folded) names."""
        return np.array([all(n in text for n in named) for text in self._folded])

    def kind_mask(self, kind: str) -> np.ndarray:
        return self._kinds[kind]

    def count_mask(self, measure: str) -> np.ndarray:
        return self._counts[measure]

    def facts_of(self, plan_id: str | None = None, kind: str | None = None) -> list[Fact]:
        return [f for f in self.facts if (plan_id is None or f.plan_id == plan_id) and (kind is None or f.kind == kind)]

    def passage(self, plan_id: str, ordinal: int) -> Passage:
        return self.passages[self._index_of(plan_id, ordinal)]

    def section(self, p: Passage, limit: int = 8) -> list[Passage]:
        """The passages under the same heading as p (a list's items), p's neighbours first."""
        same = [q for q in self.passages if q.plan_id == p.plan_id and q.path == p.path and not q.is_heading]
        return same[:limit] if p in same[:limit] else [p]


