"""Settings from the environment (and an optional `.env`), checked once at start-up.

A missing or malformed setting stops the bot with a message naming it, in Vietnamese and English.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.schedule import Offset, Rules, parse_offsets

DEFAULT_DATABASE = "sqlite:///data/campaign-bot.db"
TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
# Telegram accepts 1-256 of these characters as a webhook secret; fewer than 16 is guessable
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
RESERVED_PATHS = ("/healthz", "/metrics")


S = TypeVar("S", bound="LocalSettings")


class SettingsError(SystemExit):
    """Start-up stops here: the message names the setting and what is wrong with it."""


class LocalSettings(BaseSettings):
    """What the console and the database commands need: no Telegram token."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_DATABASE
    bot_timezone: str = "Asia/Ho_Chi_Minh"
    personal_data_retention_days: int = Field(default=730, ge=0)  # 0 keeps personal data until erased on request
    db_auto_upgrade: bool = True
    log_format: Literal["text", "json"] = "text"
    reminder_offsets: Annotated[tuple[Offset, ...], NoDecode] = parse_offsets("7d,3d,1d")
    reminder_time: dt.time = dt.time(8, 0)
    bot_admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    web_base_url: str | None = None  # the office's web page as browsers reach it; /web links point there
    bot_username: str = ""  # the bot's @name without @: the web page's bulk invites link to t.me/<it>

    @field_validator("bot_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone, e.g. Asia/Ho_Chi_Minh") from None
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> object:
        return parse_offsets(value) if isinstance(value, str) else value

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _admins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("web_base_url")
    @classmethod
    def _web_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("not an http(s) URL, e.g. https://thidua.example.gov.vn")
        return value.rstrip("/")

    @field_validator("reminder_time")
    @classmethod
    def _reminder_time(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError("a time of day without zone, e.g. 08:00 (BOT_TIMEZONE applies)")
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def retention(self) -> dt.timedelta | None:
        return dt.timedelta(days=self.personal_data_retention_days) if self.personal_data_retention_days else None

    @property
    def reminder_rules(self) -> Rules:
        return Rules(self.reminder_offsets, self.reminder_time, self.timezone)


class Settings(LocalSettings):
    telegram_bot_token: SecretStr
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_rate_limit: bool = True  # false only to measure the bot's own capacity (bench/)
    health_port: int | None = Field(default=None, ge=1, le=65535)  # /healthz and /metrics; off unless set
    health_listen: str = "127.0.0.1"
    # One Telegram budget for every replica (bot/transport/budget.py): redis://host:6379/0. Unset: this
    # process keeps Telegram's windows alone, which is right for a single process only.
    telegram_budget_url: SecretStr | None = None
    telegram_budget_prefix: str = Field(default="campaign-bot", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    # Telegram allows a bot 30 messages/s; more only with paid broadcasts (up to 1000/s).
    telegram_messages_per_second: int = Field(default=30, ge=2, le=1000)
    web_port: int | None = Field(default=None, ge=0, le=65535)  # the web page in the bot's process; off unless set
    web_listen: str = "127.0.0.1"

    @field_validator("telegram_budget_url")
    @classmethod
    def _budget_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.match(r"^(rediss?|unix)://\S+$", value.get_secret_value()):
            raise ValueError("not a Redis URL, e.g. redis://127.0.0.1:6379/0")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        if not TOKEN.match(value.get_secret_value()):
            raise ValueError("not a bot token of the form 123456:ABC… (from @BotFather)")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("not an http(s) URL, e.g. http://127.0.0.1:8081/bot")
        return value

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value()

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never reach a log line."""
        budget = self.telegram_budget_url.get_secret_value() if self.telegram_budget_url else ""
        return (self.token, budget) if budget else (self.token,)  # a Redis URL may carry its password

    @property
    def base_file_url(self) -> str:
        """Bot API file downloads live beside the method URLs: …/bot → …/file/bot."""
        head, _, tail = self.telegram_api_base_url.rstrip("/").rpartition("/")
        return f"{head}/file/{tail}"


class WebSettings(LocalSettings):
    """`campaign-bot web`: the office's web page, its own process (no Telegram token: the bot sends)."""

    web_base_url: str
    web_listen: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port (tests)

    @property
    def secure_cookies(self) -> bool:
        return self.web_base_url.startswith("https://")


class WebhookSettings(Settings):
    """`campaign-bot run --webhook`: Telegram posts each update to WEBHOOK_URL."""

    webhook_url: str
    webhook_secret: SecretStr
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=0, le=65535)  # 0: any free port (tests)

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("not an https URL, e.g. https://bot.example.gov.vn/telegram")
        if (parts.path or "/") in RESERVED_PATHS:
            raise ValueError(f"the path must not be one of {', '.join(RESERVED_PATHS)}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr) -> SecretStr:
        if not WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("16-256 characters of A-Z a-z 0-9 _ -, e.g. from `openssl rand -hex 32`")
        return value

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url).path or "/"

    @property
    def secret(self) -> str:
        return self.webhook_secret.get_secret_value()

    @property
    def secrets(self) -> tuple[str, ...]:
        return (*super().secrets, self.secret)


def load_settings(kind: type[S] = Settings, **overrides: object) -> S:
    try:
        return kind(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    lines = ["Cấu hình không hợp lệ / invalid settings:"]
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "?"
        reason = "thiếu / missing" if error["type"] == "missing" else error["msg"].removeprefix("Value error, ")
        lines.append(f"  {name}: {reason}")
        if name == "TELEGRAM_BOT_TOKEN":
            lines.append("  → đặt token từ @BotFather vào môi trường hoặc file .env; chưa có token thì thử "
                         "`campaign-bot chat` / set it in the environment or .env, or try `campaign-bot chat`")
    return "\n".join(lines)


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder (`./data/` on a fresh checkout)."""
    match = re.match(r"^sqlite(\+\w+)?:///(?!:memory:)(.+)$", url)
    if match:
        Path(match.group(2)).parent.mkdir(parents=True, exist_ok=True)
