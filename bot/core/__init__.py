"""What every feature stands on; imports no feature.

config: settings from the environment, checked at start-up · db: engine, sessions, migrations · models: the
tables · migrations/: Alembic's schema history · backup: dump and restore every table · seen: Telegram update
ids already taken in · logs: logging without secrets or personal data · metrics: Prometheus counters ·
replies: what the bot says, independent of Telegram · errors: the exception that carries a message for the
user · who: who is asking, from which chat · schedule: the reminder settings' values · dates: days and times
as offices write them · runtime: what handlers and jobs share · elsewhere: long CPU work in a process of its
own.
"""
