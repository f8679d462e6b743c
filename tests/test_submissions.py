"""The submission services without Telegram: periods, history, latest figures, export, the office CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from bot.core.errors import UserMessageError
from bot.core.models import Indicator, Person, Unit
from bot.core.who import Who
from bot.people.units import add_unit, find_unit, unit_by_code
from bot.reminders.subscriptions import owing_officers
from bot.reporting import drafts, periods
from bot.reporting import guided as reporting
from bot.reporting.export import export
from bot.reporting.indicators import find_indicator, indicators_for, is_met, sync_indicators
from bot.reporting.periods import parse_period
from bot.reporting.submissions import Figure, latest, missing, submit
from bot.reporting.values import ValueRejected, parse_value
from bot.start.cli import main
from tests.support.sql import statements

NOW = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
FULL_NAME = "Hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến, người dân chỉ phải nhập dữ liệu một lần"


@pytest.mark.parametrize("typed, code", [("2026-H2", "2026-H2"), ("2026 h1", "2026-H1"), ("h2/2026", "2026-H2"),
                                         ("2026", "2026"), ("6t2-2026", "2026-H2")])
def test_periods_are_read_the_ways_officers_write_them(typed, code):
    assert parse_period(typed).code == code


@pytest.mark.parametrize("typed", ["quý 5", "2026-H3", "", "năm ngoái"])
def test_unreadable_periods_are_none(typed):
    assert parse_period(typed) is None


def test_a_report_deadline_belongs_to_the_half_year_it_closes():
    assert periods.half_of(dt.date(2026, 6, 15)).code == "2026-H1"
    assert periods.half_of(dt.date(2026, 11, 30)).code == "2026-H2"


@pytest.fixture
def session(runtime):
    with runtime.db.session() as session:
        yield session


@pytest.fixture
def cat_ne(session) -> Unit:
    return unit_by_code("xa-cat-ne", session=session)


@pytest.fixture
def officer(session, cat_ne) -> Person:
    person = Person(id=701, name="Mai", unit=cat_ne, role="officer")
    session.add(person)
    return person


def report(session, unit: Unit, person: Person | None, code: str, typed: str, half: str = "2026-H2", **extra):
    indicator = find_indicator(indicators_for(unit, session=session), code)
    value = parse_value(typed, indicator.kind)
    draft = Figure(unit.id, indicator, parse_period(half), value, is_met(indicator, value), **extra)
    return submit(draft, person, update_id=extra.pop("update_id", None), now=NOW, session=session)


def test_a_correction_adds_a_row_and_the_latest_counts(session, cat_ne, officer):
    first = report(session, cat_ne, officer, "III-3", "70%")
    second = report(session, cat_ne, officer, "III-3", "82%", supersedes_id=first.id)
    [(_, row)] = latest([cat_ne.id], parse_period("2026-H2"), session=session).items()
    assert row.id == second.id and row.met and not first.met
    assert len(missing(cat_ne, parse_period("2026-H2"), session=session)) == 7


def test_a_year_reads_the_latest_figure_of_its_halves(session, cat_ne, officer):
    report(session, cat_ne, officer, "III-3", "60%", half="2026-H1")
    report(session, cat_ne, officer, "III-3", "81%", half="2026-H2")
    report(session, cat_ne, officer, "III-1", "100%", half="2026-H1")
    year = latest([cat_ne.id], parse_period("2026"), session=session)
    assert sorted(row.shown for row in year.values()) == ["100%", "81%"]
    assert len(latest([cat_ne.id], parse_period("2025"), session=session)) == 0


def test_the_same_update_id_stores_once(session, cat_ne, officer):
    indicator = find_indicator(indicators_for(cat_ne, session=session), "III-3")
    value = parse_value("85%", "percent")
    draft = Figure(cat_ne.id, indicator, parse_period("2026-H2"), value, is_met(indicator, value))
    first = submit(draft, officer, update_id=4242, now=NOW, session=session)
    again = submit(draft, officer, update_id=4242, now=NOW, session=session)
    assert first.id == again.id


def test_indicators_the_plan_no_longer_has_become_inactive(session, runtime, cat_ne):
    session.add(Indicator(plan_id="xa-cat-ne", code="IX-9", name="Bỏ", target=1, kind="count", comparator=">="))
    session.flush()
    sync_indicators(runtime.kb, session=session)
    assert "IX-9" not in [i.code for i in indicators_for(cat_ne, session=session)]


def test_a_count_indicator_refuses_negative_and_fractional_counts(session, cat_ne):
    counted = Indicator(plan_id="xa-cat-ne", code="V-1", name="Số hội nghị", target=4, kind="count", comparator=">=")
    session.add(counted)
    session.flush()
    draft = drafts.open_draft(701, cat_ne.id, "2026-H2", NOW, step=drafts.TYPING, indicator_id=counted.id,
                              session=session)
    with pytest.raises(ValueRejected, match="không được âm"):
        reporting.check(draft, "-3", NOW, session=session)
    with pytest.raises(ValueRejected, match="số nguyên"):
        reporting.check(draft, "2,5", NOW, session=session)
    assert "5 — đạt chỉ tiêu 4 ✅" in reporting.check(draft, "5 - gồm 1 hội nghị trực tuyến", NOW, session=session).text
    assert draft.note == "gồm 1 hội nghị trực tuyến" and draft.step == drafts.CONFIRMING


def test_units_are_found_by_code_or_by_name_typed_loosely(session):
    assert find_unit("xa cat ne", session=session).code == "xa-cat-ne"
    assert find_unit("Bù Gia Mập", session=session).code == "huyen-bu-gia-map"
    assert find_unit("so xay dung", session=session) is None  # two Sở Xây dựng: ambiguous


def test_export_has_every_unit_and_indicator_with_who_and_when(session, runtime, cat_ne, officer):
    report(session, cat_ne, officer, "III-3", "45/60")
    files = export(parse_period("2026-H2"), runtime.timezone, NOW.date(), session=session, kb=runtime.kb)
    sheet = load_workbook(io.BytesIO(files["thi-dua-cds-2026-H2.xlsx"]))["Chi tiết"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + sum(len(indicators_for(u, session=session))
                                for u in session.query(Unit).all())
    reported = [r for r in rows[1:] if r[6]]
    assert reported == [("2026-H2", "xa-cat-ne", "Ủy ban nhân dân xã Cát Nê", "III-3",
                         FULL_NAME, 0.8, "45/60 (75%)", 0.75, 45, 60,
                         "Chưa đạt", "Mai", dt.datetime(2026, 11, 22, 9, 0), None, None)]
    assert not any("…" in (r[4] or "") for r in rows)  # full names, never cut
    table = list(csv.reader(io.StringIO(files["thi-dua-cds-2026-H2.csv"].decode("utf-8-sig"))))
    [row] = [r for r in table[1:] if r[6]]
    assert row[:7] == ["2026-H2", "xa-cat-ne", "Ủy ban nhân dân xã Cát Nê", "III-3",
                       FULL_NAME, "80%", "45/60 (75%)"]
    assert row[7:] == ["75.0", "45", "60", "Chưa đạt", "Mai", "22/11/2026 09:00", ""]


def test_the_office_cli_adds_and_lists_units_and_exports(runtime, database_url, monkeypatch, capsys, tmp_path, kb):
    import knowledge

    monkeypatch.setattr(knowledge, "default_kb", lambda: kb)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["units", "add", "xa-phu-nghia", "--name", "UBND xã Phú Nghĩa", "--plan", "huyen-bu-gia-map",
                 "--parent", "huyen-bu-gia-map"]) == 0
    assert main(["units", "add", "xa-phu-nghia", "--name", "x", "--plan", "huyen-bu-gia-map"]) == 2
    assert main(["units", "add", "xa-moi", "--name", "x", "--plan", "khong-co"]) == 2
    main(["units", "list"])
    out = capsys.readouterr()
    assert "xa-phu-nghia" in out.out and "exists already" in out.err and "unknown plan" in out.err
    assert main(["export", "--period", "2026-H2", "--format", "csv", "--out", str(tmp_path / "h2.csv")]) == 0
    text = (tmp_path / "h2.csv").read_text(encoding="utf-8-sig")
    assert "xa-phu-nghia,UBND xã Phú Nghĩa,III.1-4" in text
    with pytest.raises(SystemExit):
        main(["export", "--period", "quý 5", "--out", str(tmp_path / "x.xlsx")])


def test_an_indicator_of_another_plan_cannot_be_picked(session, cat_ne, officer):
    other = indicators_for(unit_by_code("so-xd-kien-giang", session=session), session=session)[0]
    mai = Who(chat_id=officer.id, user_id=officer.id, user_name="Mai")
    reporting.begin(mai, NOW, NOW.date(), session=session)
    with pytest.raises(UserMessageError, match="không còn trong kế hoạch"):
        reporting.pick(mai, f"{reporting.PICK_PREFIX}{other.id}", NOW, session=session)


def test_who_owes_figures_is_read_in_a_few_statements_however_many_units(runtime, session, officer, cat_ne):
    report(session, cat_ne, officer, "III-3", "45/60")  # Cát Nê has reported one figure of several: it owes
    communes = [add_unit(f"xa-{n:02d}", f"Xã số {n}", plan_id="huyen-bu-gia-map", level="xã",
                         parent_code="huyen-bu-gia-map", plans=set(runtime.kb.plans), session=session)
                for n in range(30)]
    session.flush()
    session.add_all(Person(id=9000 + n, name=f"Cán bộ {n}", unit=u, role="officer") for n, u in enumerate(communes))
    session.flush()
    with statements(runtime.db.engine, threads=None) as seen:
        owing = owing_officers(None, "2026-H2", session=session)
    assert owing == {701: cat_ne.id} | {9000 + n: u.id for n, u in enumerate(communes)}
    assert len(seen) <= 5, "\n".join(seen)
