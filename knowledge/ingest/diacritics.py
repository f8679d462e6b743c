"""Restoring lost Vietnamese diacritics of an OCR'd text from the accented plans' own words.

Cheap and conservative: a word is rewritten only when its folded form is a word of the accented
corpus (the packaged plans), and its accented form is chosen by the words around it (the corpus's
three- and two-word sequences, then its commonest form). Numbers, punctuation and words the corpus
does not know are left as they are; case is kept. It is a help for reading an OCR'd plan, not a
repair: the warning that asks for a review stays.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.text import fold

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass
class Model:
    unigram: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    bigram: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    after: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    trigram: dict[tuple[str, str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))


def train(texts: Iterable[str]) -> Model:
    model = Model()
    for text in texts:
        words = [w.lower() for w in _WORD.findall(text)]
        folded = [fold(w) for w in words]
        for i, (w, f) in enumerate(zip(words, folded, strict=True)):
            model.unigram[f][w] += 1
            if i:
                model.bigram[(folded[i - 1], f)][w] += 1
            if i + 1 < len(words):
                model.after[(f, folded[i + 1])][w] += 1
            if i > 1:
                model.trigram[(folded[i - 2], folded[i - 1], f)][w] += 1
    return model


def default_model(texts: Iterable[str] | None = None) -> Model:
    """The packaged plans' words (or `texts`'), with the provinces' names."""
    from knowledge.documents import load_plans
    from knowledge.ingest.metadata import PROVINCES

    corpus = list(texts) if texts is not None else [p.body for p in load_plans()]
    return train([*corpus, " . ".join(f"tỉnh {name}" for name in PROVINCES)])


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def restore(text: str, model: Model) -> tuple[str, int]:
    """The text with known words accented by context; and how many words changed."""
    matches = list(_WORD.finditer(text))
    folded = [fold(m.group(0)) for m in matches]
    out, last, changed = [], 0, 0
    for i, m in enumerate(matches):
        word, f = m.group(0), folded[i]
        choice = None
        for counter in (model.trigram.get((folded[i - 2], folded[i - 1], f)) if i > 1 else None,
                        model.bigram.get((folded[i - 1], f)) if i else None,
                        model.after.get((f, folded[i + 1])) if i + 1 < len(matches) else None,
                        model.unigram.get(f)):
            if counter and sum(counter.values()):
                choice = counter.most_common(1)[0][0]
                break
        new = _cased(choice, word) if choice else word
        if new != word:
            changed += 1
        out.append(text[last:m.start()])
        out.append(new)
        last = m.end()
    out.append(text[last:])
    return "".join(out), changed
