"""The command table: every command and button of the bot, declared once, by feature.

Telegram's handlers and menus (handlers/), /trogiup and the terminal chat (bot/start/terminal.py)
are all built from COMMANDS and PRESSES; a command's entry names the function that answers it.
"""

from __future__ import annotations

from bot.commands import admins, asking, people, plans, reminders, reporting
from bot.commands.help import helper
from bot.commands.turn import Command, Press

FEATURES = (people, asking, reporting, plans, reminders, admins)
COMMANDS: list[Command] = [c for feature in FEATURES for c in feature.COMMANDS]
COMMANDS.append(Command("trogiup", "Hướng dẫn sử dụng", helper(COMMANDS), aliases=("help",)))
PRESSES: list[Press] = [p for feature in FEATURES for p in feature.PRESSES]
BY_NAME = {name: c for c in COMMANDS for name in c.names}


def command(name: str) -> Command | None:
    """The command a typed '/Name@bot' stands for."""
    return BY_NAME.get(name.split("@", 1)[0].lower())


def press(data: str) -> Press | None:
    """The declaration of the button with this data (longest prefix first: 'bc:ok' before 'bc:')."""
    return next((p for p in sorted(PRESSES, key=lambda p: -len(p.prefix)) if data.startswith(p.prefix)), None)
