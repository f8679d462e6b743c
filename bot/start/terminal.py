"""`campaign-bot chat`: the bot's conversation in a terminal, from the same command table, no token needed.

Every command works as in Telegram, the guided report included; buttons are numbered, and typing the
number presses one; files (/xuat, the /tiendo chart) are written to the current directory. The terminal
user is Telegram user 0 (no real account has that id); `--admin` makes them an admin, `--unit CODE` an
officer of that unit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.commands import dialog
from bot.commands.turn import Turn
from bot.core.replies import Button, Reply
from bot.core.runtime import Runtime
from bot.core.who import Who
from bot.people.admins import NOBODY
from bot.people.units import remember, unit_by_code

CONSOLE_USER = Who(chat_id=0, chat_kind="private", user_id=0, user_name="bạn")
BOT_NAME = "thidua_bot"  # what invite links name in the terminal: `/start moi-…` joins in it too
QUIT = {"/thoat", "/quit", "/exit"}
NO_BUTTON = "Không có lựa chọn số {n}. Gõ số trong ngoặc vuông, hoặc gõ câu hỏi."


class Console:
    def __init__(self, rt: Runtime, who: Who = CONSOLE_USER, *, admin: bool = False, out: Path = Path(".")) -> None:
        self.rt, self.who, self.admin, self.out = rt, who, admin, out
        self.buttons: list[Button] = []
        self.saved: list[Path] = []

    def handle(self, line: str) -> Reply:
        line = line.strip()
        if line.isdecimal() and self.buttons:
            reply = self._press(int(line))
        elif line.startswith("/"):
            name, _, arg = line[1:].partition(" ")
            reply = self._turn(lambda turn: dialog.on_command(name, turn), arg.strip())
        else:
            reply = self._turn(dialog.on_text, line)
        if reply.buttons or not reply.notice:
            self.buttons = [b for row in reply.buttons for b in row]
        self.saved = [self._save(f.name, f.content) for f in reply.files]
        return reply

    def _press(self, number: int) -> Reply:
        if not 1 <= number <= len(self.buttons):
            return Reply(NO_BUTTON.format(n=number), [[b] for b in self.buttons])
        button = self.buttons[number - 1]
        return self._turn(dialog.on_press, button.data, label=button.label)

    def _turn(self, handle: Callable[[Turn], Reply], text: str, label: str = "") -> Reply:
        with self.rt.db.session() as session:
            return handle(Turn(self.who, text, self.rt.clock(), session, self.rt.kb, self.rt.reminders,
                               scope=lambda: None if self.admin else NOBODY, group_admin=True,
                               bot_username=BOT_NAME, label=label, web_url=self.rt.web_url))

    def _save(self, name: str, content: bytes) -> Path:
        path = self.out / name
        path.write_bytes(content)
        return path

    def join(self, code: str) -> str:
        """--unit CODE: the terminal user reports for that unit."""
        with self.rt.db.session() as session:
            unit = unit_by_code(code, session=session)
            if unit is None:
                return f"Không có đơn vị mã “{code}” (xem `campaign-bot units list`)."
            _, person = remember(self.who, session=session)
            person.unit, person.role = unit, "officer"
            return f"Bạn là cán bộ báo cáo của {unit.name}."


def render(reply: Reply, saved: list[Path] = ()) -> str:
    buttons = [b for row in reply.buttons for b in row]
    lines = [f"ⓘ {reply.notice}"] if reply.notice else []
    lines += [reply.text] if reply.text else []
    lines += [f"📎 Đã lưu {path}" for path in saved]
    lines += [f"  [{i}] {b.label}" for i, b in enumerate(buttons, 1)]
    return "\n".join(lines)


def run(rt: Runtime, stdin: TextIO, stdout: TextIO, *, admin: bool = False, unit: str | None = None) -> None:
    console = Console(rt, admin=admin)
    if unit:
        print(console.join(unit), file=stdout)
    print(render(console.handle("/start")), file=stdout)
    print("(Gõ câu hỏi hoặc lệnh; /thoat để thoát.)", file=stdout)
    prompt = "> " if stdin.isatty() else ""
    while True:
        print(prompt, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in QUIT:
            break
        if line.strip():
            reply = console.handle(line)
            print(render(reply, console.saved), file=stdout, flush=True)
