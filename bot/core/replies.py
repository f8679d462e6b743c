"""What the bot says, independent of Telegram: text, rows of buttons, files; for a button press, whether
the pressed message is edited, its buttons removed, or a short notice shown."""

from __future__ import annotations

from dataclasses import dataclass, field

TELEGRAM_LIMIT = 4096
ECHO_LIMIT = 60  # characters of a user's own input a reply quotes back; the rest is cut with "…"


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Attachment:
    """A file sent after the text: a document, or a picture shown in the chat."""

    name: str
    content: bytes
    caption: str = ""
    picture: bool = False


@dataclass
class Reply:
    text: str = ""
    buttons: list[list[Button]] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    edit: bool = False          # a button press: the pressed message becomes this text
    close: bool = False         # a button press: the pressed message loses its buttons
    notice: str = ""            # a button press: a short alert instead of (or before) a message


def quoted(text: str, limit: int = ECHO_LIMIT) -> str:
    """The user's input as a reply quotes it: one line, at most `limit` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def one_per_row(buttons: list[Button]) -> list[list[Button]]:
    return [[b] for b in buttons]


def notice(text: str) -> Reply:
    """A button press answered by an alert only: nothing is sent to the chat."""
    return Reply(notice=text)


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends (inside a line only when it alone is too long)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:limit]]
