"""/tiendo: the unit's figures for the period against its targets, as text and as a chart."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.core.replies import Reply
from bot.reporting import periods
from bot.reporting.progress import period_or_hint, progress
from handlers.common import runtime, send, who_of


async def on_progress(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    try:
        span = period_or_hint(" ".join(context.args or []), periods.half_of(rt.today()))
    except ValueError as unreadable:
        await send(update, Reply(str(unreadable)))
        return
    with rt.db.session() as session:
        found = progress(who_of(update), span, session=session)
    await send(update, found.reply)
    if any(bar.value is not None for bar in found.bars):
        await update.effective_chat.send_photo(await asyncio.to_thread(_chart, found.title, found.bars),
                                               caption="Biểu đồ: kết quả so với chỉ tiêu")


def _chart(title: str, bars: list) -> bytes:
    from bot.reporting.charts import progress_png  # matplotlib costs seconds to import: only when a chart is drawn

    return progress_png(title, bars)


HANDLERS = [CommandHandler("tiendo", on_progress)]
