"""Telegram's flood rules for the fake Bot API: a bot that sends more than 30 messages in a second, a
second message to a chat within a second, or a 21st message to a group within a minute gets 429 with
retry_after. Only messages that went through count; a chat action ("typing…") is not a message and does not
count, as with Telegram (the bot's own windows count it anyway, to be safe). Switch on with
``FakeBotApi.flood_rules()``."""

from __future__ import annotations

import math
import time
from collections import deque

from tests.support.fakebotapi_updates import ApiError

SENDS = ("send", "copy", "forward")


class FloodRules:
    def __init__(self, overall: int = 30, chat_gap: float = 1.0, group: int = 20, group_window: float = 60.0) -> None:
        self.overall, self.chat_gap, self.group, self.group_window = overall, chat_gap, group, group_window
        self._sent: deque[float] = deque()
        self._chat_last: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}
        self.rejected = 0
        self.reasons: list[str] = []  # which rule each 429 enforced: overall | chat | group

    def check(self, method: str, chat_id: object) -> None:
        """Raises the 429 Telegram would answer; else counts the message."""
        if not method.lower().startswith(SENDS) or method == "sendChatAction" or not isinstance(chat_id, int):
            return
        now = time.monotonic()
        while self._sent and self._sent[0] <= now - 1.0:
            self._sent.popleft()
        group = self._groups.setdefault(chat_id, deque()) if chat_id < 0 else None
        while group and group[0] <= now - self.group_window:
            group.popleft()
        waits = [self._sent[0] + 1.0 - now if len(self._sent) >= self.overall else 0.0,
                 self._chat_last.get(chat_id, -1e9) + self.chat_gap - now,
                 group[0] + self.group_window - now if group is not None and len(group) >= self.group else 0.0]
        if (wait := max(waits)) > 0:
            self.rejected += 1
            self.reasons.append(("overall", "chat", "group")[waits.index(wait)])
            raise ApiError(429, f"Too Many Requests: retry after {math.ceil(wait)}",
                           {"retry_after": math.ceil(wait)})
        self._sent.append(now)
        self._chat_last[chat_id] = now
        if group is not None:
            group.append(now)
