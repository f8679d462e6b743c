"""The office's web page without passwords: an admin asks the bot (/web) for a one-time link, valid ten
minutes; opening it starts a browser session that ends after an idle hour or on sign-out.

Only hashes are stored: a copy of the database signs nobody in. Which people may sign in is the caller's
question (bot/web/auth.py asks it in one place)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import WebSession, WebSignIn

LINK_VALID_FOR = dt.timedelta(minutes=10)
IDLE_TIMEOUT = dt.timedelta(hours=1)
SIGN_IN_PATH = "/dang-nhap/"
UNKNOWN = "Liên kết đăng nhập không đúng. Gửi /web cho bot để nhận liên kết mới nhé."
USED = "Liên kết đăng nhập này đã được dùng (mỗi liên kết chỉ dùng một lần). Gửi /web cho bot để nhận liên kết mới."
EXPIRED = "Liên kết đăng nhập đã hết hạn (10 phút). Gửi /web cho bot để nhận liên kết mới nhé."


class SignInRefused(UserMessageError):
    """A link that signs nobody in; `message` says why and what to do."""


@dataclass(frozen=True)
class Started:
    """A new browser session: the cookie's value (never stored) and the person it belongs to."""

    cookie: str
    person_id: int
    csrf: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(person_id: int, base_url: str, now: dt.datetime, *, session: Session) -> str:
    """A one-time sign-in link for the person, under the web page's base URL."""
    token = secrets.token_urlsafe(24)
    session.add(WebSignIn(token_hash=token_hash(token), person_id=person_id, created_at=now,
                          expires_at=now + LINK_VALID_FOR))
    return f"{base_url.rstrip('/')}{SIGN_IN_PATH}{token}"


def redeem(token: str, now: dt.datetime, *, session: Session) -> int:
    """The person the link was made for; the link is spent (a conditional update: two tabs, one wins)."""
    row = session.get(WebSignIn, token_hash(token)) if len(token) < 100 else None
    if row is None:
        raise SignInRefused(UNKNOWN)
    if row.used_at is not None:
        raise SignInRefused(USED)
    if now >= row.expires_at:
        raise SignInRefused(EXPIRED)
    spent = session.execute(update(WebSignIn).where(WebSignIn.token_hash == row.token_hash,
                                                    WebSignIn.used_at.is_(None)).values(used_at=now))
    if spent.rowcount != 1:
        raise SignInRefused(USED)
    return row.person_id


def start(person_id: int, now: dt.datetime, *, session: Session) -> Started:
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(WebSession(id_hash=token_hash(cookie), person_id=person_id, csrf=csrf, created_at=now, seen_at=now))
    return Started(cookie, person_id, csrf)


def current(cookie: str | None, now: dt.datetime, *, session: Session) -> WebSession | None:
    """The live session of this cookie, its idle clock restarted; None when there is none or it timed out."""
    if not cookie or len(cookie) > 100:
        return None
    row = session.get(WebSession, token_hash(cookie))
    if row is None or row.ended_at is not None:
        return None
    if now - row.seen_at > IDLE_TIMEOUT:
        row.ended_at = now
        return None
    row.seen_at = now
    return row


def end(cookie: str | None, now: dt.datetime, *, session: Session) -> None:
    if cookie and len(cookie) <= 100:
        live = WebSession.id_hash == token_hash(cookie), WebSession.ended_at.is_(None)
        session.execute(update(WebSession).where(*live).values(ended_at=now))


def signed_in(person_id: int, *, session: Session) -> list[WebSession]:
    """The person's open sessions (newest first)."""
    query = (select(WebSession).where(WebSession.person_id == person_id, WebSession.ended_at.is_(None))
             .order_by(WebSession.created_at.desc()))
    return list(session.scalars(query))
