"""From a typed question to a Query: its words, named plans, kind of answer wanted and features."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.lexicon import (
    MEASURES,
    PLURAL,
    QUESTION_ACCENTS,
    QUESTION_FRAME,
    QUESTION_WORDS,
    STOPWORDS,
    STRICT_KINDS,
    TOPIC_WORDS,
)
from knowledge.question_forms import (
    UNDATED,
    addressees,
    asks_money,
    count_asked,
    deadline_word,
    document_number,
    names_stage,
)
from knowledge.text import MAX_QUESTION_CHARS, TOKEN, clean, fold
from knowledge.vocabulary import (
    Phrases,
    Vocabulary,
    accented_features,
    concepts,
    content,
    expand_at,
    fix_pairs,
    group,
    with_syllables,
)


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
    alternatives: tuple[tuple[str, frozenset[str]], ...] = ()  # unit → synonym phrases standing for it
    accents: tuple[tuple[str, frozenset[str]], ...] = ()  # syllable → its accented features as typed
    parts: tuple[str, ...] = ()     # syllables of compound terms: weak evidence ('kết' of 'sơ kết')
    measure: str = ""               # what "bao nhiêu" counts: 'bo' of "bao nhiêu bộ"
    money: bool = False             # asks for an amount of money
    focus: tuple[str, ...] = ()     # the nouns the question phrase asks about ('hình thức' of 'hình thức nào')

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no content, and no kind of passage named ("ai ký?" names one)."""
        return not self.units and not self.intents & STRICT_KINDS


def find_plans(words: list[str], vocab: Vocabulary) -> tuple[frozenset[str], set[int]]:
    """Plans named in the words (longest names win), and the positions the names cover."""
    found = vocab.plan_phrases.find(words)
    if not found:
        return frozenset(), set()
    longest = max(n for n, _, _ in found)
    plans = frozenset().union(*(p for n, _, p in found if n == longest))
    return plans, {i + k for n, i, _ in found for k in range(n)}


_BEFORE_NAME = frozenset(["o", "tai", "cua", "thuoc", "cho"])  # 'ở', 'tại', 'của'... a plan's name


def without_plan_names(text: str, vocab: Vocabulary) -> str:
    """The question without the names of plans it gives ('Ở Bù Gia Mập, ...'): once the scope is that plan,
    a name only draws meaning to the passages that name the place (its header, its scope), not to what is asked."""
    folded = fold(text)
    if len(folded) != len(text):  # not NFC: the folded words' places are not the text's
        return text
    spans = [(m.start(), m.end()) for m in TOKEN.finditer(folded)]
    words = [folded[a:b] for a, b in spans]
    cut: set[int] = set()
    for n, i, _ in vocab.plan_phrases.find(words):
        cut |= set(range(i - (i > 0 and words[i - 1] in _BEFORE_NAME), i + n))
    if not cut:
        return text
    kept, last = [], 0
    for k, (a, b) in enumerate(spans):
        if k in cut:
            kept.append(text[last:a])
            last = b
    kept.append(text[last:])
    return re.sub(r"\s+([,?.!:;])", r"\1", " ".join("".join(kept).split())).strip(" ,;:") or text


def _cues(table: dict[str, tuple[str, ...]]) -> Phrases:
    cues: dict[tuple[str, ...], set[str]] = {}
    for kind, phrases in table.items():
        for phrase in phrases:
            cues.setdefault(tuple(phrase.split()), set()).add(kind)
    return Phrases({k: frozenset(v) for k, v in cues.items()})


_QUESTIONS, _TOPICS = _cues(QUESTION_WORDS), _cues(TOPIC_WORDS)


def find_intents(words: list[str], typed: list[str], vocab: Vocabulary, named: set[int] = frozenset(),
                 strict: bool = True) -> tuple[frozenset[str], frozenset[str], set[int], set[int]]:
    """Kinds of answer wanted (all; by question words), and the positions of the words that only
    say so: question words, and the topic words of kinds only one part of a plan answers; and among
    them, the nouns asked about. A plan's name says nothing of the kind ('thương binh' of 'Sở LĐTBXH')."""
    spans = _compound_spans(words, vocab)
    asked = [(n, i, k) for n, i, k in _QUESTIONS.find(words)  # 'đâu' is not the 'đấu' of 'phấn đấu'
             if not any(a < i + n and i < b and not (i <= a and b <= i + n) for a, b in spans)
             and _typed_as_question(typed[i:i + n]) and named.isdisjoint(range(i, i + n))]
    asked = [q for q in asked if not any(_within(q, longer) for longer in asked)]  # 'gồm những ai' is no 'ai'
    if not asked:
        asked = [q for q in count_asked(words, typed) if named.isdisjoint(range(q[1], q[1] + 1))]
    topics = [t for t in _TOPICS.find(words) if named.isdisjoint(range(t[1], t[1] + t[0]))
              and not ("number" in t[2] and _cites(words)) and not ("period" in t[2] and names_stage(words))]
    topics += document_number(words) + addressees(words)
    by_question = frozenset().union(*(k for _, _, k in asked))
    if by_question & {"when", "day", "quarter"}:  # 'hạn gửi kế hoạch … ngày nào?': a date, not the addressees
        topics = [t for t in topics if not t[2] <= UNDATED]
    if any(i and words[i - 1] in PLURAL for _, i, _ in asked):  # 'những văn bản nào': all of them
        by_question |= {"list"}
    kinds = by_question.union(*(k for _, _, k in topics))
    said = asked + [t for t in topics if t[2] & STRICT_KINDS and strict]
    phrases = spans + [(i, i + n) for n, i, _ in topics]  # 'hạn chót', 'hạn nộp' are the plans' words too
    framing = {i + j for n, i, _ in said for j in range(n)} | deadline_word(words, phrases, by_question)
    return kinds, by_question, framing, focus_of(words, asked, vocab)


def _cites(words: list[str]) -> bool:
    """'Kế hoạch 162/KH-UBND ban hành ngày nào?': the number and date asked are a cited document's, not the plan's."""
    return any(w[:1].isdigit() for w in words)


def focus_of(words: list[str], asked: list[tuple[int, int, frozenset[str]]], vocab: Vocabulary) -> set[int]:
    """Positions of the nouns question phrases ask about ('đơn vị' of 'đơn vị nào'): what the answer
    is, matched as content and first of all, unless only one part of a plan answers."""
    focus: set[int] = set()
    for n, i, kinds in asked:
        if kinds & STRICT_KINDS:
            continue
        for unit in group(words[i:i + n], vocab.compounds):
            size = unit.count("_") + 1
            if content([u for u in [unit] if not set(u.split("_")) <= QUESTION_FRAME], vocab.compounds):
                focus.update(range(i, i + size))
            i += size
    return focus


def _within(short: tuple[int, int, frozenset[str]], long: tuple[int, int, frozenset[str]]) -> bool:
    (n, i, _), (m, j, _) = short, long
    return m > n and j <= i and i + n <= j + m


def _typed_as_question(typed: list[str]) -> bool:
    """Typed with diacritics, a question word must carry its own: 'lần đầu' asks nothing of 'đâu'."""
    return all(QUESTION_ACCENTS.get(fold(t), t) == t or fold(t) == t for t in typed)


def _compound_spans(words: list[str], vocab: Vocabulary) -> list[tuple[int, int]]:
    spans, i = [], 0
    for unit in group(words, vocab.compounds):
        n = unit.count("_") + 1
        if n > 1:
            spans.append((i, i + n))
        i += n
    return spans


def synonyms_of(words: list[str], vocab: Vocabulary) -> dict[str, set[str]]:
    """Each unit of a synonym phrase in the words → the phrases it may stand for, each whole
    ('phổ_cập_kỹ_năng_số': not any 'số')."""
    padded = f" {' '.join(words)} "
    found: dict[str, set[str]] = {}
    for phrase, alternatives in vocab.stand_ins:
        if f" {phrase} " in padded:
            alt = {"_".join(a.split()) for a in alternatives}
            grouped = group(phrase.split(), vocab.compounds)
            for unit in {*grouped, *phrase.split(), "_".join(phrase.split())} - STOPWORDS:
                found.setdefault(unit, set()).update(alt)
    return found


_SLASHED = re.compile(r"\b([bkq])\s*/\s*([chdđ])\b")  # office shorthand with a slash: 'k/h' kế hoạch, 'b/c' báo cáo


def read(text: str, vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """The question's words, folded (abbreviations spelt out, typos corrected), and each as typed:
    accented where the asker's word was kept, folded where it was rewritten."""
    raw = TOKEN.findall(_SLASHED.sub(lambda m: m.group(1) + m.group(2), text.lower()))
    folded = [fold(t) for t in raw]
    words, typed = [], []
    for i, token in enumerate(raw):
        out = [c for w in expand_at(folded, i) for c in vocab.correct(w)]
        words += out
        typed += [token] if out == [folded[i]] else out
    fixed = _tier_initials(fix_pairs(words, vocab), vocab)
    return fixed, [t if w == f else w for t, w, f in zip(typed, fixed, words, strict=False)]


_INITIALS = {"h": "huyen", "x": "xa", "t": "tinh", "p": "phuong"}  # 'UBND h. Hải Lăng', 'x. Cát Nê'


def _tier_initials(words: list[str], vocab: Vocabulary) -> list[str]:
    """An initial standing for the tier before a unit's name, where spelt out it names a plan."""
    out = list(words)
    for i, word in enumerate(words):
        if word in _INITIALS and i + 1 < len(words):
            spelt = [*out[:i], _INITIALS[word], *out[i + 1:]]
            if any(start <= i < start + n for n, start, _ in vocab.plan_phrases.find(spelt)):
                out = spelt
    return out


def analyse(question: str, vocab: Vocabulary, strict: bool = True) -> Query:
    """`strict`: the topic words of a kind only one part of a plan answers ('hết hạn': the period) say
    only that; not strict, they are content like any other, for when no such part answers."""
    text = clean(question, limit=MAX_QUESTION_CHARS)
    words, typed = read(text, vocab)
    accented = typed != words
    plans, named = find_plans(words, vocab)
    intents, by_question, said, focus = find_intents(words, typed, vocab, named, strict)
    said -= focus
    kept = [i for i in range(len(words)) if i not in named and i not in said]
    rest = [words[i] for i in kept]
    accents = accented_features(" ".join(typed[i] for i in kept), vocab)
    typed_as = _accents_of(rest, [typed[i] for i in kept], vocab)
    alternatives = synonyms_of(rest, vocab)
    for unit, alt in list(alternatives.items()):  # '~buộc' stands for what 'bắt buộc' does
        for syllable in unit.split("_"):
            for feature in dict(typed_as).get(syllable, ()):
                alternatives.setdefault(feature, set()).update(alt)
    grouped = content(group(rest, vocab.compounds), vocab.compounds)
    accents = _misaccented_dropped(accents, grouped, vocab)
    units = concepts(rest, [typed[i] for i in kept] if accented else None, vocab, kept) + accents
    terms = grouped + accents
    parts = [p for p in with_syllables(grouped)[len(grouped):] if p not in terms]
    phrases = sorted({a for alt in alternatives.values() for a in alt})
    stand_ins = [f for a in phrases for f in content(group(a.split("_"), vocab.compounds), vocab.compounds)]
    expansions = sorted(set(with_syllables(stand_ins)) - set(terms))
    return Query(text=text, words=tuple(words), plans=plans, intents=intents, asked=by_question,
                 units=tuple(units), terms=tuple(terms), expansions=tuple(expansions),
                 alternatives=tuple((u, frozenset(a)) for u, a in alternatives.items()),
                 accents=typed_as, parts=tuple(parts), focus=tuple(content(group([words[i] for i in sorted(focus)],
                                                                                 vocab.compounds))),
                 measure=measure_of(words), money=asks_money(words, typed if accented else None, by_question))


def _misaccented_dropped(accents: list[str], grouped: list[str], vocab: Vocabulary) -> list[str]:
    """'hô sơ khen thương tông kêt': in a compound of the plans ('hồ sơ', 'khen thưởng'), a syllable the
    plans never spell as typed is a slip of the diacritics; the compound already says what was meant."""
    in_compounds = {s for unit in grouped if "_" in unit for s in unit.split("_")}
    return [a for a in accents if a[1:] in vocab.spellings or fold(a[1:]) not in in_compounds]


def _accents_of(words: list[str], typed: list[str], vocab: Vocabulary) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each folded syllable typed with diacritics → the accented features it was typed as: 'lương'
    is not the 'lượng' of 'số lượng', whatever the folded forms say."""
    forms: dict[str, set[str]] = {}
    for word, as_typed in zip(words, typed, strict=False):
        feature = accented_features(as_typed, vocab)
        forms.setdefault(word, set()).add(feature[0] if feature else "")
    return tuple((w, frozenset(f)) for w, f in forms.items() if "" not in f)


def measure_of(words: list[str]) -> str:
    """The noun counted by "bao nhiêu" / "mấy", if the question counts something."""
    for i, word in enumerate(words[:-1]):
        if ((word == "may" or words[i - 1:i + 1] == ["bao", "nhieu"]) and words[i + 1] in MEASURES
                and words[i + 2:i + 3] != ["nao"]):  # 'số mấy, ngày nào?': the day is asked, not counted
            return words[i + 1]
    return ""
