"""`campaign-bot chat`: the bot's conversation in a terminal, through the same services, no token needed.

Commands work as in Telegram; buttons are numbered, and typing the number presses one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bot.asking.answers import ASK_PREFIX, HOW_TO_ASK, ask, last_source
from bot.asking.plan_info import deadlines, targets
from bot.core.replies import Button, Reply
from bot.core.runtime import Runtime
from bot.core.who import Who
from bot.people.welcome import ASK_UNIT, UNIT_PREFIX, UNKNOWN_COMMAND, help_text, pick_unit, start, unit_picker

CONSOLE_USER = Who(chat_id=0, chat_kind="private", user_id=0, user_name="bạn")
QUIT = {"/thoat", "/quit", "/exit"}
NO_BUTTON = "Không có lựa chọn số {n}. Gõ số trong ngoặc vuông, hoặc gõ câu hỏi."


class Console:
    def __init__(self, rt: Runtime, who: Who = CONSOLE_USER) -> None:
        self.rt, self.who = rt, who
        self.buttons: list[Button] = []
        self.commands: dict[str, Callable[[str], Reply]] = {
            "start": lambda arg: self._with_session(lambda s: start(self.who, arg, self.rt.clock(), session=s)),
            "donvi": lambda _: self._with_session(lambda s: unit_picker(self.who, ASK_UNIT, session=s)),
            "chitieu": lambda _: self._with_session(lambda s: targets(self.who, session=s, kb=rt.kb)),
            "hanchot": lambda _: self._with_session(lambda s: deadlines(self.who, rt.today(), session=s, kb=rt.kb)),
            "nguon": lambda _: self._with_session(lambda s: last_source(self.who, session=s, kb=rt.kb)),
            "trogiup": lambda _: Reply(help_text("")),
            "help": lambda _: Reply(help_text("")),
            "hoi": lambda arg: self._ask(arg) if arg else Reply(HOW_TO_ASK),
        }

    def _with_session(self, call: Callable) -> Reply:
        with self.rt.db.session() as session:
            return call(session)

    def _ask(self, question: str) -> Reply:
        return self._with_session(lambda s: ask(question, self.who, session=s, kb=self.rt.kb))

    def handle(self, line: str) -> Reply:
        line = line.strip()
        if line.isdigit() and self.buttons:
            reply = self._press(int(line))
        elif line.startswith("/"):
            name, _, arg = line[1:].partition(" ")
            command = self.commands.get(name.split("@")[0].lower())
            reply = command(arg.strip()) if command else Reply(UNKNOWN_COMMAND)
        else:
            reply = self._ask(line)
        self.buttons = [b for row in reply.buttons for b in row]
        return reply

    def _press(self, number: int) -> Reply:
        if not 1 <= number <= len(self.buttons):
            return Reply(NO_BUTTON.format(n=number), [[b] for b in self.buttons])
        button = self.buttons[number - 1]
        if button.data.startswith(UNIT_PREFIX):
            unit_id = int(button.data.removeprefix(UNIT_PREFIX))
            return self._with_session(lambda s: pick_unit(self.who, unit_id, session=s))
        if button.data.startswith(ASK_PREFIX):
            return self._ask(button.label)
        return Reply(UNKNOWN_COMMAND)


def render(reply: Reply) -> str:
    buttons = [b for row in reply.buttons for b in row]
    return "\n".join([reply.text, *(f"  [{i}] {b.label}" for i, b in enumerate(buttons, 1))])


def run(rt: Runtime, stdin: TextIO, stdout: TextIO) -> None:
    console = Console(rt)
    print(render(console.handle("/start")), file=stdout)
    print("(Gõ câu hỏi hoặc lệnh; /thoat để thoát.)", file=stdout)
    prompt = "> " if stdin.isatty() else ""
    while True:
        print(prompt, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in QUIT:
            break
        if line.strip():
            print(render(console.handle(line)), file=stdout, flush=True)
