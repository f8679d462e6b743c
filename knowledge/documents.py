"""Plan files: YAML front matter (metadata) + the clean body text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PLANS_DIR = Path(__file__).parent / "plans"


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    issuer: str
    issuer_short: str
    level: str
    province: str
    period_start: int
    period_end: int
    valid_until: dt.date
    body: str
    number: str = ""
    issued: str = ""
    place: str = ""
    signer_name: str = ""
    signer_title: str = ""
    aliases: tuple[str, ...] = ()
    legal_bases: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    ocr_artifacts: dict[str, str] = field(default_factory=dict)

    @property
    def period(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}-{self.period_end}"


class PlanFormatError(ValueError):
    pass


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise PlanFormatError("missing YAML front matter")
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise PlanFormatError("front matter is not closed by '---'")
    return yaml.safe_load(head) or {}, body.strip() + "\n"


def parse_plan(text: str, source: str = "<text>") -> Plan:
    meta, body = split_front_matter(text)
    try:
        period = meta["period"]
        signer = meta.get("signer") or {}
        valid_until = meta.get("valid_until") or dt.date(int(period["end"]), 12, 31)
        return Plan(
            id=meta["id"], title=meta["title"], issuer=meta["issuer"],
            issuer_short=meta.get("issuer_short") or meta["issuer"], level=meta["level"],
            province=meta["province"], period_start=int(period["start"]), period_end=int(period["end"]),
            valid_until=valid_until if isinstance(valid_until, dt.date) else dt.date.fromisoformat(valid_until),
            body=body, number=meta.get("number") or "", issued=str(meta.get("issued") or ""),
            place=meta.get("place") or "", signer_name=signer.get("name") or "",
            signer_title=signer.get("title") or "", aliases=tuple(meta.get("aliases") or ()),
            legal_bases=tuple(meta.get("legal_bases") or ()), recipients=tuple(meta.get("recipients") or ()),
            ocr_artifacts=dict(meta.get("ocr_artifacts") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFormatError(f"{source}: bad or missing metadata field {exc}") from exc


def plan_files(directory: Path = PLANS_DIR) -> list[Path]:
    return sorted((p for p in directory.glob("*.md") if p.stem != "README"), key=lambda p: p.name)


def load_plans(directory: Path = PLANS_DIR) -> list[Plan]:
    return [parse_plan(p.read_text(encoding="utf-8"), str(p)) for p in plan_files(directory)]
