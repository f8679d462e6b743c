"""The campaign plans as clean data, the Vietnamese text pipeline, the index and answering.

`answer(question, plan=None)` is the one entry point the bot and the command line share.
Nothing here imports telegram.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.answering import Answer, Source
from knowledge.answering import answer as _answer
from knowledge.index import KnowledgeBase

__all__ = ["Answer", "KnowledgeBase", "Source", "answer", "default_kb"]


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The knowledge base of the packaged plans, from the on-disk cache when it is current."""
    return KnowledgeBase.load()


def answer(question: str, plan: str | None = None, kb: KnowledgeBase | None = None) -> Answer:
    return _answer(kb or default_kb(), question, plan)
