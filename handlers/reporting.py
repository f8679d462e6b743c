"""/baocao and /sua: officers report their unit's figures, guided or in one line; /huy leaves at any step."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from sqlalchemy.orm import Session
from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.core.replies import Reply
from bot.core.runtime import Runtime
from bot.core.who import Who
from bot.reporting import guided as reporting
from bot.reporting.guided import CANCEL, CANCELLED, CONFIRM, PICK_PREFIX, RETYPE, NotAllowed, Pending
from bot.reporting.values import ValueRejected
from handlers.common import runtime, send, who_of

PICKING, TYPING, CONFIRMING = range(3)
TIMEOUT = 15 * 60  # seconds: a report left half-way is dropped, so a later question is not read as a value
STALE = "Phiên báo cáo này đã kết thúc. Gõ /baocao để báo cáo, /tiendo để xem số liệu đã ghi."
EXPIRED = "Phiên báo cáo đã hết thời gian chờ, chưa ghi gì. Gõ /baocao để bắt đầu lại."
PENDING = "report"


def _pending(context: ContextTypes.DEFAULT_TYPE) -> Pending:
    return context.user_data[PENDING]


Begin = Callable[[Runtime, Who, Session], tuple[Reply, Pending]]
AtOnce = Callable[[Runtime, Who, str, int, Session], Reply]


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE, begin: Begin, at_once: AtOnce,
                 first_step: int) -> int:
    """Shared by /baocao and /sua: with arguments, store at once; without, open the conversation."""
    rt, who, text = runtime(context), who_of(update), " ".join(context.args or [])
    try:
        with rt.db.session() as session:
            if text:
                reply, step = at_once(rt, who, text, update.update_id, session), ConversationHandler.END
            else:
                (reply, context.user_data[PENDING]), step = begin(rt, who, session), first_step
    except (NotAllowed, ValueRejected) as refused:
        reply, step = Reply(refused.message), ConversationHandler.END
    await send(update, reply)
    return step


async def on_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    return await _start(
        update, context, lambda rt, who, s: reporting.begin(who, rt.today(), session=s),
        lambda rt, who, text, uid, s: reporting.one_line(who, text, uid, rt.clock(), rt.today(), session=s), PICKING)


async def on_correct(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    return await _start(
        update, context, lambda rt, who, s: reporting.begin_correction(who, session=s),
        lambda rt, who, text, uid, s: reporting.correct_one_line(who, text, uid, rt.clock(), session=s), TYPING)


async def on_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    await query.answer()
    try:
        with runtime(context).db.session() as session:
            reply = reporting.pick(_pending(context), int(query.data.removeprefix(PICK_PREFIX)), session=session)
    except NotAllowed as refused:
        await send(update, Reply(refused.message))
        return ConversationHandler.END
    await send(update, reply)
    return TYPING


async def on_value(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    try:
        with runtime(context).db.session() as session:
            reply = reporting.check(_pending(context), update.effective_message.text, session=session)
    except ValueRejected as rejected:
        await send(update, Reply(reporting.with_hint(rejected)))
        return TYPING
    await send(update, reply)
    return CONFIRMING


async def on_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    await query.answer()
    rt = runtime(context)
    try:
        with rt.db.session() as session:
            reply = reporting.confirm(_pending(context), who_of(update), update.update_id, rt.clock(), session=session)
    except NotAllowed as refused:
        reply = Reply(refused.message)
    await query.edit_message_reply_markup(None)
    await send(update, reply)
    return ConversationHandler.END


async def on_retype(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    await query.answer()
    with runtime(context).db.session() as session:
        reply = reporting.retype(_pending(context), session=session)
    await query.edit_message_reply_markup(None)
    await send(update, reply)
    return TYPING


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(PENDING, None)
    if update.callback_query:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    await send(update, Reply(CANCELLED))
    return ConversationHandler.END


async def on_waiting_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply("Bạn bấm một nút ở trên để chọn, hoặc gõ /huy để thoát."))
    return None  # stay in the same step


async def on_timeout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.user_data.pop(PENDING, None)
    await send(update, Reply(EXPIRED))


async def on_stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer(STALE, show_alert=True)


async def on_cancel_outside(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply("Không có việc gì đang làm dở để hủy. Gõ /baocao để báo cáo."))


def handlers() -> list:
    """Fresh handlers for each Application: a ConversationHandler keeps its users' states and timeout jobs."""
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is tracked per chat and user, not per message:
        # that is what we want, an officer has one report open at a time
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[CommandHandler("baocao", on_report), CommandHandler("sua", on_correct)],
            states={
                PICKING: [CallbackQueryHandler(on_pick, pattern=rf"^{PICK_PREFIX}\d+$"),
                          MessageHandler(filters.TEXT & ~filters.COMMAND, on_waiting_text)],
                TYPING: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_value)],
                CONFIRMING: [CallbackQueryHandler(on_confirm, pattern=f"^{CONFIRM}$"),
                             CallbackQueryHandler(on_retype, pattern=f"^{RETYPE}$"),
                             MessageHandler(filters.TEXT & ~filters.COMMAND, on_waiting_text)],
                ConversationHandler.TIMEOUT: [MessageHandler(filters.ALL, on_timeout),
                                              CallbackQueryHandler(on_timeout)],
            },
            fallbacks=[CommandHandler("huy", on_cancel), CallbackQueryHandler(on_cancel, pattern=f"^{CANCEL}$")],
            allow_reentry=True,
            conversation_timeout=TIMEOUT,
            name="report",
        )
    return [conversation, CallbackQueryHandler(on_stale_button, pattern=rf"^{PICK_PREFIX}"),
            CommandHandler("huy", on_cancel_outside)]
