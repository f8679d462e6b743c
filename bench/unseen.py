"""New plans as an office brings them: each of bench/unseen/*/ as a Word file and as a scan, read as
`plans add` reads it, put beside the five packaged plans, then scored.

Run: `python -m bench.unseen [--formats docx,scan.pdf,txt] [DIR ...]`. Prints, per plan and format: the
targets and deadlines its author listed that the extraction finds, the numbers that are not targets
but were read as targets, and the share of the author's questions answered (the five plans present, so
out of scope and the other plans' answers are tested too). Asserts nothing.

The plans were written by authors who read only ../shared/plans, never the engine; their truth and
questions are theirs. The engine has since been fixed on kinds of failure they showed, so they measure
the tuning now, as tests/eval/questions.yaml does: a plan nobody has seen decides.
"""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge import answer
from knowledge.documents import load_plans
from knowledge.evaluation import evaluate, load_cases
from knowledge.facts import Fact
from knowledge.index import KnowledgeBase
from knowledge.ingest import read_document
from knowledge.text import fold

HERE = Path(__file__).resolve().parent / "unseen"
SAME_CLAUSE = 0.6  # share of the author's snippet's words a fact's text must hold to be that figure
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_QUARTER = re.compile(r"quy\s*([ivx]+|\d)\s*/\s*(\d{4})")
_MONTH = re.compile(r"thang\s*(\d{1,2})\s*/\s*(\d{4})")


@dataclass
class Score:
    found: int
    of: int

    def __str__(self) -> str:
        return f"{self.found}/{self.of}"


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def _number(value: str) -> str:
    digits = fold(str(value)).replace(" ", "").rstrip("%").split("/")[0].lstrip("0") or "0"
    return digits.replace(",", ".")


def _is(fact: Fact, item: dict) -> bool:
    said = _words(item["text"])
    return (_number(fact.value) == _number(item["value"])
            and len(said & _words(fact.text)) >= SAME_CLAUSE * max(1, len(said)))


def _dates(deadline: dict, facts: list[Fact]) -> bool:
    """Some deadline fact is the author's: the same quarter, month, day (and year, where both say one), or the
    same day of every month or quarter."""
    when = fold(str(deadline["when"]))
    return any(_same_period(when, fold(f.value)) or _same_day(when, fold(f.value)) or _same_recurring(when, f)
               for f in facts)


def _same_period(when: str, value: str) -> bool:
    quarter, month = _QUARTER.search(when), _MONTH.search(when)
    return bool((quarter and re.search(rf"quy\s*{quarter.group(1)}\s*/\s*{quarter.group(2)}", value))
                or (month and re.search(rf"thang\s*0?{int(month.group(1))}/{month.group(2)}", value)))


def _same_day(when: str, value: str) -> bool:
    day, got = _DAY.search(when), _DAY.search(value)
    if not day or not got or _MONTH.search(when):
        return False
    same = (int(got.group(1)), int(got.group(2))) == (int(day.group(1)), int(day.group(2)))
    return same and (not day.group(3) or not got.group(3) or got.group(3) == day.group(3))


def _same_recurring(when: str, fact: Fact) -> bool:
    every = re.search(r"ngay\s*(\d{1,2})", when)
    if not every or _DAY.search(when) or fact.day != int(every.group(1)):
        return False
    return ("quy" in when and fact.recurrence == "quarterly") or ("thang" in when and fact.recurrence == "monthly")


def score(directory: Path, fmt: str, five: list) -> dict[str, object]:
    truth = yaml.safe_load((directory / "truth.yaml").read_text(encoding="utf-8"))
    started = time.perf_counter()
    plan = read_document(directory / f"plan.{fmt}", plan_id=truth["plan_id"]).plan
    read = time.perf_counter() - started
    kb = KnowledgeBase.build([*five, plan])
    facts = kb.facts_of(plan.id)
    targets = [f for f in facts if f.kind == "target"]
    report = evaluate(load_cases(directory / "questions.yaml"), lambda q, p: answer(kb, q, p))
    return {
        "targets": Score(sum(any(_is(f, t) for f in targets) for t in truth["targets"]), len(truth["targets"])),
        "not targets read as targets": Score(sum(any(_is(f, t) for f in targets) for t in truth["not_targets"]),
                                             len(truth["not_targets"])),
        "deadlines": Score(sum(_dates(d, [f for f in facts if f.kind == "deadline"]) for d in truth["deadlines"]),
                           len(truth["deadlines"])),
        "answered": report.accuracy(),
        "of questions": sum(report.total.values()),
        "by style": ", ".join(f"{s} {report.accuracy(s):.0%}" for s in sorted(report.total)),
        "read in": f"{read:.1f} s",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--formats", default="docx,scan.pdf")
    args = parser.parse_args()
    five = load_plans()
    for directory in args.dirs or sorted(d for d in HERE.iterdir() if (d / "truth.yaml").exists()):
        for fmt in args.formats.split(","):
            if (directory / f"plan.{fmt}").exists():
                figures = score(directory, fmt, five)
                shown = "; ".join(f"{k} {v:.1%}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())
                print(f"{directory.name} ({fmt}): {shown}", flush=True)


if __name__ == "__main__":
    main()
