"""What a failed send means for its outbox row. Pure: the Telegram wiring turns each error into a
SendError, `decide` says where the row goes next.

A timeout after the request left ("unknown") is not resent: Telegram may have delivered it, a reminder
twice is the failure users notice, and the next offset's reminder (3 days, 1 day) repeats the message.
A timeout before it left (no connection) is a network error and is retried.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTEMPTS = 5
MAX_BACKOFF = 60.0


class SendError(Exception):
    """kind: flood | blocked | migrated | not_found | bad_request | network | unknown."""

    def __init__(self, kind: str, description: str = "", *, retry_after: float = 0.0,
                 new_chat_id: int | None = None) -> None:
        super().__init__(f"{kind}: {description}")
        self.kind, self.description = kind, description
        self.retry_after, self.new_chat_id = retry_after, new_chat_id


@dataclass(frozen=True)
class Decision:
    state: str  # pending (try again) | failed | unknown
    reason: str = ""
    retry_in: float = 0.0
    pause_all: float = 0.0  # 429: nothing goes out for this long
    counts_attempt: bool = True
    deactivate: bool = False  # 403: the chat blocked or removed the bot
    move_to: int | None = None  # the group became a supergroup: resend there, once


def backoff(attempts: int, base: float = 1.0) -> float:
    """1, 2, 4, 8… seconds (with base 1), at most a minute."""
    return min(base * 2.0 ** (attempts - 1), MAX_BACKOFF)


def decide(error: SendError, *, attempts: int, migrated_before: bool, base: float = 1.0) -> Decision:
    """`attempts`: tries so far, this one included; `base`: the first backoff in seconds."""
    if error.kind == "flood":
        return Decision("pending", "429", retry_in=error.retry_after, pause_all=error.retry_after,
                        counts_attempt=False)
    if error.kind == "blocked":
        return Decision("failed", f"blocked: {error.description}", deactivate=True)
    if error.kind == "migrated":
        if migrated_before or error.new_chat_id is None:
            return Decision("failed", "migrated twice")
        return Decision("pending", f"migrated to {error.new_chat_id}", move_to=error.new_chat_id,
                        counts_attempt=False)
    if error.kind in ("not_found", "bad_request"):
        return Decision("failed", error.description or error.kind)
    if error.kind == "unknown":
        return Decision("unknown", f"no answer after sending: {error.description}")
    if attempts >= MAX_ATTEMPTS:
        return Decision("failed", f"gave up after {attempts} tries: {error.description}")
    return Decision("pending", f"retrying: {error.description}", retry_in=backoff(attempts, base))
