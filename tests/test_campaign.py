"""A generated campaign through the real bot, as an outside tester runs one: 1,000 updates of every kind
(commands with bad arguments, text in any script, forged and stale buttons) from 120 strangers, an officer
and an admin, all at once. Every message and every button press is answered, nothing raises, and no log
line names a person or quotes a note."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter

import pytest

from handlers.errors import SORRY
from tests.support.harness import BotUnderTest, Person, running
from tests.support.proxies import bypass_proxies
from tests.test_any_input import NAMES
from tests.test_reporting import invite_link

UPDATES = 1_000
OFFICER, NOTE = "Phạm Thị Mai", "hồ sơ lưu tại tổ một cửa"
ARGUMENTS = ["", "85%", "45/60", "III-3 - 5", "1/3/", "' OR 1=1--", "99999999999999999999", "²", "0000-H1",
             "them 15/12/2026 Báo cáo", "xoa 99999999999999999999", "bat weekly", "tat", "xa-cat-ne", "moi-x",
             "--nhieu 3", "III-3 45/60 - " + NOTE, "a" * 5000]
TEXTS = ["chỉ tiêu hồ sơ trực tuyến là bao nhiêu", "chi tieu cbcc tap huan", "khi nao tong ket", "🙂🙂", "ﷺ ∑ Ω",
         "SELECT * FROM people", "\u202eabc", "x" * 4000, "45/60", "hủy", "/", "@thidua_bot"]


class CampaignBot(BotUnderTest):
    rate_limited = False  # 1,000 answers at Telegram's 30 a second would take the test a minute


@pytest.fixture
async def campaign(kb, database_url, clock, monkeypatch):
    bypass_proxies(monkeypatch)
    async with running(CampaignBot, kb, database_url, clock) as bot:
        yield bot


def generated(rng: random.Random, people: list[Person]) -> list[tuple[Person, str]]:
    """(who, what): a command with arguments, a text, or a button's data ('!' marks a press)."""
    found = []
    for _ in range(UPDATES):
        roll, person = rng.random(), rng.choice(people)
        if roll < 0.5:
            found.append((person, f"/{rng.choice(NAMES) or 'x'} {rng.choice(ARGUMENTS)}".strip()))
        elif roll < 0.8:
            found.append((person, rng.choice(TEXTS + ARGUMENTS[1:])))
        else:
            found.append((person, "!" + rng.choice(["unit:99999999999999999999", "", "bc:ok", "bc:9", "askplan:²",
                                                    "vao:ok:1", "tt:-100:weekly", "nn:x", "moi:?", "x" * 64])))
    return found


async def test_a_generated_campaign_is_answered_with_no_traceback_and_no_name_in_the_logs(campaign, caplog):
    caplog.set_level(logging.INFO)
    mai = campaign.user(701, OFFICER)
    await mai.say(f"/start {await invite_link(campaign)}")
    await mai.say(f"/baocao III-3 45/60 - {NOTE}")
    admin = campaign.admin()
    people = [campaign.user(5_000 + n, f"Người Thử Số {n}") for n in range(120)] + [mai, admin]
    anchor = campaign.fake.sent(admin.chat_id)[-1]  # a message to press forged buttons under
    texts, presses = Counter(), []
    for person, what in generated(random.Random(20261202), people):
        if what.startswith("!"):
            presses.append(campaign.fake.push_callback(anchor, what[1:], user_id=person.user_id, stale=True))
        else:
            person.send(what)
            texts[person.chat_id] += 1
    await every_one_answered(campaign, texts, presses)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not [m.text for m in campaign.fake.sent() if m.text == SORRY]  # no handler fell to the last resort
    logged = "\n".join(r.getMessage() + str(r.args or "") for r in caplog.records)
    assert "Người Thử" not in logged and OFFICER not in logged and NOTE not in logged


async def every_one_answered(bot: BotUnderTest, texts: Counter, presses: list[int], timeout: float = 120) -> None:
    """Each chat got at least one message per text it sent, and each press its answer."""
    fake, waited = bot.fake, 0.0
    while short := {chat: n for chat, n in texts.items() if len(fake.sent(chat, include_deleted=True)) < n}:
        assert waited < timeout, f"chats unanswered after {timeout} s (chat: texts sent): {short}"
        await asyncio.sleep(0.5)
        waited += 0.5
    for press in presses:
        await fake.callback_answer(press, timeout=30)
