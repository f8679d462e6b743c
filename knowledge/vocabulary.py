"""Words as matching reads them: the knowledge base's vocabulary and the features of a text.

Features live in two spaces. Folded ("ho_so", "xa") lets an unaccented question meet the
accented plans; accented ("~xã") keeps the precision diacritics give when the asker typed
them ("đá bóng" is not "đa dạng"). Words are grouped into compounds by longest match
against the knowledge base's own words (found by underthesea when the index is built).
"""

from __future__ import annotations

import pickle
import re
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.metadata import version

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from underthesea.corpus import viet_dict_74K

from knowledge.caching import cache_dir, write_atomic
from knowledge.lexicon import (
    ABBREVIATIONS,
    FUNCTION_COMPOUNDS,
    NUMBERED_ABBREVIATIONS,
    ROMAN_QUARTERS,
    STOPWORD_SPELLINGS,
    STOPWORDS,
)
from knowledge.text import TOKEN, clean, fold, tokens
from knowledge.thesaurus import NEIGHBOURS, SYNONYMS

MAX_COMPOUND = 4
ACCENT = "~"
_NUMBER = re.compile(r"^\d")
_DOCUMENT_NUMBER = re.compile(r"^\d+/\d{4}")
_I_OR_Y = re.compile(r"^(?:[bcdghklmnpstvx]|ch|gh|kh|nh|ph|qu|th|tr)[iy]$")


@lru_cache(maxsize=1)
def dictionary() -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """Syllables and multi-syllable words (folded and accented) of underthesea's 74K-word
    dictionary: what is a real word, and which words go together. Read from the on-disk cache when
    another process made it: normalising 74K words takes seconds of every index build."""
    path = cache_dir() / f"dictionary-{version('underthesea')}-{len(viet_dict_74K.words)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # absent or unreadable: made again
        made = _dictionary()
    write_atomic(path, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    return made


def _dictionary() -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    accented = [tuple(clean(w).lower().split()) for w in viet_dict_74K.words]
    syllables = frozenset(form for w in accented for s in w if s.isalpha() for form in (s, fold(s)))
    compounds = {w for w in accented if 1 < len(w) <= MAX_COMPOUND and all(s.isalpha() for s in w)}
    return syllables, frozenset(compounds | {tuple(fold(s) for s in w) for w in compounds})


@dataclass(frozen=True)
class Vocabulary:  # frozen, but cached_property needs a __dict__: no slots
    syllables: frozenset[str]                      # folded syllables of the knowledge base
    compounds: frozenset[tuple[str, ...]]          # folded multi-syllable words of the knowledge base
    plan_phrases: Phrases                          # folded names → the plans they name
    words: frozenset[str]                          # every Vietnamese syllable, accented and folded (dictionary)
    lexicon: frozenset[tuple[str, ...]]            # every Vietnamese compound, accented and folded (dictionary)
    text: str = ""                                 # the knowledge base's words, folded, spelt out, space-padded
    spellings: frozenset[str] = frozenset()        # the knowledge base's syllables, accented

    def knows(self, phrase: str) -> bool:
        """The plans use the phrase (folded) themselves."""
        return f" {phrase} " in self.text

    @cached_property
    def stand_ins(self) -> list[tuple[str, tuple[str, ...]]]:
        """The thesaurus for these plans: a word of a group stands for the neighbours the plans use,
        when the plans never use it themselves."""
        neighbours = [(w, tuple(n for n in others if self.knows(n))) for w, others in NEIGHBOURS.items()
                      if not self.knows(w)]
        return [*SYNONYMS.items(), *((w, n) for w, n in neighbours if n)]

    @cached_property
    def ordered_syllables(self) -> tuple[str, ...]:
        """The syllables in a fixed order: of equally near corrections the first wins, whatever the hash seed."""
        return tuple(sorted(self.syllables))

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
        best = process.extractOne(token, self.ordered_syllables, scorer=Levenshtein.distance, score_cutoff=limit)
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
        if n == 1 and (word := _straddling(words, accented, i, vocab)):
            out += _dictionary_words(run, words, accented, vocab)
            run = []
            out.append(word)
            i += word.count("_") + 1
            continue
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
    return content(out + _dictionary_words(run, words, accented, vocab), vocab.compounds)


def _straddling(words: list[str], accented: list[str] | None, i: int, vocab: Vocabulary) -> str:
    """A dictionary word the plans never use, starting at i, that a word of theirs would cut in two:
    'đăng ký | kết hôn' is not 'đăng | ký kết | hôn' (the plans say 'ký kết', never 'đăng ký'); 'một cửa'
    they use, and leave to their own words. Folded, as a unit; else ''."""
    keys = accented or words
    for n in range(min(MAX_COMPOUND, len(words) - i), 1, -1):
        cut = any(tuple(words[j:j + m]) in vocab.compounds for j in range(i + 1, i + n)
                  for m in range(2, MAX_COMPOUND + 1) if j + m > i + n)
        if cut and tuple(keys[i:i + n]) in vocab.lexicon and not vocab.knows(" ".join(words[i:i + n])):
            return "_".join(words[i:i + n])
    return ""


def _dictionary_words(run: list[int], words: list[str], accented: list[str] | None, vocab: Vocabulary) -> list[str]:
    folded = [words[i] for i in run]
    keys = [accented[i] for i in run] if accented else folded  # unaccented: 'that nghiep' is 'thất nghiệp' too
    out, i = [], 0
    while i < len(folded):
        n = next((n for n in range(min(MAX_COMPOUND, len(keys) - i), 1, -1)
                  if tuple(keys[i:i + n]) in vocab.lexicon), 1)
        out.append(ACCENT + keys[i] if n == 1 and keys and _unknown_non_function(keys[i], vocab)
                   else "_".join(folded[i:i + n]))
        i += n
    return out


def _a_syllable(word: str, vocab: Vocabulary) -> bool:
    return word in vocab.spellings or word in vocab.words or not vocab.words  # no dictionary: trust the typing


def _unknown_non_function(word: str, vocab: Vocabulary) -> bool:
    """Typed with the diacritics of a word of its own, not of the function word it folds to ('cờ' is
    no 'có', 'đỏ' no 'do'), a word the plans never use: folded, it would be dropped as a function word
    and 'Cờ thi đua' read as 'thi đua'; as '~cờ' it is unknown, and weighs against coverage. One the
    plans use ('bản', 'cơ') is left to the compounds it makes ('văn bản', 'cơ quan'): the index has no
    accented feature of it to match.
    A misspelt function word ('đươc') is no word: it stays a function word."""
    return (word != fold(word) and fold(word) in STOPWORDS and word not in STOPWORD_SPELLINGS
            and word in vocab.words and word not in vocab.spellings)


def content(units: list[str], words: frozenset[tuple[str, ...]] = frozenset()) -> list[str]:
    """The units that carry meaning: not function words, unless together they make one of the given
    words ('văn bản' of 'vẫn' and 'bạn')."""
    return [u for u in units if not all(s in STOPWORDS for s in u.split("_"))
            or (tuple(u.split("_")) in words and u not in FUNCTION_COMPOUNDS)]


def with_syllables(units: list[str]) -> list[str]:
    return units + [s for u in units if "_" in u for s in u.split("_") if s not in STOPWORDS]


def accented_features(text: str, vocab: Vocabulary | None = None, skip: frozenset[str] = frozenset()) -> list[str]:
    """'~xã' for each word typed with diacritics (whose folded form the knowledge base knows); with the
    vocabulary, only a spelling that is a syllable of Vietnamese: 'vưa', 'trưc' are typos of their diacritics,
    whose folded form says what was meant ('lương' is a word, and is no 'lượng')."""
    out = []
    for word in TOKEN.findall(text.lower()):
        folded = fold(word)
        if (folded != word and folded not in STOPWORDS and folded not in skip
                and (vocab is None or (folded in vocab.syllables and _a_syllable(word, vocab)))):
            out.append(ACCENT + word)
    return out


@dataclass(frozen=True, slots=True)
class Words:
    """A text as its features are made from it, before the knowledge base's compounds group it: what one
    plan's text gives alone, so a plan's share of the index is built once (see parts.py)."""
    words: tuple[str, ...]   # folded tokens, abbreviations spelt out ('UBND' as 'ủy ban nhân dân')
    extra: tuple[str, ...]   # document numbers and accented features, which no grouping changes

    @classmethod
    def of(cls, text: str, *more: str) -> Words:
        words = tokens(text)
        numbers = [w.split("/")[0] for w in words if _DOCUMENT_NUMBER.match(w)]  # 'nghị định 42' is 42/2022
        return cls(tuple(expand(words)), (*numbers, *accented_features(clean(text)), *more))

    def features(self, compounds: frozenset[tuple[str, ...]]) -> list[str]:
        grouped = content(group(list(self.words), compounds), compounds)
        # interned: one string per feature across all passages (pickled once, loaded shared: ~4× less memory)
        return [sys.intern(f) for f in (*with_syllables(grouped), *self.extra)]


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
    return [w for i in range(len(words)) for w in expand_at(words, i)]


def expand_at(words: list[str], i: int) -> list[str]:
    """Word i as matching reads it: an abbreviation spelt out, 'quý 4' as 'quý iv'."""
    if i and words[i - 1] in ("quy", "q") and words[i] in ROMAN_QUARTERS:
        return [ROMAN_QUARTERS[words[i]]]
    if words[i] in NUMBERED_ABBREVIATIONS and _NUMBER.match(next((w for w in words[i + 1:i + 3] if w != "so"), "")):
        return NUMBERED_ABBREVIATIONS[words[i]].split()
    return ABBREVIATIONS.get(words[i], words[i]).split()


class Phrases:
    """A table of word sequences → values, found in a question by their first word."""

    def __init__(self, table: dict[tuple[str, ...], frozenset[str]]) -> None:
        self.table = table
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in table:
            self.by_first.setdefault(phrase[0], []).append(phrase)

    def find(self, words: list[str]) -> list[tuple[int, int, frozenset[str]]]:
        """(length, start, value) of each phrase occurring in words."""
        return [(len(phrase), i, self.table[phrase]) for i, word in enumerate(words)
                for phrase in self.by_first.get(word, ()) if tuple(words[i:i + len(phrase)]) == phrase]
