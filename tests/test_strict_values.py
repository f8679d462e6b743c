"""A figure must stand as the value: exactly one well-formed value, never dug out of arbitrary text (#15)."""

from __future__ import annotations

import pytest

from bot.reporting.values import ValueRejected, parse_value, split_value
from tests.test_reporting import invite_link, stored

NOT_A_VALUE = [
    ("5 - 5", "percent"), ("- 5", "percent"), ("5-5", "percent"), ("1/3/", "percent"), ("/1/3", "percent"),
    ("' OR 1=1--", "percent"), ("1=1", "percent"), ("85%; DROP TABLE", "percent"), ("85%%", "percent"),
    ("<b>85</b>", "percent"), ("85abc", "percent"), ("٨٥%", "percent"), ("1/3/", "count"), ("12 - 3", "count"),
    ("- 12", "count"), ("12+3", "count"), ("co'; --", "yesno"), ("có 1", "yesno"), ("' OR 1=1--", "yesno"),
]


@pytest.fixture
async def mai(telegram):
    """Mai, officer of xã Cát Nê, joined through an invite link (as tests/test_reporting.py's `officer`)."""
    person = telegram.user(701, "Mai")
    await person.say(f"/start {await invite_link(telegram)}")
    return person


@pytest.mark.parametrize("typed, kind", NOT_A_VALUE)
def test_a_value_that_is_not_one_well_formed_figure_is_asked_again(typed, kind):
    with pytest.raises(ValueRejected) as refused:
        parse_value(typed, kind)
    assert len(refused.value.message) <= 120


@pytest.mark.parametrize("typed, number", [("85%.", 85.0), ("đạt 85% !", 85.0), ("12 hồ sơ.", 12.0)])
def test_a_full_stop_after_the_value_is_fine(typed, number):
    kind = "count" if "hồ sơ" in typed else "percent"
    assert parse_value(typed, kind).number == number


def test_the_value_split_from_an_indicator_keeps_the_marks_before_its_last_figure():
    assert split_value("ho so truc tuyen 5 - 5") == ("ho so truc tuyen", "5 - 5")
    assert split_value("ho so truc tuyen - 5") == ("ho so truc tuyen", "- 5")
    assert split_value("dịch vụ công mức độ 4 90%") == ("dịch vụ công mức độ 4", "90%")


@pytest.mark.parametrize("typed", ["5 - 5", "- 5", "1/3/", "' OR 1=1--"])
async def test_a_one_line_report_of_a_malformed_value_stores_nothing(telegram, mai, typed):
    reply = await mai.say(f"/baocao III-3 {typed}")
    assert "Đã ghi" not in reply.text
    assert stored(telegram) == []
