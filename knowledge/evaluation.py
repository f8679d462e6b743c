"""Accuracy of the answering engine on a question set (the format of shared/eval-sample.yaml).

An answer is correct when its folded text contains every `expect_all` string and one of
`expect_any` (when given); an out_of_scope question is correct when nothing was found.
The question's `plan` is passed as the asker's plan ("none": no plan).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.answering import Answer
from knowledge.text import fold


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    style: str
    plan: str | None
    expect_all: tuple[str, ...]
    expect_any: tuple[str, ...]

    def passes(self, result: Answer) -> bool:
        if self.style == "out_of_scope":
            return not result.found
        text = fold(result.text)
        return (result.found and all(fold(e) in text for e in self.expect_all)
                and (not self.expect_any or any(fold(e) in text for e in self.expect_any)))


@dataclass
class Report:
    total: dict[str, int]
    passed: dict[str, int]
    wrong: list[tuple[Case, Answer]]

    def accuracy(self, style: str | None = None) -> float:
        if style is None:
            return sum(self.passed.values()) / max(1, sum(self.total.values()))
        return self.passed.get(style, 0) / max(1, self.total.get(style, 0))

    def lines(self) -> list[str]:
        out = [f"{style:<14} {self.passed.get(style, 0):>4}/{self.total[style]:<4} {self.accuracy(style):7.1%}"
               for style in sorted(self.total)]
        out.append(f"{'overall':<14} {sum(self.passed.values()):>4}/{sum(self.total.values()):<4} "
                   f"{self.accuracy():7.1%}")
        return out


def load_cases(path: Path) -> list[Case]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Case(str(i["id"]), str(i["question"]), str(i.get("style", "accented")),
                 None if i.get("plan") in (None, "none") else str(i["plan"]),
                 tuple(map(str, i.get("expect_all") or ())), tuple(map(str, i.get("expect_any") or ())))
            for i in items]


def evaluate(cases: list[Case], ask: Callable[[str, str | None], Answer]) -> Report:
    total: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    wrong: list[tuple[Case, Answer]] = []
    for case in cases:
        result = ask(case.question, case.plan)
        total[case.style] += 1
        if case.passes(result):
            passed[case.style] += 1
        else:
            wrong.append((case, result))
    return Report(dict(total), dict(passed), wrong)
