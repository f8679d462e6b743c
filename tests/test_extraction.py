"""Generic extraction on a plan of the genre that is none of the five: counts, months, recurrences."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.documents import Plan
from knowledge.facts import document_facts, extract
from knowledge.milestones import occurrences
from knowledge.structure import parse_passages

PLAN_BODY = """KẾ HOẠCH

Phát động phong trào thi đua “Chuyển đổi số năm 2026 - 2027”

I. CHỈ TIÊU

- Tổ chức ít nhất 02 lớp tập huấn kỹ năng số cho cán bộ, công chức.

- Hỗ trợ 30 cơ sở sản xuất kinh doanh đưa sản phẩm lên sàn thương mại điện tử.

- Xây dựng 03 mô hình chuyển đổi số tiêu biểu.

- Tổ công nghệ số cộng đồng sinh hoạt 01 buổi/quý.

- Tối thiểu 85% hồ sơ được xử lý trực tuyến.

II. KHEN THƯỞNG

- Tỷ lệ cá nhân là người trực tiếp lao động, công tác ≥ 30% tổng số cá nhân được khen thưởng.

- Số lượng hồ sơ đề nghị khen thưởng: 01 bộ theo Mẫu số 07.

III. TIẾN ĐỘ THỰC HIỆN

1. Giai đoạn 1: từ ngày ban hành đến 31/12/2026; sơ kết vào tháng 01/2027.

2. Giai đoạn 2: từ 01/01/2027 đến 31/12/2027. Tháng 3/2026 tổ chức phát động phong trào.

IV. TỔ CHỨC THỰC HIỆN

1. Văn phòng UBND xã

Báo cáo kết quả hằng tháng trước ngày 25; báo cáo hằng quý trước ngày 20 của tháng cuối quý.

Báo cáo 6 tháng trước ngày 15/6, báo cáo năm trước ngày 05/12.
"""

PLAN = Plan(id="xa-thu-nghiem", title="Kế hoạch phát động phong trào thi đua “Chuyển đổi số năm 2026 - 2027”",
            issuer="Ủy ban nhân dân xã Thử Nghiệm", issuer_short="UBND xã Thử Nghiệm", level="xã",
            province="Thái Nguyên", period_start=2026, period_end=2027, valid_until=dt.date(2027, 12, 31),
            body=PLAN_BODY, number="12/KH-UBND", issued="05/01/2026", place="Thử Nghiệm",
            signer_name="Nguyễn Văn A", signer_title="KT. CHỦ TỊCH, PHÓ CHỦ TỊCH")


@pytest.fixture(scope="module")
def facts():
    return extract(parse_passages(PLAN.id, PLAN.body))


def test_count_targets_with_unit_and_comparator(facts):
    targets = {(f.value, f.unit, f.comparator) for f in facts if f.kind == "target"}
    assert {("02", "lớp tập huấn", ">="), ("30", "cơ sở", ">="), ("03", "mô hình", ">="),
            ("01", "buổi/quý", ">="), ("85%", "%", ">=")} <= targets
    rate = next(f for f in facts if f.kind == "target" and f.unit == "buổi/quý")
    assert rate.recurrence == "quarterly"


def test_an_award_mix_share_is_an_award_rule_not_a_target(facts):
    assert "30%" not in {f.value for f in facts if f.kind == "target"}
    mix = next(f for f in facts if f.kind == "award" and f.value == "30%")
    assert mix.comparator == ">="
    assert not [f for f in facts if f.kind == "target" and "01 bộ" in f.text], "'01 bộ' hồ sơ is no target"


def test_month_forms(facts):
    deadlines = {f.value: f for f in facts if f.kind == "deadline"}
    review = deadlines["tháng 01/2027"]
    assert (review.month, review.year, review.day, review.event) == (1, 2027, None, "review")
    assert deadlines["tháng 3/2026"].month == 3 and deadlines["tháng 3/2026"].year == 2026


def test_the_end_and_start_of_a_stage_are_not_reviews(facts):
    stage = [f for f in facts if f.kind == "deadline" and f.value in ("31/12/2026", "01/01/2027")]
    assert {(f.value, f.event) for f in stage} == {("31/12/2026", "end"), ("01/01/2027", "start")}


def test_monthly_quarterly_and_yearly_recurrences(facts):
    deadlines = {f.value: f for f in facts if f.kind == "deadline"}
    monthly, quarterly = deadlines["ngày 25 hằng tháng"], deadlines["ngày 20 hằng quý"]
    assert (monthly.day, monthly.recurrence, monthly.event) == (25, "monthly", "report")
    assert (quarterly.day, quarterly.recurrence, quarterly.quarter_month) == (20, "quarterly", 3)
    assert deadlines["15/6"].recurrence == "semiannual"
    assert deadlines["05/12"].recurrence == "yearly", "'báo cáo năm' is yearly, not six-monthly"


def test_milestones_place_recurrences_on_real_days_within_the_plan(facts):
    days = occurrences(PLAN, facts)
    monthly = [o.day for o in days if o.fact.recurrence == "monthly"]
    assert len(monthly) == 24 and monthly[0] == dt.date(2026, 1, 25) and monthly[-1] == dt.date(2027, 12, 25)
    quarterly = [o.day for o in days if o.fact.recurrence == "quarterly"]
    assert quarterly[:4] == [dt.date(2026, 3, 20), dt.date(2026, 6, 20), dt.date(2026, 9, 20), dt.date(2026, 12, 20)]
    assert len(quarterly) == 8
    month = next(o for o in days if o.fact.value == "tháng 01/2027")
    assert month.day == dt.date(2027, 1, 31) and month.when.startswith("Tháng 01/2027")
    assert all(PLAN.period_start <= o.day.year and o.day <= PLAN.valid_until for o in days)


def test_a_monthly_day_past_a_short_month_falls_on_its_last_day():
    body = "KẾ HOẠCH\n\nI. TỔ CHỨC THỰC HIỆN\n\nCác đơn vị báo cáo hằng tháng trước ngày 31.\n"
    plan = Plan(**{**PLAN.__dict__, "body": body, "period_start": 2026, "period_end": 2026,
                   "valid_until": dt.date(2026, 12, 31)})
    days = [o.day for o in occurrences(plan, extract(parse_passages(plan.id, body)))]
    assert dt.date(2026, 2, 28) in days and dt.date(2026, 4, 30) in days and len(days) == 12


def test_the_documents_own_number_date_signer_and_issuer():
    facts = {f.event: f for f in document_facts(PLAN)}
    assert facts["number"].value == "12/KH-UBND"
    assert (facts["issued"].day, facts["issued"].month, facts["issued"].year) == (5, 1, 2026)
    assert facts["issued"].iso_date == "2026-01-05"
    assert facts["signer"].value == "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Nguyễn Văn A"
    assert facts["issuer"].value == "Ủy ban nhân dân xã Thử Nghiệm"
    assert {f.kind for f in facts.values()} == {"document"}


def test_iso_dates(facts):
    deadlines = {f.value: f for f in facts if f.kind == "deadline"}
    assert deadlines["31/12/2026"].iso_date == "2026-12-31"
    assert deadlines["tháng 01/2027"].iso_date == "2027-01"
    assert deadlines["15/6"].iso_date == "--06-15"
    assert deadlines["ngày 25 hằng tháng"].iso_date == "---25"


def test_unaccented_text_is_read_like_accented(facts):
    body = "KE HOACH\n\nV. TIEN DO\n\n- Nam 2023: Thuc hien So ket vao quy IV nam 2023.\n"
    found = [f for f in extract(parse_passages("ocr", body)) if f.kind == "deadline"]
    assert [(f.value, f.quarter, f.year, f.event) for f in found] == [("Quý IV/2023", 4, 2023, "review")]
