"""From typed text to matchable features, and from a question to a Query.

Features live in two spaces. Folded ("ho_so", "xa") lets an unaccented question meet the
accented plans; accented ("~xã") keeps the precision diacritics give when the asker typed
them ("đá bóng" is not "đa dạng"). Words are grouped into compounds by longest match
against the knowledge base's own words (found by underthesea when the index is built).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from underthesea.corpus import viet_dict_74K

from knowledge.lexicon import (ABBREVIATIONS, MEASURES, MONEY_PHRASES, MONEY_WORDS, QUESTION_WORDS, ROMAN_QUARTERS, STOPWORDS, STRICT_KINDS, SYNONYMS,
                               TOPIC_WORDS)
from knowledge.text import MAX_QUESTION_CHARS, TOKEN, clean, fold, tokens

MAX_COMPOUND = 4
ACCENT = "~"
_NUMBER = re.compile(r"^\d")
_I_OR_Y = re.compile(r"^(?:[bcdghklmnpstvx]|ch|gh|kh|nh|ph|qu|th|tr)[iy]$")


def dictionary() -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """Syllables (folded) and multi-syllable words (folded and accented) of underthesea's 74K-word
    dictionary: what is a real word, and which words go together."""
    accented = [tuple(clean(w).lower().split()) for w in viet_dict_74K.words]
    syllables = frozenset(fold(s) for w in accented for s in w if s.isalpha())
    compounds = {w for w in accented if 1 < len(w) <= MAX_COMPOUND and all(s.isalpha() for s in w)}
    return syllables, frozenset(compounds | {tuple(fold(s) for s in w) for w in compounds})


@dataclass(frozen=True)
class Vocabulary:  # frozen, but cached_property needs a __dict__: no slots
    syllables: frozenset[str]                      # folded syllables of the knowledge base
    compounds: frozenset[tuple[str, ...]]          # folded multi-syllable words of the knowledge base
    accented: frozenset[str]                       # accented syllables of the knowledge base
    plan_phrases: dict[tuple[str, ...], frozenset[str]]  # folded name → plans it names
    words: frozenset[str]                          # every Vietnamese syllable, folded (dictionary)
    lexicon: frozenset[tuple[str, ...]]            # every Vietnamese compound, accented and folded (dictionary)

    @cached_property
    def pairs(self) -> dict[str, list[tuple[str, ...]]]:
        """Two-syllable words of the knowledge base by their first syllable."""
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for compound in self.compounds:
            if len(compound) == 2:
                by_first.setdefault(compound[0], []).append(compound)
        return by_first

    def correct(self, token: str) -> tuple[str, ...]:
        """A token the knowledge base does not know: its likely intended form(s)."""
        if token in self.syllables or _NUMBER.match(token):
            return (token,)
        if _I_OR_Y.match(token):  # 'xử lí' / 'xử lý', 'kĩ' / 'kỹ': both spellings are correct
            variant = token[:-1] + ("y" if token.endswith("i") else "i")
            if variant in self.syllables:
                return (variant,)
        if token in self.words or len(token) < 3:
            return (token,)
        for cut in range(2, len(token) - 1):  # words typed together: "chitieu"
            if token[:cut] in self.syllables and token[cut:] in self.syllables:
                return token[:cut], token[cut:]
        limit = 1 if len(token) <= 4 else 2
        best = process.extractOne(token, self.syllables, scorer=Levenshtein.distance, score_cutoff=limit)
        return (best[0],) if best else (token,)


def group(words: list[str], compounds: frozenset[tuple[str, ...]], *more: frozenset[tuple[str, ...]]) -> list[str]:
    """Greedy longest-match grouping into compounds: ['ho','so','cap','xa'] → ['ho_so','cap','xa']."""
    out, i = [], 0
    while i < len(words):
        for n in range(min(MAX_COMPOUND, len(words) - i), 1, -1):
            key = tuple(words[i:i + n])
            if key in compounds or any(key in m for m in more):
                out.append("_".join(key))
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def concepts(words: list[str], accented: list[str] | None, vocab: Vocabulary, positions: list[int]) -> list[str]:
    """Units of meaning for judging whether the plans speak of the question at all: the knowledge
    base's words first, then other dictionary words among the runs of loose words left ('sổ đỏ',
    'kết hôn': the plans never say them). Accented input is looked up accented: 'sổ đỏ' is not 'số đó'."""
    out: list[str] = []
    run: list[int] = []
    i = 0
    while i < len(words):
        n = next((n for n in range(min(MAX_COMPOUND, len(words) - i), 1, -1)
                  if tuple(words[i:i + n]) in vocab.compounds), 1)
        adjacent = not run or positions[i] == positions[run[-1]] + 1
        loose = n == 1 and (accented is not None or words[i] not in STOPWORDS)  # accented: 'đỏ' is no 'do'
        if loose and adjacent:
            run.append(i)
        elif loose:
            out += _dictionary_words(run, words, accented, vocab)
            run = [i]
        else:
            out += _dictionary_words(run, words, accented, vocab)
            run = []
            out.append("_".join(words[i:i + n]))
        i += n
    return content(out + _dictionary_words(run, words, accented, vocab))


def _dictionary_words(run: list[int], words: list[str], accented: list[str] | None, vocab: Vocabulary) -> list[str]:
    keys = [accented[i] for i in run] if accented else []
    folded = [words[i] for i in run]
    out, i = [], 0
    while i < len(folded):
        n = next((n for n in range(min(MAX_COMPOUND, len(keys) - i), 1, -1)
                  if tuple(keys[i:i + n]) in vocab.lexicon), 1)
        out.append("_".join(folded[i:i + n]))
        i += n
    return out


def content(units: list[str]) -> list[str]:
    return [u for u in units if not all(s in STOPWORDS for s in u.split("_"))]


def with_syllables(units: list[str]) -> list[str]:
    return units + [s for u in units if "_" in u for s in u.split("_") if s not in STOPWORDS]


def accented_features(text: str, vocab: Vocabulary | None = None, skip: frozenset[str] = frozenset()) -> list[str]:
    """'~xã' for each word typed with diacritics (whose folded form the knowledge base knows)."""
    out = []
    for word in TOKEN.findall(text.lower()):
        folded = fold(word)
        if folded != word and folded not in STOPWORDS and folded not in skip:
            if vocab is None or folded in vocab.syllables:
                out.append(ACCENT + word)
    return out


def document_features(text: str, vocab: Vocabulary) -> list[str]:
    """The features of a passage: its words as a question's would be read ('UBND' as 'ủy ban nhân dân')."""
    return with_syllables(content(group(expand(tokens(text)), vocab.compounds))) + accented_features(clean(text))


@dataclass(frozen=True)
class Query:
    text: str                       # the cleaned question, accented as typed
    words: tuple[str, ...]          # folded, abbreviations expanded, typos corrected
    plans: frozenset[str]           # plans the question names
    intents: frozenset[str]         # kinds of answer wanted, by question words or topic words
    asked: frozenset[str]           # kinds named by question words alone ("khi nào", "bao nhiêu", "ai")
    units: tuple[str, ...]          # what the question is about: its coverage decides 'found'
    terms: tuple[str, ...]          # features to score
    expansions: tuple[str, ...] = ()  # synonym features, scored at a lower weight
    alternatives: tuple[tuple[str, frozenset[str]], ...] = ()  # unit → synonym features standing for it
    accented: bool = False          # typed with diacritics, every word read as typed
    parts: tuple[str, ...] = ()     # syllables of compound terms: weak evidence ('kết' of 'sơ kết')
    measure: str = ""               # what "bao nhiêu" counts: 'bo' of "bao nhiêu bộ"
    money: bool = False             # asks for an amount of money

    @property
    def is_empty(self) -> bool:
        return not self.units


def fix_pairs(words: list[str], vocab: Vocabulary) -> list[str]:
    """A typo that is itself a word ('chỉ tiu'): the knowledge base's word one letter away."""
    out = list(words)
    for i in range(len(out) - 1):
        pair = (out[i], out[i + 1])
        if pair[1] in vocab.syllables or pair in vocab.lexicon or len(pair[1]) < 3:
            continue
        for compound in vocab.pairs.get(pair[0], ()):
            if Levenshtein.distance(compound[1], pair[1]) == 1:
                out[i + 1] = compound[1]
                break
    return out


def expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        if i and words[i - 1] in ("quy", "q") and word in ROMAN_QUARTERS:
            out.append(ROMAN_QUARTERS[word])
        else:
            out.extend(ABBREVIATIONS.get(word, word).split())
    return out


def find_phrases(words: list[str], phrases: dict[tuple[str, ...], frozenset[str]]) -> list[tuple[int, int, frozenset[str]]]:
    """(length, start, value) of each phrase occurring in words."""
    found = []
    for phrase, value in phrases.items():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if words[i] == phrase[0] and tuple(words[i:i + n]) == phrase:
                found.append((n, i, value))
    return found


def find_plans(words: list[str], vocab: Vocabulary) -> tuple[frozenset[str], set[int]]:
    """Plans named in the words (longest names win), and the positions the names cover."""
    found = find_phrases(words, vocab.plan_phrases)
    if not found:
        return frozenset(), set()
    longest = max(n for n, _, _ in found)
    plans = frozenset().union(*(p for n, _, p in found if n == longest))
    return plans, {i + k for n, i, _ in found for k in range(n)}


def _cues(table: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], frozenset[str]]:
    cues: dict[tuple[str, ...], set[str]] = {}
    for kind, phrases in table.items():
        for phrase in phrases:
            cues.setdefault(tuple(phrase.split()), set()).add(kind)
    return {k: frozenset(v) for k, v in cues.items()}


_QUESTIONS, _TOPICS = _cues(QUESTION_WORDS), _cues(TOPIC_WORDS)


def find_intents(words: list[str], vocab: Vocabulary) -> tuple[frozenset[str], frozenset[str], set[int]]:
    """Kinds of answer wanted (all; by question words), and the positions of the words that only
    say so: question words, and the topic words of kinds only one part of a plan answers."""
    spans = _compound_spans(words, vocab)
    asked = [(n, i, k) for n, i, k in find_phrases(words, _QUESTIONS)  # 'đâu' is not the 'đấu' of 'phấn đấu'
             if not any(a < i + n and i < b and not (i <= a and b <= i + n) for a, b in spans)]
    topics = find_phrases(words, _TOPICS)
    by_question = frozenset().union(*(k for _, _, k in asked))
    kinds = by_question.union(*(k for _, _, k in topics))
    said = asked + [t for t in topics if t[2] & STRICT_KINDS]
    return kinds, by_question, {i + j for n, i, _ in said for j in range(n)}


def _compound_spans(words: list[str], vocab: Vocabulary) -> list[tuple[int, int]]:
    spans, i = [], 0
    for unit in group(words, vocab.compounds):
        n = unit.count("_") + 1
        if n > 1:
            spans.append((i, i + n))
        i += n
    return spans


def synonyms_of(words: list[str], vocab: Vocabulary) -> dict[str, set[str]]:
    """Each unit of a synonym phrase in the words → the features of what it may stand for."""
    padded = f" {' '.join(words)} "
    found: dict[str, set[str]] = {}
    for phrase, alternatives in SYNONYMS.items():
        if f" {phrase} " in padded:
            alt = {f for a in alternatives for f in with_syllables(content(group(a.split(), vocab.compounds)))}
            grouped = group(phrase.split(), vocab.compounds)
            for unit in {*grouped, *phrase.split(), "_".join(phrase.split())} - STOPWORDS:
                found.setdefault(unit, set()).update(alt)
    return found


def analyse(question: str, vocab: Vocabulary) -> Query:
    text = clean(question, limit=MAX_QUESTION_CHARS)
    words = fix_pairs([c for w in expand(tokens(text)) for c in vocab.correct(w)], vocab)
    plans, named = find_plans(words, vocab)
    intents, by_question, said = find_intents(words, vocab)
    kept = [i for i in range(len(words)) if i not in named and i not in said]
    rest = [words[i] for i in kept]
    typed = _aligned_accents(text, words)
    if typed:
        accents = accented_features(" ".join(typed[i] for i in kept), vocab)
    else:
        accents = accented_features(text, vocab, frozenset(words[i] for i in named | said))
    alternatives = synonyms_of(rest, vocab)
    grouped = content(group(rest, vocab.compounds))
    units = concepts(rest, typed and [typed[i] for i in kept], vocab, kept) + accents
    terms = grouped + accents
    parts = [p for p in with_syllables(grouped)[len(grouped):] if p not in terms]
    expansions = sorted({f for alt in alternatives.values() for f in alt} - set(terms))
    return Query(text, tuple(words), plans, intents, by_question, tuple(units), tuple(terms), tuple(expansions),
                 tuple((u, frozenset(a)) for u, a in alternatives.items()), typed is not None, tuple(parts),
                 measure_of(words), asks_money(words, typed, by_question))


def asks_money(words: list[str], typed: list[str] | None, asked: frozenset[str]) -> bool:
    folded = f" {' '.join(words)} "
    return (any(f" {phrase} " in folded for phrase in MONEY_PHRASES)
            or bool("figure" in asked and typed and MONEY_WORDS.intersection(typed)))


def measure_of(words: list[str]) -> str:
    """The noun counted by "bao nhiêu" / "mấy", if the question counts something."""
    for i, word in enumerate(words[:-1]):
        if (word == "may" or words[i - 1:i + 1] == ["bao", "nhieu"]) and words[i + 1] in MEASURES:
            return words[i + 1]
    return ""


def _aligned_accents(text: str, words: list[str]) -> list[str] | None:
    """The accented form of each word, when the asker typed diacritics and nothing was rewritten."""
    typed = TOKEN.findall(text.lower())
    if len(typed) != len(words) or typed == words or any(fold(t) != w for t, w in zip(typed, words)):
        return None
    return typed
