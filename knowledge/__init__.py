"""The campaign plans as clean data, the Vietnamese text pipeline, the index and answering.

`answer(kb, question, plan=None)` is the one entry point the bot and the command line share.
Nothing here imports telegram.

documents: plan files (front matter + body) · structure: a body as a section tree of passages ·
text: cleaning, folding, tokens · lexicon, thesaurus, vocabulary: the words of questions and plans ·
query: a typed question analysed · facts, kinds: typed facts and kinds of passage · index: the
knowledge base and its search · coverage: whether the plans speak of a question at all ·
answering: a question to a cited answer · milestones: a plan's dated deadlines · evaluation: accuracy
on a question set · ingest: plans from real documents (.docx, text or scanned .pdf, images, .txt) to
the clean format, with their metadata and warnings.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.answering import Answer, Source, answer
from knowledge.index import KnowledgeBase

__all__ = ["Answer", "KnowledgeBase", "Source", "answer", "default_kb"]


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The knowledge base of the packaged plans, from the on-disk cache when it is current."""
    return KnowledgeBase.load()
