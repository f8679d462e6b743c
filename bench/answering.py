"""Answering benchmark: latency, index build, start-up, memory, and accuracy against a plain BM25.

Run: `python -m bench.answering [tests/eval/questions.yaml]`. Prints figures; asserts nothing.
The baseline is bm25s over the plans' paragraphs tokenised by underthesea, scored in the same
run on the same questions, so the comparison holds on a noisy machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import bm25s

from knowledge import answer
from knowledge.answering import Answer
from knowledge.documents import load_plans
from knowledge.evaluation import evaluate, load_cases
from knowledge.index import KnowledgeBase
from knowledge.text import fold, tokens, word_tokenize

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "questions.yaml"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Baseline:
    """bm25s over paragraphs, underthesea tokens, folded; 'found' when any term matched."""

    def __init__(self) -> None:
        self.paragraphs = [(p.id, line) for p in load_plans() for line in p.body.splitlines() if line.strip()]
        self.index = bm25s.BM25()
        self.index.index([self.tokenize(text) or [""] for _, text in self.paragraphs], show_progress=False)

    @staticmethod
    def tokenize(text: str) -> list[str]:
        return ["_".join(tokens(w)) for w in word_tokenize(text) if tokens(w)]

    def ask(self, question: str, plan: str | None) -> Answer:
        started = time.perf_counter()
        terms = [t for t in self.tokenize(fold(question)) if t in self.index.vocab_dict]
        if not terms:
            return Answer(False, "", latency_ms=(time.perf_counter() - started) * 1000)
        scores = self.index.get_scores(terms)
        best = max(range(len(scores)), key=lambda i: scores[i] if plan in (None, self.paragraphs[i][0]) else -1)
        return Answer(scores[best] > 0, self.paragraphs[best][1], latency_ms=(time.perf_counter() - started) * 1000)


def latencies(ask, questions: list[tuple[str, str | None]], rounds: int = 3) -> list[float]:
    for q, p in questions[:50]:  # warm-up
        ask(q, p)
    out = []
    for _ in range(rounds):
        for q, p in questions:
            started = time.perf_counter()
            ask(q, p)
            out.append((time.perf_counter() - started) * 1000)
    return out


def start_up_seconds() -> float:
    """A fresh process: import, load the cached index, answer one question."""
    code = "from knowledge import answer, default_kb; answer(default_kb(), 'chi tieu ho so cap xa o bu gia map')"
    subprocess.run([sys.executable, "-c", code], check=True)  # make sure the cache exists
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main(path: str = str(QUESTIONS)) -> None:
    cases = load_cases(Path(path))
    questions = [(c.question, c.plan) for c in cases]
    tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        kb = KnowledgeBase.load(cache_dir=Path(cache))
    build = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    baseline = Baseline()

    def engine(q: str, p: str | None) -> Answer:
        return answer(kb, q, p)

    rows = []
    for name, ask in (("engine", engine), ("bm25 baseline", baseline.ask)):
        report = evaluate(cases, ask)
        times = latencies(ask, questions)
        rows.append((name, report, statistics.median(times), percentile(times, 0.95)))
    styles = sorted(rows[0][1].total)
    print(f"questions: {len(cases)}  index build (cold, no cache): {build:.2f} s  "
          f"peak memory while building: {peak:.1f} MiB  start-up to first answer (cached): {start_up_seconds():.2f} s")
    print(f"{'':<14} {'median ms':>9} {'p95 ms':>7} " + " ".join(f"{s[:12]:>12}" for s in styles) + "  overall")
    for name, report, median, p95 in rows:
        print(f"{name:<14} {median:>9.3f} {p95:>7.3f} "
              + " ".join(f"{report.accuracy(s):>12.1%}" for s in styles) + f"  {report.accuracy():.1%}")


if __name__ == "__main__":
    main(*sys.argv[1:])
