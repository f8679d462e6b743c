"""Adding a plan to many: each plan's share of the index is made once and kept, and an index assembled from
shares made at different times answers exactly as one built from nothing."""

from __future__ import annotations

import os
import time
from dataclasses import fields
from pathlib import Path

import pytest

from bot.plans import live
from knowledge import answer, caching, parts
from knowledge.documents import parse_plan, plan_files
from knowledge.evaluation import load_cases
from knowledge.index import KnowledgeBase

EVAL = Path(__file__).parent / "eval" / "questions.yaml"


def words_of(kb: KnowledgeBase) -> dict:
    """What the knowledge base knows of words: every field of its vocabulary, the plans' names by content."""
    known = {f.name: getattr(kb.vocab, f.name) for f in fields(kb.vocab)}
    return {**known, "plan_phrases": kb.vocab.plan_phrases.table}


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in plan_files()]


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The plans whose share is made (segmented and read) rather than read from the cache."""
    ids: list[str] = []
    make = parts.Part.of.__func__

    def counted(cls, plan):
        ids.append(plan.id)
        return make(cls, plan)

    monkeypatch.setattr(parts.Part, "of", classmethod(counted))
    return ids


def test_adding_a_plan_makes_only_its_share(texts, made, tmp_path):
    KnowledgeBase.of_texts(texts[:-1], cache_dir=tmp_path)
    made.clear()
    kb = KnowledgeBase.of_texts(texts, cache_dir=tmp_path)
    assert made == [parse_plan(texts[-1]).id]
    assert set(kb.plans) == {parse_plan(t).id for t in texts}


def test_a_plan_prepared_ahead_is_not_made_again_when_it_goes_live(texts, made, tmp_path):
    KnowledgeBase.of_texts(texts[:-1], cache_dir=tmp_path)
    parts.prepare(texts[-1], tmp_path)
    made.clear()
    KnowledgeBase.of_texts(texts, cache_dir=tmp_path)
    assert made == []


def test_a_plan_sent_for_preview_is_prepared_in_the_background(texts, made, tmp_path):
    KnowledgeBase.of_texts(texts[:-1], cache_dir=tmp_path)
    live.prepare_soon(texts[-1], tmp_path).join(timeout=120)
    made.clear()
    KnowledgeBase.of_texts(texts, cache_dir=tmp_path)
    assert made == []


def test_an_index_assembled_from_kept_shares_answers_as_one_built_from_nothing(texts, tmp_path):
    KnowledgeBase.of_texts(texts[:2], cache_dir=tmp_path)    # shares made with fewer compounds known
    KnowledgeBase.of_texts(texts[1:4], cache_dir=tmp_path)
    assembled = KnowledgeBase.of_texts(texts, cache_dir=tmp_path)
    fresh = KnowledgeBase.build([parse_plan(t) for t in texts])
    assert words_of(assembled) == words_of(fresh)
    assert assembled.facts == fresh.facts
    for case in load_cases(EVAL)[::7]:
        plan = case.plan if case.plan in fresh.plans else None
        assert answer(assembled, case.question, plan).text == answer(fresh, case.question, plan).text, case.id


def test_a_retired_plan_leaves_no_compound_of_its_own(texts, tmp_path):
    everything = KnowledgeBase.of_texts(texts, cache_dir=tmp_path)
    fewer = KnowledgeBase.of_texts(texts[1:], cache_dir=tmp_path)
    assert words_of(fewer) == words_of(KnowledgeBase.build([parse_plan(t) for t in texts[1:]]))
    assert fewer.vocab.compounds < everything.vocab.compounds


def test_years_of_plan_changes_keep_the_cache_small(texts, tmp_path):
    """Each set of plans makes an index file: only the newest few are kept, never the one in use; a plan's
    share unused for a month goes, the shares in use stay."""
    KnowledgeBase.of_texts(texts[:3], cache_dir=tmp_path)
    [in_use] = tmp_path.glob("kb-*.pickle")
    written = in_use.stat().st_ino
    for other in [texts[i:i + 2] for i in range(4)] + [texts[::2], texts[1::2]]:
        KnowledgeBase.of_texts(other, cache_dir=tmp_path)
        KnowledgeBase.of_texts(texts[:3], cache_dir=tmp_path)  # read from its index again: in use
    assert in_use.stat().st_ino == written  # never dropped, so never written again
    assert len(list(tmp_path.glob("kb-*.pickle"))) == caching.KEEP_INDEXES
    forgotten = tmp_path / "parts" / "forgotten.pickle"
    forgotten.write_bytes(b"the share of a plan retired long ago")
    month_ago = time.time() - caching.SHARES_UNUSED.total_seconds() - 60
    os.utime(forgotten, (month_ago, month_ago))
    KnowledgeBase.of_texts(texts[1:4], cache_dir=tmp_path)  # a new set: built, then the cache pruned
    assert not forgotten.exists() and len(list((tmp_path / "parts").glob("*.pickle"))) == len(texts)
