"""Whether the plans speak of a question at all: the coverage of its units by a passage.

A component the knowledge base holds, constructed with what it reads (inverse frequencies,
feature sets, folded phrases, kind masks); it decides nothing about ranking.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from knowledge.kinds import TYPED_KINDS
from knowledge.lexicon import STRICT_KINDS
from knowledge.query import Query
from knowledge.vocabulary import ACCENT

STRICT_OR_TYPED = STRICT_KINDS | set(TYPED_KINDS)
INTENT_MATCH = 2.0  # a passage of the kind asked for answers the question word itself
UNKNOWN_WEIGHT, KNOWN_MISSING_WEIGHT = 4.0, 0.5
ACCENT_WEIGHT = 0.5  # accented units repeat folded ones: they refine coverage, not double it


class Coverage:
    def __init__(self, idf: dict[str, float], doc_sets: list[tuple[str, ...]], phrases: list[str],
                 kinds: dict[str, np.ndarray], plan_of: np.ndarray, money: np.ndarray,
                 counts: dict[str, np.ndarray]) -> None:
        self._idf = idf                # feature → its weight
        self._doc_sets = doc_sets      # passage i → its features (body, headings, plan title), sorted
        self._phrases = phrases        # passage i → its folded words, space-padded
        self._all_text = " ".join(phrases)
        self._kinds = kinds            # kind of question → the passages that can answer it
        self._plan_of = plan_of        # passage i → its plan id
        self._money = money            # passage i states a sum of money
        self._counts = counts          # measure → the passages that count it

    def is_unknown(self, unit: str, query: Query) -> bool:
        """A unit of the question the plans never use, nor anything it may stand for; typed with
        diacritics, a word the plans only use with others ('lương': only 'lượng')."""
        if unit in dict(query.alternatives):
            return False
        if unit in self._idf:
            return not all(self._idf.keys() & forms for forms in self._accents(unit, query))
        return "_" not in unit or f" {unit.replace('_', ' ')} " not in self._all_text

    @staticmethod
    def _accents(unit: str, query: Query) -> list[frozenset[str]]:
        """For each syllable of a folded unit typed with diacritics, the accented features it was typed as."""
        typed = dict(query.accents)
        return [typed[s] for s in unit.split("_") if s in typed]

    def coverage(self, query: Query, i: int) -> float:
        """How fully passage i speaks of what the question is about. A word the plans never use
        ('sổ đỏ', 'lương') weighs most against; one they use elsewhere, little: askers paraphrase."""
        units = set(query.units)
        kind_matches = sum(bool(self._kinds[k][i]) for k in query.intents & STRICT_OR_TYPED)
        if not units:
            return 1.0 if kind_matches else 0.0
        alternatives = dict(query.alternatives)
        matched = missing = 0.0
        for unit in sorted(units):  # a fixed order: float sums must not depend on hash seeds
            scale = ACCENT_WEIGHT if unit.startswith(ACCENT) else 1.0
            idf = self._idf.get(unit)
            if self._speaks_of(unit, query, i) or any(self._says(a, i) for a in alternatives.get(unit, ())):
                matched += scale * (idf or self._idf.get(unit.split("_")[-1], 0.0))
            elif self.is_unknown(unit, query):
                missing += UNKNOWN_WEIGHT
            else:
                missing += scale * KNOWN_MISSING_WEIGHT * min(idf or 0.0, 2.0)
        matched += INTENT_MATCH * kind_matches
        return matched / (matched + missing) if matched else 0.0

    def _speaks_of(self, unit: str, query: Query, i: int) -> bool:
        """Passage i says the unit, with the diacritics the asker typed."""
        features = self._doc_sets[i]
        forms = self._accents(unit, query)
        return self._says(unit, i) and all(any(_has(features, f) for f in typed) for typed in forms)

    def _says(self, unit: str, i: int) -> bool:
        """Passage i (or its headings) has the feature, or the words of the phrase in a row."""
        return _has(self._doc_sets[i], unit) or ("_" in unit and f" {unit.replace('_', ' ')} " in self._phrases[i])

    def states_what_is_asked(self, query: Query, plan_ids: frozenset[str] | None) -> bool:
        """'bao nhiêu tiền?' needs a sum of money, 'mấy bộ?' a count of bộ: if no passage in scope
        states one, the plans do not say, however well the other words match."""
        scope = np.isin(self._plan_of, list(plan_ids)) if plan_ids else np.ones(len(self._plan_of), dtype=bool)
        if query.money and not (self._money & scope).any():
            return False
        return not query.measure or bool((self._counts[query.measure] & scope).any())


def _has(features: tuple[str, ...], feature: str) -> bool:
    """Whether the sorted features hold it."""
    at = bisect_left(features, feature)
    return at < len(features) and features[at] == feature
