"""How close automatic ingestion comes to the hand-cleaned plans.

    python -m knowledge.ingest.evaluate [../shared/plans]

For each raw extraction (shared/plans/<id>.txt, or <id>.ocr.txt) against knowledge/plans/<id>.md:
metadata field by field (exact, and equal once folded — an OCR'd text has lost its diacritics), the
legal bases by document number, and the facts of the automatic body against those of the hand-cleaned
one (target and deadline values found, as a share of the hand-cleaned plan's).
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.documents import Plan, load_plans
from knowledge.facts import extract
from knowledge.ingest import IngestedPlan, read_document
from knowledge.structure import parse_passages
from knowledge.text import fold

FIELDS = ("id", "issuer", "issuer_short", "level", "province", "number", "issued", "place", "title", "signer_name",
          "signer_title", "period", "valid_until")
_DOC_NUMBER = re.compile(r"\d+[\w.]*(?:-[\w]+)?/[\w/-]+")


@dataclass
class Comparison:
    plan_id: str
    fields: dict[str, tuple[str, str, bool, bool]] = field(default_factory=dict)  # auto, hand, exact, folded
    legal: tuple[int, int, int] = (0, 0, 0)       # found, hand, auto
    recipients: tuple[int, int, int] = (0, 0, 0)  # folded-equal, hand, auto
    facts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # kind → (matched, hand, auto)
    missing_numbers: list[str] = field(default_factory=list)
    accents: tuple[int, int] = (0, 0)             # words spelt exactly as the hand-cleaned text, of those aligned
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def _value(plan: Plan, name: str) -> str:
    if name == "period":
        return plan.period
    return str(getattr(plan, name))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\s*-\s*", " - ", fold(text)).replace("“", "\"").replace("”", "\"").split())


def _fact_values(plan_id: str, body: str) -> dict[str, Counter]:
    facts = extract(parse_passages(plan_id, body))
    return {kind: Counter(f.value for f in facts if f.kind == kind) for kind in ("target", "deadline", "award")}


def accent_agreement(auto: str, hand: str) -> tuple[int, int]:
    """(words spelt exactly as in `hand`, words aligned): the words of both texts aligned on their folded
    forms; how many of the aligned ones carry the same diacritics."""
    words = re.compile(r"[^\W\d_]+")
    a, h = words.findall(auto), words.findall(hand)
    matcher = difflib.SequenceMatcher(a=[fold(w) for w in a], b=[fold(w) for w in h], autojunk=False)
    same = total = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            total += i2 - i1
            same += sum(x == y for x, y in zip(a[i1:i2], h[j1:j2], strict=True))
    return same, total


def compare(ingested: IngestedPlan, hand: Plan) -> Comparison:
    auto = ingested.plan
    result = Comparison(hand.id, seconds=ingested.seconds, warnings=list(ingested.warnings),
                        missing_numbers=ingested.missing_numbers)
    for name in FIELDS:
        a, h = _value(auto, name), _value(hand, name)
        result.fields[name] = (a, h, a == h, _norm(a) == _norm(h))
    hand_docs = {fold(m.group(0)) for b in hand.legal_bases for m in [_DOC_NUMBER.search(b)] if m}
    auto_docs = {fold(m.group(0)) for b in auto.legal_bases for m in [_DOC_NUMBER.search(b)] if m}
    result.legal = (len(hand_docs & auto_docs), len(hand_docs), len(auto_docs))
    result.accents = accent_agreement(auto.body, hand.body)
    hand_r, auto_r = Counter(map(_norm, hand.recipients)), Counter(map(_norm, auto.recipients))
    result.recipients = (sum((hand_r & auto_r).values()), len(hand.recipients), len(auto.recipients))
    hand_f, auto_f = _fact_values(hand.id, hand.body), _fact_values(hand.id, auto.body)
    for kind in hand_f:
        matched = sum((hand_f[kind] & auto_f[kind]).values())
        result.facts[kind] = (matched, sum(hand_f[kind].values()), sum(auto_f[kind].values()))
    return result


def compare_directory(raw_dir: Path) -> list[Comparison]:
    hand = {p.id: p for p in load_plans()}
    out = []
    for path in sorted(raw_dir.glob("*.txt")):
        plan_id = path.name.split(".")[0]
        if plan_id in hand:  # an OCR'd text's diacritics are restored from the other plans only
            others = [p.body for p in hand.values() if p.id != plan_id]
            out.append(compare(read_document(path, vocabulary=others), hand[plan_id]))
    return out


def report(results: list[Comparison]) -> list[str]:
    lines = []
    exact = Counter()
    folded = Counter()
    for r in results:
        lines.append(f"== {r.plan_id} ({r.seconds * 1000:.0f} ms)")
        for name, (a, h, ok, ok_folded) in r.fields.items():
            mark = "=" if ok else ("≈" if ok_folded else "≠")
            exact[name] += ok
            folded[name] += ok_folded
            lines.append(f"  {mark} {name:<13} {a!r}" + ("" if ok else f"   hand: {h!r}"))
        lines.append(f"  legal bases (by number): {r.legal[0]}/{r.legal[1]} found, {r.legal[2]} read")
        lines.append(f"  recipients: {r.recipients[0]}/{r.recipients[1]} equal (folded), {r.recipients[2]} read")
        for kind, (m, h, a) in r.facts.items():
            share = f"{m / h:.0%}" if h else "-"
            lines.append(f"  facts {kind:<8}: {m}/{h} of the hand-cleaned values found ({share}), {a} read")
        lines.append(f"  numbers of the source missing: {r.missing_numbers or 'none'}")
        same, aligned = r.accents
        lines.append(f"  words spelt as hand-cleaned: {same}/{aligned} aligned ({same / max(1, aligned):.0%})")
        lines.append(f"  warnings: {r.warnings or 'none'}")
    n = len(results)
    lines.append(f"== fields exact / folded over {n} plans")
    for name in FIELDS:
        lines.append(f"  {name:<13} {exact[name]}/{n}  {folded[name]}/{n}")
    for kind in ("target", "deadline", "award"):
        m = sum(r.facts[kind][0] for r in results)
        h = sum(r.facts[kind][1] for r in results)
        lines.append(f"  facts {kind:<8} {m}/{h} ({m / h:.0%})" if h else f"  facts {kind:<8} -")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    raw_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[3] / "shared" / "plans"
    print("\n".join(report(compare_directory(raw_dir))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
