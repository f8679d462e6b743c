"""An admin sends a plan document to the bot: it is read (knowledge/ingest), previewed, and goes live only
when the admin confirms. The draft is a row (PlanVersion, state 'draft'), so the confirmation may reach
any replica, or come after a restart."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import PlanVersion
from bot.core.replies import Button, Reply
from bot.plans import live, store
from bot.reporting.indicators import indicators_from
from knowledge.ingest import IngestError, read_document
from knowledge.ingest.preview import preview, preview_lines

PREFIX = "kh:"
FORMATS = (".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt", ".md")
MAX_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
ADMINS_ONLY = ("Chỉ quản trị viên của bot mới thêm kế hoạch được. Bạn gửi tệp kế hoạch cho quản trị viên nhé; "
               "muốn hỏi về kế hoạch, bạn gõ câu hỏi.")
UNREADABLE = "Mình chưa đọc được tệp này ({why}). Bạn gửi tệp .docx, .pdf (kể cả bản quét) hoặc ảnh chụp nhé."
PREVIEW_LINES = 40  # a phone's worth; the rest is in `campaign-bot plans add FILE`


def receive(name: str, content: bytes, who_id: int | None, now: dt.datetime, today: dt.date, *,
            session: Session) -> Reply:
    """The document read into a draft, and its preview with the buttons that put it live or drop it."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS or len(content) > MAX_BYTES:
        raise UserMessageError(UNREADABLE.format(why=f"định dạng {suffix or 'không rõ'}" if suffix not in FORMATS
                                                 else "tệp quá lớn"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ke-hoach{suffix}"
        path.write_bytes(content)
        try:
            ingested = read_document(path)
        except IngestError as exc:
            raise UserMessageError(UNREADABLE.format(why=str(exc)[:120])) from None
    store.adopt(ingested, session=session)
    known = [plan_id for plan_id, _ in store.signature(session=session)]
    shown = preview(ingested, known_ids=known, today=today, reportable=indicators_from)
    row, _ = store.draft(ingested.markdown(), source=name, by=who_id, now=now, session=session)
    live.prepare_soon(row.text)
    lines = preview_lines(shown)
    cut = ["…"] if len(lines) > PREVIEW_LINES else []
    text = "\n".join(["📄 Xem trước kế hoạch vừa gửi:", *lines[:PREVIEW_LINES], *cut])
    buttons = [Button("✅ Đưa vào sử dụng", f"{PREFIX}ok:{row.id}"), Button("✖️ Hủy", f"{PREFIX}huy:{row.id}")]
    return Reply(text, [buttons])


def decide(data: str, *, session: Session) -> Reply:
    """'kh:ok:<id>' puts the draft live (every process answers from it within seconds); 'kh:huy:<id>' drops it."""
    action, _, ident = data.removeprefix(PREFIX).partition(":")
    row = session.get(PlanVersion, int(ident)) if ident.isdecimal() and len(ident) < 10 else None
    if row is None or row.state != store.DRAFT:
        return Reply("Bản xem trước này đã được xử lý hoặc không còn. Gõ `campaign-bot plans` trên máy chủ để xem.",
                     close=True)
    if action != "ok":
        row.state = store.DISCARDED
        return Reply("Đã hủy, kế hoạch chưa được đưa vào sử dụng.", close=True)
    store.publish(row, session=session)
    return Reply(f"✅ Kế hoạch {row.plan_id} (phiên bản {row.version}) đã được đưa vào sử dụng. Trong vài giây, "
                 "mọi câu hỏi, /chitieu và /hanchot sẽ theo kế hoạch này.", close=True)
