"""Answering benchmark: latency, index build, start-up, memory, and accuracy against a plain BM25.

Run: `python -m bench.answering [question sets...]` (default: the team set and ../shared/eval/independent.yaml).
Prints figures; asserts nothing. Baselines, scored in the same run on the same questions so the
comparison holds on a noisy machine: bm25s over the plans' paragraphs tokenised by underthesea, and
e5 alone (the nearest passage in meaning). CPU per question is process time over one pass; the
semantic stage's share is measured by wrapping KnowledgeBase.similarities.
"""

from __future__ import annotations

import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import bm25s
import numpy as np

from knowledge import answer
from knowledge.answering import Answer
from knowledge.documents import load_plans
from knowledge.evaluation import evaluate, load_cases
from knowledge.index import KnowledgeBase
from knowledge.text import fold, tokens, word_tokenize

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "questions.yaml"
INDEPENDENT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "independent.yaml"


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


class SemanticOnly:
    """e5 alone: the passage of the scope nearest in meaning; declined when a topic the plans are not
    about is nearer (semantic.BACKGROUND)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def ask(self, question: str, plan: str | None) -> Answer:
        started = time.perf_counter()
        sims, elsewhere = self.kb.similarities(question)
        inside = self.kb.in_scope(frozenset([plan]) if plan in self.kb.plans else None)
        i = int(np.where(inside, sims, -1).argmax())
        return Answer(bool(sims[i] > elsewhere), self.kb.passages[i].quote,
                      latency_ms=(time.perf_counter() - started) * 1000)


def latencies(ask, questions: list[tuple[str, str | None]], rounds: int = 1) -> tuple[list[float], float]:
    """Wall-clock ms per question, and CPU ms per question on average."""
    for q, p in questions[:20]:  # warm-up
        ask(q, p)
    out = []
    cpu = time.process_time()
    for _ in range(rounds):
        for q, p in questions:
            started = time.perf_counter()
            ask(q, p)
            out.append((time.perf_counter() - started) * 1000)
    return out, (time.process_time() - cpu) * 1000 / max(1, len(out))


def start_up_seconds() -> float:
    """A fresh process: import, load the cached index, answer one question."""
    code = "from knowledge import answer, default_kb; answer(default_kb(), 'chi tieu ho so cap xa o bu gia map')"
    subprocess.run([sys.executable, "-c", code], check=True)  # make sure the cache exists
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


class Stages:
    """CPU spent in the semantic stage (the question's e5 vector and the fused ranking)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.calls, self.cpu, self._inner = 0, 0.0, kb.similarities
        kb.similarities = self  # instance attribute: only this benchmark's base is measured

    def __call__(self, question: str):
        started = time.process_time()
        try:
            return self._inner(question)
        finally:
            self.calls += 1
            self.cpu += time.process_time() - started


def main(*paths: str) -> None:
    paths = paths or (str(QUESTIONS), str(INDEPENDENT))
    sets = [(Path(p).name, load_cases(Path(p))) for p in paths if Path(p).exists()]
    with tempfile.TemporaryDirectory() as cache:
        os.environ["CAMPAIGN_BOT_CACHE"] = cache  # cold: the passage vectors are computed too
        tracemalloc.start()
        started = time.perf_counter()
        cold = KnowledgeBase.load(cache_dir=Path(cache))
        build = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        del os.environ["CAMPAIGN_BOT_CACHE"]
        del cold
    kb = KnowledgeBase.load()
    size = len(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL)) / 2**20
    stages = Stages(kb)
    baseline, semantic_only = Baseline(), SemanticOnly(kb)

    def engine(q: str, p: str | None) -> Answer:
        return answer(kb, q, p)

    print(f"index build (cold, passage vectors computed): {build:.1f} s  peak Python memory while building: "
          f"{peak:.1f} MiB  pickled index: {size:.2f} MiB  start-up to first answer (cached): "
          f"{start_up_seconds():.2f} s  RSS now: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    for name, cases in sets:
        questions = [(c.question, c.plan) for c in cases]
        styles = sorted({c.style for c in cases})
        print(f"\n{name}: {len(cases)} questions")
        print(f"{'':<16} {'p50 ms':>7} {'p95 ms':>7} {'cpu ms/q':>8} " + " ".join(f"{s[:12]:>12}" for s in styles)
              + "  overall  <=700 chars")
        for label, ask in (("engine", engine), ("bm25 baseline", baseline.ask), ("semantic only", semantic_only.ask)):
            report = evaluate(cases, ask)
            short = sum(len(ask(q, p).text) <= 700 for q, p in questions) / len(questions)
            calls, cpu_before = stages.calls, stages.cpu
            times, cpu = latencies(ask, questions)
            print(f"{label:<16} {statistics.median(times):>7.2f} {percentile(times, 0.95):>7.2f} {cpu:>8.2f} "
                  + " ".join(f"{report.accuracy(s):>12.1%}" for s in styles) + f"  {report.accuracy():>6.1%}"
                  + f"  {short:>6.1%}")
            if label == "engine":
                n = stages.calls - calls
                print(f"{'':<16} semantic stage: {n} of {len(questions) + 20} questions "
                      f"(incl. warm-up), {(stages.cpu - cpu_before) * 1000 / max(1, n):.1f} ms CPU each")


if __name__ == "__main__":
    main(*sys.argv[1:])
