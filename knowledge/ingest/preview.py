"""What an admin sees before a plan is added (`campaign-bot plans add FILE`): nothing is stored here.

`preview(ingested)` returns a JSON-able dict; `preview_lines(p)` prints it for a terminal. A later
`plans add --yes` stores `ingested.plan` (and `ingested.markdown()`) once the admin has seen this.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from knowledge.facts import Fact, document_facts, extract
from knowledge.ingest import IngestedPlan
from knowledge.milestones import occurrences
from knowledge.structure import parse_passages

KINDS = ("target", "deadline", "award", "responsibility", "legal_basis")
EXAMPLES = 3


def fact_json(fact: Fact, section: str | None) -> dict:
    """One fact as the `facts --json` line gives it (null where it does not apply, dates ISO)."""
    return {"plan": fact.plan_id, "kind": fact.kind, "text": fact.text, "section": section or None,
            "value": fact.value or None, "unit": fact.unit or None, "comparator": fact.comparator or None,
            "date": fact.iso_date, "recurrence": fact.recurrence or None}


def preview(ingested: IngestedPlan, known_ids: Iterable[str] = (), today: dt.date | None = None,
            reportable: Callable[[list[Fact], Callable[[int], str]], list] | None = None) -> dict:
    """The preview object. `reportable(facts, section_of)` gives the indicators officers will report on
    (bot.reporting.indicators.indicators_from); without it every target counts."""
    today = today or dt.date.today()
    plan = ingested.plan
    passages = parse_passages(plan.id, plan.body)
    facts = extract(passages)
    section = {p.ordinal: p.section for p in passages}
    by_kind = {kind: [f for f in facts if f.kind == kind] for kind in KINDS}
    warnings = list(ingested.warnings)
    if plan.id in set(known_ids):
        warnings.append(f"đã có kế hoạch mã '{plan.id}': thêm sẽ thay thế kế hoạch này")
    if plan.valid_until < today:
        warnings.append(f"kế hoạch đã hết hiệu lực ngày {plan.valid_until:%d/%m/%Y}: sẽ không có nhắc hạn")
    if not by_kind["target"]:
        warnings.append("không tìm thấy chỉ tiêu nào bằng con số")
    if not by_kind["deadline"]:
        warnings.append("không tìm thấy mốc thời gian nào")
    indicators = reportable(facts, section.__getitem__) if reportable else None
    upcoming = [o for o in occurrences(plan, facts) if o.day >= today]
    return {
        "plan": {
            "id": plan.id, "title": plan.title, "issuer": plan.issuer, "issuer_short": plan.issuer_short,
            "level": plan.level, "province": plan.province, "number": plan.number or None,
            "issued": plan.issued or None, "place": plan.place or None,
            "period": {"start": plan.period_start, "end": plan.period_end},
            "valid_until": plan.valid_until.isoformat(),
            "signer": {"name": plan.signer_name or None, "title": plan.signer_title or None},
            "legal_bases": list(plan.legal_bases), "recipients": list(plan.recipients),
        },
        "source": {"file": ingested.source, "format": ingested.source_format,
                   "seconds": round(ingested.seconds, 2),
                   "ocr_confidence": {str(k): v for k, v in ingested.ocr_confidence.items()} or None,
                   "passages": len(passages), "characters": len(plan.body)},
        "counts": {kind: len(items) for kind, items in by_kind.items()},
        "examples": {kind: [fact_json(f, section.get(f.passage)) for f in items[:EXAMPLES]]
                     for kind, items in by_kind.items()},
        "document": [fact_json(f, "Thông tin văn bản") for f in document_facts(plan)],
        "reportable_targets": (
            [{"code": i.code, "name": i.name, "target": i.target, "kind": i.kind, "comparator": i.comparator,
              "section": i.section or None} for i in indicators] if indicators is not None else
            [fact_json(f, section.get(f.passage)) for f in by_kind["target"]]),
        "reminders": {"upcoming": len(upcoming),
                      "by_event": dict(Counter(o.label for o in upcoming)),
                      "next": [{"date": o.day.isoformat(), "label": o.label, "when": o.when, "value": o.fact.value,
                                "section": section.get(o.fact.passage) or None, "text": o.fact.text}
                               for o in upcoming[:10]]},
        "warnings": warnings,
    }


def _cut(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def preview_lines(p: dict) -> list[str]:
    plan, source = p["plan"], p["source"]
    lines = [f"Kế hoạch: {plan['title']}",
             f"  mã: {plan['id']}   cấp: {plan['level']}   tỉnh: {plan['province'] or '?'}",
             f"  cơ quan ban hành: {plan['issuer'] or '?'} ({plan['issuer_short']})",
             (f"  số: {plan['number'] or '(không có)'}   ngày: {plan['issued'] or '(không có)'}"
              f"   nơi: {plan['place'] or '(không có)'}"),
             f"  giai đoạn: {plan['period']['start']}-{plan['period']['end']}, hiệu lực đến {plan['valid_until']}",
             f"  người ký: {plan['signer']['title'] or '?'} {plan['signer']['name'] or ''}".rstrip(),
             f"  căn cứ: {len(plan['legal_bases'])}   nơi nhận: {len(plan['recipients'])}",
             f"  tệp: {source['file']} ({source['format']}, {source['seconds']} s, {source['passages']} đoạn)"]
    if source.get("ocr_confidence"):
        lines.append("  OCR: " + ", ".join(f"trang {k}: {v:.0f}%" for k, v in source["ocr_confidence"].items()))
    counts = p["counts"]
    lines.append("Số lượng: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    names = {"target": "Chỉ tiêu", "deadline": "Mốc thời gian", "award": "Khen thưởng",
             "responsibility": "Trách nhiệm", "legal_basis": "Căn cứ"}
    for kind, examples in p["examples"].items():
        if not examples:
            continue
        lines.append(f"{names[kind]} (ví dụ):")
        for f in examples:
            detail = " ".join(str(x) for x in (f["comparator"], f["value"], f["unit"] if f["unit"] != "%" else None,
                                               f["recurrence"], f["date"]) if x)
            lines.append(f"  • [{f['section'] or 'mở đầu'}] {detail} — «{_cut(f['text'])}»")
    lines.append(f"Chỉ tiêu sẽ báo cáo ({len(p['reportable_targets'])}):")
    for t in p["reportable_targets"]:
        if "code" in t:
            lines.append(f"  • {t['code']}: {t['comparator']} {t['target']:g}{'%' if t['kind'] == 'percent' else ''}"
                         f" {t['name']}")
        else:
            lines.append(f"  • {t['comparator'] or ''} {t['value']} «{_cut(t['text'], 80)}»")
    reminders = p["reminders"]
    lines.append(f"Mốc sẽ nhắc ({reminders['upcoming']} sắp tới):")
    for r in reminders["next"]:
        lines.append(f"  • {r['when']} — {r['label']}, mục {r['section'] or 'mở đầu'}: «{_cut(r['text'], 80)}»")
    if p["warnings"]:
        lines.append("Cảnh báo:")
        lines += [f"  ! {w}" for w in p["warnings"]]
    else:
        lines.append("Cảnh báo: không có")
    lines.append("(Chưa lưu gì: đây là bản xem trước.)")
    return lines
