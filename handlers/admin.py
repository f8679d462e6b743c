"""Admins only (BOT_ADMIN_IDS): /moi invites an officer; /tonghop, /chuanop and /xuat over all units."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.core.models import Unit
from bot.core.replies import Reply
from bot.people.invites import ADMINS_ONLY, INVITE_PREFIX, invite_reply, unit_choices
from bot.people.units import find_unit
from bot.reporting import periods
from bot.reporting.export import export
from bot.reporting.progress import not_submitted, period_or_hint, summary
from handlers.common import runtime, send


async def _refused(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True (and the user told so) when the sender is not an admin."""
    if runtime(context).is_admin(update.effective_user.id if update.effective_user else None):
        return False
    if update.callback_query:
        await update.callback_query.answer(ADMINS_ONLY, show_alert=True)
    else:
        await send(update, Reply(ADMINS_ONLY))
    return True


async def on_invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await _refused(update, context):
        return
    rt, text = runtime(context), " ".join(context.args or [])
    with rt.db.session() as session:
        if not text:
            reply = unit_choices(session=session)
        else:
            reply = invite_reply(find_unit(text, session=session), update.effective_user.id, context.bot.username,
                                 rt.clock(), session=session)
    await send(update, reply)


async def on_invite_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await _refused(update, context):
        return
    await update.callback_query.answer()
    rt = runtime(context)
    with rt.db.session() as session:
        unit = session.get(Unit, int(update.callback_query.data.removeprefix(INVITE_PREFIX)))
        reply = invite_reply(unit, update.effective_user.id, context.bot.username, rt.clock(), session=session)
    await update.callback_query.edit_message_text(reply.text)


async def _admin_period(update: Update, context: ContextTypes.DEFAULT_TYPE) -> periods.Span | None:
    """The period typed after the command (the current half-year by default), for an admin; else None."""
    if await _refused(update, context):
        return None
    try:
        return period_or_hint(" ".join(context.args or []), periods.half_of(runtime(context).today()))
    except ValueError as unreadable:
        await send(update, Reply(str(unreadable)))
        return None


async def on_summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _period_report(update, context, summary)


async def on_missing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _period_report(update, context, not_submitted)


async def _period_report(update: Update, context: ContextTypes.DEFAULT_TYPE, report: Callable[..., Reply]) -> None:
    if (span := await _admin_period(update, context)) is None:
        return
    with runtime(context).db.session() as session:
        reply = report(span, session=session)
    await send(update, reply)


async def on_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (span := await _admin_period(update, context)) is None:
        return
    rt = runtime(context)
    with rt.db.session() as session:
        files = export(span, rt.timezone, session=session)
    for name, content in files.items():
        await update.effective_chat.send_document(content, filename=name, caption=f"Số liệu {span.label}")


HANDLERS = [
    CommandHandler("moi", on_invite),
    CallbackQueryHandler(on_invite_button, pattern=rf"^{INVITE_PREFIX}\d+$"),
    CommandHandler("tonghop", on_summary),
    CommandHandler("chuanop", on_missing),
    CommandHandler("xuat", on_export),
]
