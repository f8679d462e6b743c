"""The fake Bot API, exercised through PTB itself: what it answers is what PTB parses."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    ChatFullInfo,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.support.fakebotapi import FakeBotApi
from tests.support.fakebotapi_updates import (
    bot_user_dict,
    chat_full_info,
    chat_member_dict,
    detect_entities,
    parse_html,
)
from tests.support.proxies import bypass_proxies

# PTB 22 itself reads the deprecated int ``RetryAfter.retry_after`` when it builds the exception.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
USER = 4242
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Có", callback_data="yes"),
                                  InlineKeyboardButton("Không", callback_data="no")]])


def png(width: int, height: int) -> bytes:
    """A valid, tiny PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# ----- sending, editing, files -----
async def test_send_message_round_trips_inline_keyboard(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    assert fake_bot.username == "thidua_bot"
    message = await fake_bot.send_message(USER, "Chọn một", reply_markup=KEYBOARD)
    assert (message.text, message.chat.type, message.from_user.id) == ("Chọn một", "private", fake_bot.id)
    assert message.reply_markup == KEYBOARD
    second = await fake_bot.send_message(USER, "123", reply_to_message_id=message.message_id)
    assert second.message_id == message.message_id + 1 and second.text == "123"
    assert second.reply_to_message.message_id == message.message_id
    sent = fake_api.sent(USER)
    assert [m.text for m in sent] == ["Chọn một", "123"]
    assert sent[0].buttons == [["Có", "Không"]] and sent[0].callback_data("Không") == "no"
    call = await fake_api.wait_for("sendMessage")
    assert call.params == {"chat_id": USER, "text": "Chọn một", "reply_markup": KEYBOARD.to_dict()}


async def test_html_is_parsed_like_telegram(fake_bot: Bot) -> None:
    message = await fake_bot.send_message(USER, "<b>Hạn chót</b> &lt;30/6&gt; 😀 <i>x</i>", parse_mode=ParseMode.HTML)
    assert message.text == "Hạn chót <30/6> 😀 x"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 8), ("italic", 19, 1)]
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await fake_bot.send_message(USER, "a < b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await fake_bot.send_message(USER, "x" * 4097)


async def test_edits_update_the_stored_message(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    message = await fake_bot.send_message(USER, "Bước 1", reply_markup=KEYBOARD)
    edited = await fake_bot.edit_message_text("Bước 2", USER, message.message_id, reply_markup=KEYBOARD)
    assert edited.text == "Bước 2" and edited.edit_date is not None and edited.reply_markup == KEYBOARD
    with pytest.raises(BadRequest, match="Message is not modified"):
        await fake_bot.edit_message_text("Bước 2", USER, message.message_id, reply_markup=KEYBOARD)
    edited = await fake_bot.edit_message_text("Xong", USER, message.message_id)  # no markup: keyboard gone
    assert edited.reply_markup is None
    edited = await fake_bot.edit_message_reply_markup(USER, message.message_id, reply_markup=KEYBOARD)
    assert edited.text == "Xong" and edited.reply_markup == KEYBOARD
    [sent] = fake_api.sent(USER)
    assert (sent.text, sent.edits, sent.buttons) == ("Xong", 3, [["Có", "Không"]])
    assert await fake_bot.delete_message(USER, message.message_id)
    assert fake_api.sent(USER) == [] and fake_api.sent(USER, include_deleted=True)[0].deleted
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await fake_bot.edit_message_text("?", USER, message.message_id)


async def test_documents_and_photos_keep_name_and_bytes(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    xlsx = b"PK\x03\x04 fake workbook"
    message = await fake_bot.send_document(USER, xlsx, filename="bao_cao.xlsx", caption="Báo cáo quý")
    assert (message.document.file_name, message.document.file_size, message.caption) == ("bao_cao.xlsx", len(xlsx),
                                                                                        "Báo cáo quý")
    sent = fake_api.sent(USER)[-1]
    assert (sent.file.file_name, sent.file.data, sent.text) == ("bao_cao.xlsx", xlsx, "Báo cáo quý")
    assert message.document.mime_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    photo = await fake_bot.send_photo(USER, png(30, 20), filename="chart.png")
    assert (photo.photo[-1].width, photo.photo[-1].height) == (30, 20)
    assert fake_api.sent(USER)[-1].file.data == png(30, 20)
    downloaded = await (await fake_bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == xlsx


# ----- faults -----
@pytest.mark.parametrize(("fault", "error", "check"), [
    ({"error": 429, "retry_after": 7}, RetryAfter, lambda e: "Retry in 7 seconds" in e.message),
    ({"error": 403}, Forbidden, lambda e: e.message == "Forbidden: bot was blocked by the user"),
    ({"error": 400}, BadRequest, lambda e: e.message == "Chat not found"),
    ({"error": 400, "migrate_to_chat_id": -1001234}, ChatMigrated, lambda e: e.new_chat_id == -1001234),
    ({"error": 500}, NetworkError, lambda e: e.message == "Internal Server Error"),
    ({"error": 502}, NetworkError, lambda e: e.message == "Bad Gateway"),
])
async def test_faults_raise_what_ptb_raises(fake_api: FakeBotApi, fake_bot: Bot, fault, error, check) -> None:
    fake_api.fail("sendMessage", times=2, **fault)
    for _ in range(2):
        with pytest.raises(error) as raised:
            await fake_bot.send_message(USER, "nhắc việc")
        assert check(raised.value), raised.value
    assert (await fake_bot.send_message(USER, "nhắc việc")).text == "nhắc việc"  # the fault is used up
    assert [c.error_code for c in fake_api.calls if c.method == "sendMessage"][-1] is None
    assert len(fake_api.sent(USER)) == 1


async def test_faults_can_target_one_chat_and_chats_can_block(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    fake_api.fail("sendMessage", error=403, chat_id=1)
    fake_api.block(2)
    assert await fake_bot.send_message(3, "ok")
    for chat_id in (1, 2, 2):
        with pytest.raises(Forbidden):
            await fake_bot.send_message(chat_id, "x")
    assert await fake_bot.send_message(1, "again")
    fake_api.unblock(2)
    assert await fake_bot.send_message(2, "unblocked")
    fake_api.migrate_chat(-55, -10055)
    with pytest.raises(ChatMigrated):
        await fake_bot.send_message(-55, "x")


async def test_slow_answer_times_out_after_the_message_was_sent(fake_api: FakeBotApi) -> None:
    bot = Bot(fake_api.token, base_url=fake_api.base_url, request=HTTPXRequest(read_timeout=0.2))
    async with bot:
        fake_api.fail("sendMessage", error="slow", delay=0.5)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "đã gửi")
        assert [m.text for m in fake_api.sent(USER)] == ["đã gửi"]
        fake_api.fail("sendMessage", error="timeout", delay=0.5)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "chưa gửi")
        assert [m.text for m in fake_api.sent(USER)] == ["đã gửi"]


# ----- updates -----
async def test_long_poll_returns_when_an_update_arrives(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    asyncio.get_running_loop().call_later(0.1, lambda: fake_api.push_message("xin chào", chat_id=USER))
    started = time.monotonic()
    [update] = await fake_bot.get_updates(timeout=2)
    assert time.monotonic() - started < 1.0
    assert update.message.text == "xin chào" and update.message.from_user.id == USER
    second = fake_api.push_message("/help", chat_id=USER)
    assert [u.update_id for u in await fake_bot.get_updates(offset=update.update_id, timeout=0)] == \
           [update.update_id, second]
    assert [u.update_id for u in await fake_bot.get_updates(offset=second, timeout=0)] == [second]
    assert await fake_bot.get_updates(offset=second + 1, timeout=0) == ()
    raw = {"message_id": 99, "date": 0, "chat": {"id": USER, "type": "private"}, "text": "again"}
    fake_api.push_update({"update_id": second, "message": raw})
    [again] = await fake_bot.get_updates(offset=second + 1, timeout=0)  # redelivered despite the offset
    assert again.update_id == second and again.message.text == "again"
    assert await fake_bot.get_updates(offset=second + 1, timeout=0) == ()


async def test_stop_releases_a_waiting_long_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    bypass_proxies(monkeypatch)
    fake = await FakeBotApi().start()
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        while fake.calls[-1].method != "getUpdates":  # wait_for only sees answered calls
            await asyncio.sleep(0.01)
        started = time.monotonic()
        await fake.stop()
        assert await poll == ()  # answered empty, not left hanging for 5 s
        assert time.monotonic() - started < 1


async def test_user_updates_parse_in_ptb(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    sent = await fake_bot.send_message(-100777, "Ai nộp báo cáo?", reply_markup=KEYBOARD)
    fake_api.push_message("/nop@thidua_bot nhờ @someone_else xem", chat_id=-100777, user_id=7,
                          title="Phòng CĐS", first_name="Lan", reply_to=sent.message_id)
    callback_id = fake_api.push_callback(fake_api.sent(-100777)[0], "yes", user_id=7)
    message, query = list(await fake_bot.get_updates())
    msg = message.message
    assert (msg.chat.type, msg.chat.title, msg.from_user.first_name) == ("supergroup", "Phòng CĐS", "Lan")
    assert msg.parse_entities(["bot_command", "mention"]) == {msg.entities[0]: "/nop@thidua_bot",
                                                                msg.entities[1]: "@someone_else"}
    assert msg.reply_to_message.text == "Ai nộp báo cáo?"
    assert isinstance(query.callback_query, CallbackQuery) and query.callback_query.data == "yes"
    assert query.callback_query.message.message_id == sent.message_id
    await query.callback_query.answer("Đã ghi nhận")
    assert (await fake_api.callback_answer(callback_id)).params["text"] == "Đã ghi nhận"
    with pytest.raises(AssertionError, match="no button"):
        fake_api.push_callback(sent.to_dict(), "maybe", user_id=7)


async def test_chat_queries_and_settings(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    fake_api.set_member(-100777, 7, "administrator")
    fake_api.set_member(-100777, 8, "creator")
    assert isinstance(await fake_bot.get_chat_member(-100777, 7), ChatMemberAdministrator)
    assert isinstance(await fake_bot.get_chat_member(-100777, 8), ChatMemberOwner)
    assert isinstance(await fake_bot.get_chat_member(-100777, 9), ChatMemberMember)
    chat = await fake_bot.get_chat(-100777)
    assert isinstance(chat, ChatFullInfo) and chat.type == "supergroup"
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("help", "Trợ giúp")]
    assert await fake_bot.set_my_commands(commands)
    assert await fake_bot.get_my_commands() == tuple(commands)
    assert await fake_bot.delete_my_commands() and await fake_bot.get_my_commands() == ()
    assert await fake_bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert await fake_bot.send_chat_action(USER, ChatAction.UPLOAD_DOCUMENT)
    assert await fake_bot.set_webhook("https://example.invalid/hook")
    with pytest.raises(Conflict):  # Telegram refuses polling while a webhook is set
        await fake_bot.get_updates()
    fake_api.push_message("hi", chat_id=USER)
    assert await fake_bot.delete_webhook(drop_pending_updates=True)
    assert (await fake_bot.get_webhook_info()).url == "" and await fake_bot.get_updates() == ()
    with pytest.raises(BadRequest, match="Query is too old"):
        await fake_bot.answer_callback_query("no-such-query")


async def test_unknown_methods_and_tokens_fail_loudly(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await fake_bot.do_api_request("sendPigeon", api_kwargs={"chat_id": 1})
    with pytest.raises(InvalidToken, match="Not Found: method sendDice"):
        await fake_bot.send_dice(USER)
    assert [c.method for c in fake_api.unexpected] == ["sendPigeon", "sendDice"]
    with pytest.raises(AssertionError, match="does not implement: sendDice, sendPigeon"):
        fake_api.assert_all_expected()  # what the fake_api fixture checks at teardown
    fake_api.unexpected.clear()  # expected here: don't fail this test at teardown
    wrong = Bot("1:wrong", base_url=fake_api.base_url)
    with pytest.raises(InvalidToken, match="rejected"):  # a 401
        await wrong.initialize()
    await wrong.shutdown()
    with pytest.raises(AssertionError, match=r"sendDice chat=4242 404"):
        await fake_api.next_message(USER, timeout=0.05)
    with pytest.raises(AssertionError, match="Xin chào"):
        await asyncio.gather(fake_api.no_message(USER, within=0.2), fake_bot.send_message(USER, "Xin chào"))
    with pytest.raises(ValueError, match="does not implement 'sendDice'"):
        fake_api.fail("sendDice")


async def test_raw_http_bodies_and_error_shapes(fake_api: FakeBotApi) -> None:
    url = f"{fake_api.base_url}{fake_api.token}"
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{url}/sendMessage", json={"chat_id": USER, "text": "123",
                                                               "reply_markup": KEYBOARD.to_dict()})
        assert answer.json()["result"]["reply_markup"] == KEYBOARD.to_dict()
        answer = await client.post(f"{url}/sendmessage", data={"chat_id": str(USER), "text": "true",
                                                               "disable_notification": "true"})
        assert answer.json()["result"]["text"] == "true"
        assert fake_api.calls[-1].params == {"chat_id": USER, "text": "true", "disable_notification": True}
        answer = await client.get(f"{url}/getChat", params={"chat_id": "-55"})
        assert answer.json()["result"]["type"] == "group"
        answer = await client.post(f"{fake_api.base_url}1:wrong/getMe")
        assert (answer.status_code, answer.json()) == (401, {"ok": False, "error_code": 401,
                                                             "description": "Unauthorized"})
        fake_api.fail("sendMessage", error=429, retry_after=3)
        answer = await client.post(f"{url}/sendMessage", json={"chat_id": USER, "text": "x"})
        assert answer.json() == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
                                 "parameters": {"retry_after": 3}}
    mark = fake_api.mark()
    assert [c.method for c in fake_api.calls] == ["sendMessage", "sendMessage", "getChat", "sendMessage"]
    assert fake_api.calls[0].at <= fake_api.calls[-1].at
    with pytest.raises(AssertionError, match=r"no matching sendMessage call within 0\.05s"):
        await fake_api.wait_for("sendMessage", after=mark, timeout=0.05)


async def test_user_documents_can_be_downloaded(fake_api: FakeBotApi, fake_bot: Bot) -> None:
    fake_api.push_message("Nộp báo cáo", chat_id=USER, document=("so_lieu.xlsx", b"PK data"))
    [update] = await fake_bot.get_updates()
    assert (update.message.caption, update.message.document.file_name) == ("Nộp báo cáo", "so_lieu.xlsx")
    data = await (await update.message.document.get_file()).download_as_bytearray()
    assert bytes(data) == b"PK data"


def test_payloads_satisfy_ptb_parsers() -> None:
    bot = Bot("1:x")
    assert bot_user_dict(1, "Bot", "thidua_bot")["can_join_groups"]
    for status in ("creator", "administrator", "member", "restricted", "left", "kicked"):
        member = chat_member_dict(status, {"id": 1, "is_bot": False, "first_name": "A"})
        assert ChatMember.de_json(member, bot).status == status
    assert ChatFullInfo.de_json(chat_full_info({"id": -1, "type": "group", "title": "T"}), bot).title == "T"
    assert detect_entities("😀 /start") == [{"type": "bot_command", "offset": 3, "length": 6}]
    assert parse_html("<pre><code class=\"language-py\">x</code></pre>")[1] == [
        {"type": "pre", "offset": 0, "length": 1, "language": "py"}]


# ----- a real Application, long polling -----
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("Xin chào! Chọn:", reply_markup=KEYBOARD)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await update.callback_query.edit_message_text(f"Bạn chọn: {update.callback_query.data}")


async def test_application_answers_start_over_long_polling(fake_api: FakeBotApi) -> None:
    app = (ApplicationBuilder().token(fake_api.token).base_url(fake_api.base_url)
           .base_file_url(fake_api.base_file_url).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0)
        fake_api.push_message("/start", chat_id=USER)
        reply = await fake_api.next_message(USER)
        assert reply.text == "Xin chào! Chọn:" and reply.buttons == [["Có", "Không"]]
        fake_api.push_message("/start@thidua_bot", chat_id=-100777, user_id=7)
        assert (await fake_api.next_message(-100777)).text == "Xin chào! Chọn:"
        mark = fake_api.mark()
        update_id = fake_api.push_callback(reply, reply.callback_data("Có"), user_id=USER)
        await fake_api.callback_answer(update_id)
        await fake_api.wait_for("editMessageText", after=mark)
        assert reply.text == "Bạn chọn: yes" and reply.buttons == []
        await fake_api.no_message(USER, within=0.1)
        await app.updater.stop()
        await app.stop()
