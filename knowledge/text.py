"""Vietnamese text pipeline: clean, normalise, fold diacritics, tokenise.

Matching happens on the *folded* form (lowercase, no diacritics, đ→d) so a query typed
without diacritics meets the accented plan text; the accented form is kept for display.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from underthesea import text_normalize, word_tokenize

MAX_QUESTION_CHARS = 500

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")
# A token: a date or fraction (15/6, 31/12/2024, 45/60), a number with its unit sign (60%, 1.234,5),
# or a word. Roman numerals are words ("iv").
TOKEN = re.compile(r"\d+(?:[/.,]\d+)*%?|[^\W\d_]+", re.UNICODE)


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "d"}
    for code in range(0xC0, 0x1EFF + 1):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base != char and base.isascii():
            table[code] = base.lower()
    return table


_FOLD = _build_fold_table()


@lru_cache(maxsize=32768)  # a build cleans each passage a dozen times; underthesea's normaliser is slow
def clean(text: str, limit: int | None = None) -> str:
    """NFC, standard tone-mark placement, no control characters, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    if limit is not None:
        text = text[:limit]
    return text_normalize(text) if text else ""


def fold(text: str) -> str:
    """Lowercase without diacritics: 'Hồ sơ Đề nghị' → 'ho so de nghi'."""
    return unicodedata.normalize("NFC", text).translate(_FOLD).lower()


def tokens(text: str) -> list[str]:
    """Folded word and number tokens of a text."""
    return TOKEN.findall(fold(text))


@lru_cache(maxsize=4096)
def segment(text: str) -> tuple[str, ...]:
    """underthesea word segmentation of accented text, each word folded ('ho so', 'xu ly')."""
    return tuple(" ".join(tokens(word)) for word in word_tokenize(text) if tokens(word))


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences at '. ' followed by an upper-case letter."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ“\"(])", paragraph)
    return [p.strip() for p in parts if p.strip()]
