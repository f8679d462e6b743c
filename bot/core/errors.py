"""The one exception that carries a message for the user: a refusal, an unreadable value, a spent link."""

from __future__ import annotations


class UserMessageError(Exception):
    """Raised by a service when it cannot do what was asked; `message` is the Vietnamese reply saying why
    and what to do next. The front ends send it as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
