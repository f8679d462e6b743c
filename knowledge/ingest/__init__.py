"""Plans from real documents: a .docx, a text or scanned .pdf, an image, a .txt extraction or a
clean .md file → the clean plan format (knowledge/plans/README.md) with its metadata and warnings.

    ingested = read_document(Path("ke-hoach.docx"))
    ingested.plan        # a knowledge.documents.Plan, as parse_plan would give it
    ingested.markdown()  # the plan file: YAML front matter + body
    ingested.warnings    # ["không tìm thấy thời gian thực hiện", "OCR: độ tin cậy thấp ở trang 4 (62%)", …]

readers: a file → blocks · ocr_tables: a scanned page's ruled tables, cell by cell · tables: a table's rows →
lines that stand alone · cleaning: blocks → paragraphs · metadata: paragraphs → front matter and body ·
numbers: the number-preservation check · preview: what an admin sees before a plan is added.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.documents import Plan, PlanFormatError, parse_plan, split_front_matter
from knowledge.ingest.cleaning import clean_blocks
from knowledge.ingest.metadata import read_metadata
from knowledge.ingest.numbers import missing_numbers
from knowledge.ingest.readers import Extraction, IngestError, extract, lines_of, tesseract_available

__all__ = ["IngestError", "IngestedPlan", "ingest_text", "read_document", "tesseract_available"]

FRONT_MATTER_KEYS = ("id", "title", "number", "issued", "place", "issuer", "issuer_short", "level", "province",
                     "period", "valid_until", "aliases", "legal_bases", "signer", "recipients", "ocr_artifacts",
                     "date_line")  # date_line: the place and date line as printed (parse_plan ignores it)
_GARBLED = re.compile(r"[^\w\s.,;:!?()\"“”'‘’/%+\-–…&@=]")


@dataclass
class IngestedPlan:
    text: str                      # the clean body
    metadata: dict                 # the front matter (knowledge/plans/README.md)
    warnings: list[str] = field(default_factory=list)
    source: str = ""               # the file read
    source_format: str = ""        # docx | pdf | pdf-ocr | image-ocr | txt | md
    source_text: str = ""          # the text as extracted, before cleaning
    noise: dict[str, str] = field(default_factory=dict)  # number tokens dropped on purpose, with why
    ocr_confidence: dict[int, float] = field(default_factory=dict)
    seconds: float = 0.0

    def markdown(self) -> str:
        meta = {k: self.metadata.get(k) for k in FRONT_MATTER_KEYS if k in self.metadata}
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        return f"---\n{head}---\n{self.text.strip()}\n"

    @property
    def plan(self) -> Plan:
        return parse_plan(self.markdown(), self.source or "<ingested>")

    @property
    def missing_numbers(self) -> list[str]:
        exempt = {*self.noise, *(self.metadata.get("ocr_artifacts") or {})}
        return missing_numbers(self.source_text, self.text, self.metadata, exempt)


def ingest_text(text: str, plan_id: str | None = None, source: str = "<text>",
                vocabulary: Iterable[str] | None = None) -> IngestedPlan:
    """A raw extraction (like shared/plans/*.txt) or a clean plan file's text."""
    if text.startswith("---\n"):
        return _from_markdown(text, source, plan_id)
    return _ingest(Extraction(lines_of(text), "txt"), plan_id, source, vocabulary)


def read_document(path: str | Path, plan_id: str | None = None,
                  vocabulary: Iterable[str] | None = None) -> IngestedPlan:
    """Read a plan document; raise IngestError when it cannot be read at all.

    `vocabulary`: accented texts whose words restore the diacritics an OCR'd text lost (default: the
    packaged plans)."""
    path = Path(path)
    if not path.exists():
        raise IngestError(f"không có tệp {path}")
    started = time.perf_counter()
    if path.suffix.lower() == ".md" or (path.suffix.lower() == ".txt" and path.read_bytes()[:4] == b"---\n"):
        result = _from_markdown(path.read_text(encoding="utf-8"), str(path), plan_id)
    else:
        result = _ingest(extract(path), plan_id, str(path), vocabulary)
    result.seconds = time.perf_counter() - started
    return result


def _from_markdown(text: str, source: str, plan_id: str | None) -> IngestedPlan:
    try:
        meta, body = split_front_matter(text)
        parse_plan(text, source)
    except PlanFormatError as exc:
        raise IngestError(str(exc)) from exc
    if plan_id:
        meta["id"] = plan_id
    return IngestedPlan(body, meta, [], source, "md", body)


def _ingest(extraction: Extraction, plan_id: str | None, source: str,
            vocabulary: Iterable[str] | None = None) -> IngestedPlan:
    raw = "\n".join(b.text for b in extraction.blocks)
    # an OCR'd text: from our own OCR, named so ('….ocr.txt'), or one that lost its diacritics
    ocr = extraction.source_format.endswith("ocr") or ".ocr." in Path(source).name or _lost_diacritics([raw]) > 0.3
    cleaned = clean_blocks(extraction.blocks, ocr=ocr)
    if not cleaned.paragraphs:
        raise IngestError("tệp không có chữ đọc được")
    paragraphs, notes = cleaned.paragraphs, []
    lost = _lost_diacritics(paragraphs) if ocr else 0.0
    if lost > 0.2:
        from knowledge.ingest.diacritics import default_model, restore

        model = default_model(vocabulary)
        from knowledge.ingest.metadata import _NAME

        # a person's name is left as read: 'Luu Thanh Binh' is safer than a wrong 'Lưu Thành Bình'
        restored = [(p, 0) if _NAME.match(p) else restore(p, model) for p in paragraphs]
        paragraphs = [p for p, _ in restored]
        notes.append(f"OCR: khoảng {lost:.0%} từ thông dụng mất dấu tiếng Việt; đã khôi phục dấu cho "
                     f"{sum(n for _, n in restored)} từ theo từ vựng của các kế hoạch, cần rà soát trước khi dùng")
    doc = read_metadata(paragraphs, plan_id)
    warnings = [*extraction.warnings, *doc.warnings, *notes]
    if cleaned.repairs:
        warnings.append(f"đã khôi phục {cleaned.repairs} chỗ mất ký tự (L, X, ã) của bản trích")
    unreadable = extraction.unreadable + sum(1 for p in doc.body if _garbled(p))
    if unreadable:
        warnings.append(f"{unreadable} đoạn không đọc được")
    meta = dict(doc.meta)
    meta.setdefault("ocr_artifacts", {})
    valid = meta.get("valid_until")
    if isinstance(valid, dt.date):
        meta["valid_until"] = valid
    source_text = raw
    result = IngestedPlan("\n\n".join(doc.body), meta, warnings, source, extraction.source_format, source_text,
                          dict(cleaned.noise), dict(extraction.ocr_confidence))
    result.warnings += _dates_outside(result)
    missing = result.missing_numbers
    if missing:
        shown = ", ".join(missing[:8]) + ("…" if len(missing) > 8 else "")
        result.warnings.append(f"{len(missing)} số liệu của bản gốc không có trong bản sạch: {shown}")
    return result


def _dates_outside(result: IngestedPlan) -> list[str]:
    """A dated milestone outside the plan's period ('Quý IV/2028' in a 2021-2025 plan): an OCR misread
    of a digit, or a typo of the original; the number check cannot see it, so it is shown."""
    from knowledge.facts import extract
    from knowledge.structure import parse_passages

    try:
        plan = result.plan
    except PlanFormatError:
        return []
    years = range(plan.period_start - 1, plan.valid_until.year + 2)
    odd = sorted({f.value for f in extract(parse_passages(plan.id, plan.body))
                  if f.kind == "deadline" and f.year and f.year not in years})
    return [f"mốc {', '.join(odd)} nằm ngoài giai đoạn {plan.period}: kiểm tra lại bản gốc"] if odd else []


def _garbled(paragraph: str) -> bool:
    odd = len(_GARBLED.findall(paragraph))
    return len(paragraph) >= 20 and odd / len(paragraph) > 0.08


_MARKED_WORDS = {"dua": "đua", "nuoc": "nước", "hanh": "hành", "chinh": "chính", "cac": "các", "nha": "nhà",
                 "thuc": "thực", "hien": "hiện", "so": "số", "doi": "đổi", "cong": "công", "trien": "triển"}


def _lost_diacritics(body: list[str]) -> float:
    """Share of the genre's commonest words that should carry a mark but carry none ('thi dua' for
    'thi đua', 'Chuyen doi so' for 'Chuyển đổi số')."""
    from knowledge.text import fold

    words = [w.lower() for p in body for w in re.findall(r"[^\W\d_]+", p)]
    common = [w for w in words if fold(w) in _MARKED_WORDS]
    bare = [w for w in common if w == fold(w)]
    return len(bare) / len(common) if len(common) >= 10 else 0.0
