"""Who is asking, from which chat: what every service needs to know of a Telegram (or terminal) update."""

from __future__ import annotations

from dataclasses import dataclass

GROUP_KINDS = frozenset({"group", "supergroup"})


def storable(text: str) -> str:
    """Text a database can hold: PostgreSQL refuses a NUL character in any text, even in a query's parameter."""
    return text.replace("\x00", "")


@dataclass(frozen=True)
class Who:
    chat_id: int
    chat_kind: str = "private"
    user_id: int | None = None
    user_name: str = ""
    chat_title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_name", storable(self.user_name))
        object.__setattr__(self, "chat_title", storable(self.chat_title))

    @property
    def in_group(self) -> bool:
        return self.chat_kind in GROUP_KINDS
