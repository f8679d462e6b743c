"""The database failing: no personal data in the log line, health that tells the truth, writes refused (#15)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from bot.core.logs import Redact
from bot.core.models import Person

NAME = "Nguyễn Thị Bí Mật"
NOTE = "ghi chú riêng tư 0912"


def test_a_failed_write_logs_the_statement_but_not_its_parameters(runtime, caplog):
    with runtime.db.session() as session:
        session.execute(insert(Person).values(id=77, name=NAME))
    with pytest.raises(IntegrityError) as failed:
        with runtime.db.session() as session:
            session.execute(insert(Person).values(id=77, name=NAME + NOTE))
    with caplog.at_level(logging.DEBUG):
        logger = logging.getLogger("handlers.errors")
        logger.addFilter(Redact())
        try:
            logger.error("update 1 failed", exc_info=failed.value)
        finally:
            logger.filters.clear()
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "INSERT INTO people" in logged
    assert NAME not in logged and NOTE not in logged and NAME not in str(failed.value)
