"""Who is asking, from which chat: what every service needs to know of a Telegram (or terminal) update."""

from __future__ import annotations

from dataclasses import dataclass

GROUP_KINDS = frozenset({"group", "supergroup"})


@dataclass(frozen=True)
class Who:
    chat_id: int
    chat_kind: str = "private"
    user_id: int | None = None
    user_name: str = ""
    chat_title: str = ""

    @property
    def in_group(self) -> bool:
        return self.chat_kind in GROUP_KINDS
