"""One incoming message or button press, and the declarations of commands and buttons that answer it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.replies import Reply
from bot.core.schedule import Rules
from bot.core.who import Who, storable
from bot.people.admins import NOBODY
from bot.people.glance import Glance, glance
from knowledge.index import KnowledgeBase

EVERYONE, OFFICERS, ADMINS = "everyone", "officers", "admins"


@dataclass
class Turn:
    """What a command needs to answer: who, what they typed (after the command) or pressed, and the
    session, plans, clock and rules of this update. Built by each front end (Telegram, the terminal)."""

    who: Who
    text: str
    now: dt.datetime
    session: Session
    kb: KnowledgeBase
    rules: Rules
    # The asker's admin scope (bot/people/admins.py: None every unit, empty none), read only when a command
    # asks: most updates are officers' reports and questions, which never do.
    scope: Callable[[], frozenset[int] | None] = lambda: NOBODY
    super_admins: frozenset[int] = frozenset()  # BOT_ADMIN_IDS: told when an officer hands a check-in over
    group_admin: bool = False  # the asker administers this group (Telegram says so; the terminal has none)
    bot_username: str = ""
    update_id: int | None = None
    label: str = ""  # the pressed button's label
    web_url: str = ""  # the office's web page (WEB_BASE_URL), for /web

    # Read once, when first asked. Not functools.cached_property: on Python 3.11 it holds one lock for every
    # instance while computing, so the worker threads' database reads of all turns would queue behind it.
    _units: tuple[frozenset[int] | None] | None = field(default=None, init=False, repr=False)
    _seen: Glance | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.text, self.label = storable(self.text), storable(self.label)  # '/start \x00' looks a unit up

    @property
    def units(self) -> frozenset[int] | None:
        """The units an admin may administer (None: every unit); empty for anyone else."""
        if self._units is None:
            self._units = (self.scope(),)
        return self._units[0]

    @property
    def seen(self) -> Glance:
        """The chat and the asker as a question needs them, read once (bot/people/glance.py)."""
        if self._seen is None:
            self._seen = glance(self.who, session=self.session)
        return self._seen

    @property
    def admin(self) -> bool:
        return self.units != NOBODY

    @property
    def tz(self) -> ZoneInfo:
        return self.rules.timezone

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()

    @property
    def super_admin(self) -> bool:
        return self.admin and self.units is None

    @property
    def args(self) -> list[str]:
        return self.text.split()


@dataclass(frozen=True)
class Command:
    """A slash command, declared once: the menus, /trogiup, Telegram and the terminal are built from it."""

    name: str
    description: str  # the menu's line, and /trogiup's
    call: Callable[[Turn], Reply]
    audience: str = EVERYONE  # who it is for: officers and admins see their own section of /trogiup
    usage: str = ""  # what follows the name in /trogiup ("[đơn vị]", "bat|tat")
    aliases: tuple[str, ...] = ()
    private: bool = False  # only in a private chat; in a group it says so
    menus: tuple[str, ...] = ("private", "group")  # the command menus that list it
    group_admin: bool = False  # in a group, it changes the group: the front end asks whether the asker manages it
    admin_help: str = ""  # what admins alone may do with it, shown to them in /trogiup

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Press:
    """The buttons whose data starts with `prefix`; `call` gets the whole data as the turn's text."""

    prefix: str
    call: Callable[[Turn], Reply]
    audience: str = EVERYONE
    group_admin: bool = False
