"""Plans an admin sends as documents (bot/plans/uploads.py): the preview's buttons; the document itself
arrives as a message, through `dialog.on_document`."""

from __future__ import annotations

from bot.commands.turn import ADMINS, Press, Turn
from bot.core.replies import Reply
from bot.plans import uploads


def decide(turn: Turn) -> Reply:
    return uploads.decide(turn.text, session=turn.session)


COMMANDS: list = []
PRESSES = [Press(uploads.PREFIX, decide, audience=ADMINS)]
