"""One plan's share of the knowledge base: what depends on that plan alone (its passages, compounds,
facts, words, kinds and spellings), made once per version of the plan and kept in the on-disk cache.

Making a share (underthesea segments every sentence) takes about a second of CPU a plan, and embedding its
passages several more; an admin's new plan is prepared so while its preview is read. With the shares
kept, adding one plan to two hundred reads the others' and assembles only the index that spans them all
(index.py), regrouping a share's words only when the compounds its words run through changed.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import caching
from knowledge.documents import Plan, parse_plan
from knowledge.facts import Fact, extract
from knowledge.kinds import METADATA, MONEY, TYPED_KINDS, answer_kinds, count_of, metadata_passages, passage_is
from knowledge.lexicon import MEASURES, STRICT_KINDS
from knowledge.semantic import Accents, passage_vectors
from knowledge.structure import Passage, parse_passages
from knowledge.text import TOKEN, clean, fold, segment, tokens
from knowledge.vocabulary import MAX_COMPOUND, Words, expand

log = logging.getLogger(__name__)

CODE = sorted(Path(__file__).parent.glob("*.py"))  # a change to the pipeline invalidates the caches too
LEAD_WORDS = 4  # "X làm gì?": a passage's opening words name who does it ('Văn phòng Sở ...')
BY_FACT = {"award": "award", "who": "responsibility"}  # kinds of question a kind of fact answers
KINDS = (*BY_FACT, *STRICT_KINDS, *TYPED_KINDS, "result", "item", "dated")


def plan_names(plan: Plan) -> list[str]:
    return [*plan.aliases, plan.issuer, plan.issuer_short]


def context_of(p: Passage) -> str:
    """The headings a passage stands under; a numbered paragraph heads itself, and is not counted twice."""
    return " ".join(h.title for h in p.path if h.title not in p.quote)


@dataclass(frozen=True)
class Grouped:
    compounds: frozenset[str]              # the compounds of the knowledge base its words run through
    body: list[list[str]]
    context: list[list[str]]
    lead: list[list[str]]
    title: list[str]


@dataclass
class Part:
    plan: Plan
    passages: list[Passage]
    compounds: frozenset[tuple[str, ...]]  # folded multi-syllable words underthesea finds in its texts
    facts: list[Fact]
    body: list[Words]                      # passage i's own words
    context: list[Words]                   # ... the headings it stands under
    lead: list[Words]                      # ... its opening words
    title: Words                           # the plan's title and issuer
    phrases: list[str]                     # passage i's folded words, spelt out, space-padded
    folded: list[str]                      # passage i's text, headings and plan's front matter, folded
    accented: str                          # every passage's accented words, space-padded
    syllables: frozenset[str]
    spellings: frozenset[str]
    text: str                              # the plan's words, folded, spelt out
    kinds: dict[str, np.ndarray]           # kind of question → the passages passage_is says answer it
    counts: dict[str, np.ndarray]          # measure → the passages that count it
    money: np.ndarray
    metadata: np.ndarray
    accents: tuple[Counter, Counter]       # spellings of its words and pairs of words
    ngrams: frozenset[str]                 # every run of 2 to 4 words its features may group, space-joined
    grouped: Grouped | None = None         # its features, grouped by the compounds of the last index built
    path: Path | None = None               # where the cache keeps it
    regrouped: bool = False                # grouped anew since it was read from there

    def grouped_by(self, compounds: frozenset[str]) -> Grouped:
        """Its features grouped by the knowledge base's compounds (space-joined): only those its own words
        run through change them, so they are regrouped only when a plan added or retired changes those."""
        relevant = self.ngrams & compounds
        if self.grouped is None or self.grouped.compounds != relevant:
            keys = frozenset(tuple(c.split()) for c in relevant)
            self.grouped = Grouped(relevant, *([w.features(keys) for w in words]
                                               for words in (self.body, self.context, self.lead)),
                                   self.title.features(keys))
            self.regrouped = True
        return self.grouped

    @classmethod
    def of(cls, plan: Plan) -> Part:
        body = parse_passages(plan.id, plan.body)
        passages = body + metadata_passages(plan, len(body))
        texts = [f"{p.quote} {p.heading}" for p in passages]
        spelt = [TOKEN.findall(clean(t).lower()) for t in texts]
        everything = " ".join(texts)
        phrases = [f" {' '.join(expand(tokens(t)))} " for t in texts]
        front = fold(f"{plan.title} {plan.number} {plan.issued} {plan.period}")
        words = {"body": [Words.of(p.quote, *answer_kinds(p.quote)) for p in passages],
                 "context": [Words.of(context_of(p)) for p in passages],
                 "lead": [Words.of(" ".join(p.text.split()[:LEAD_WORDS])) for p in passages],
                 "title": Words.of(f"{plan.title} {plan.issuer}")}
        return cls(
            plan=plan, passages=passages, compounds=_compounds(plan, passages),
            facts=extract([p for p in passages if p.path[:1] != (METADATA,)]), **words, phrases=phrases,
            folded=[f"{fold(p.quote)} {fold(p.heading)} {front}" for p in passages],
            accented=" ".join(f" {' '.join(w)} " for w in spelt),
            syllables=frozenset(t for t in tokens(everything) if t.isalpha()),
            spellings=frozenset(t for w in spelt for t in w),
            text=" ".join(expand(tokens(everything))),
            kinds={kind: np.array([passage_is(kind, p) for p in passages], dtype=bool) for kind in KINDS},
            counts={m: np.array([bool(count_of(m).search(t)) for t in phrases], dtype=bool) for m in MEASURES},
            money=np.array([bool(MONEY.search(p.quote)) for p in passages], dtype=bool),
            metadata=np.array([p.path == (METADATA,) for p in passages], dtype=bool),
            accents=Accents.spellings(texts),
            ngrams=_ngrams([*words["body"], *words["context"], *words["lead"], words["title"]]))


def _ngrams(texts: list[Words]) -> frozenset[str]:
    return frozenset(" ".join(w.words[i:i + n]) for w in texts
                     for n in range(2, MAX_COMPOUND + 1) for i in range(len(w.words) - n + 1))


def _compounds(plan: Plan, passages: list[Passage]) -> frozenset[tuple[str, ...]]:
    texts = sorted({text for p in passages for text in (p.quote, *(h.title for h in p.path))})
    found = {tuple(w.split()) for text in texts for w in segment(text) if " " in w}
    return frozenset(found | {tuple(tokens(n)) for n in plan_names(plan) if len(tokens(n)) > 1})


def code_digest() -> bytes:
    digest = hashlib.sha256()
    for path in CODE:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def text_key(text: str, code: bytes) -> str:
    """A plan text's fingerprint with the pipeline's."""
    return hashlib.sha256(code + hashlib.sha256(text.encode()).digest()).hexdigest()


def parts_of(texts: list[str], cache_dir: Path | None = None, code: bytes | None = None) -> list[Part]:
    """Each plan text's share, read from the cache when this version of the pipeline made it before."""
    code = code or code_digest()
    return [part_of(text, (cache_dir or caching.cache_dir()) / "parts", code) for text in texts]


def part_of(text: str, directory: Path, code: bytes) -> Part:
    path = directory / f"{text_key(text, code)[:24]}.pickle"
    part = None
    if path.exists():
        try:
            with path.open("rb") as fh:
                part = pickle.load(fh)
            caching.touch(path)  # in use: not pruned (knowledge/caching.py)
        except Exception:  # a corrupt or incompatible share is made again, never fatal
            log.warning("plan cache %s unreadable; rebuilding", path)
    if part is None:
        part = Part.of(parse_plan(text))
        part.regrouped = True
    part.path = path  # the cache may have moved since
    return part


def prepare(text: str, cache_dir: Path | None = None) -> Part:
    """A plan's share and its passages' vectors made ahead (while an admin reads its preview), so that
    once it is confirmed every process only assembles the index (embedding is ~0.1 s of CPU a passage)."""
    part = parts_of([text], cache_dir)[0]
    keep_regrouped([part])
    passage_vectors(part.passages)
    return part


def keep_regrouped(parts: list[Part]) -> None:
    """Each share made or grouped anew, written back for the next build."""
    for part in parts:
        if part.regrouped and part.path is not None:
            part.regrouped = False
            caching.write_atomic(part.path, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
