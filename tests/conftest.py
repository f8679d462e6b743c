"""Shared fixtures: one knowledge base per test session, built into a private cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Answer, KnowledgeBase, answer

SHARED_PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase.load(cache_dir=tmp_path_factory.mktemp("kb-cache"))


@pytest.fixture(scope="session")
def ask(kb: KnowledgeBase):
    """ask("question", plan=None) → Answer, as the bot and the CLI call it."""

    def _ask(question: str, plan: str | None = None) -> Answer:
        return answer(question, plan, kb=kb)

    return _ask


@pytest.fixture(scope="session")
def shared_plans() -> Path:
    if not SHARED_PLANS.is_dir():
        pytest.skip(f"the original plan texts are not beside the checkout ({SHARED_PLANS})")
    return SHARED_PLANS
