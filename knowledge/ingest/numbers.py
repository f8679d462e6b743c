"""The number-preservation check: every number and date of the source survives cleaning.

A token is a number as the plans print it: 80%, 31/12/2025, 162/KH-UBND's 162, 1.234,5, 4.0.
The clean text keeps each one in its body or in its metadata (the document number, the date line,
the legal bases); the only exceptions are tokens dropped on purpose (page numbers, running headers)
or listed as OCR artefacts, each with why.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

NUMBER = re.compile(r"(?<![\w])\d+(?:[.,/]\d+)*%?")  # the same token as tests/test_plans.py


def number_tokens(text: str) -> list[str]:
    return NUMBER.findall(text)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple, set)):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


def missing_numbers(source: str, body: str, metadata: Mapping | None = None,
                    exempt: Iterable[str] = ()) -> list[str]:
    """Number tokens of `source` found neither in `body` nor in `metadata`, nor exempt; sorted."""
    kept = Counter(number_tokens(body))
    for value in _strings({k: v for k, v in (metadata or {}).items() if k != "ocr_artifacts"}):
        kept.update(number_tokens(value))
    skip = set(exempt)
    return sorted({n for n in number_tokens(source) if n not in skip and not kept[n]},
                  key=lambda n: (len(n), n))
