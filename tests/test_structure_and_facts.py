"""The parser and fact extractor on a plan of the genre that is none of the five."""

from __future__ import annotations

import pytest

from knowledge.facts import extract
from knowledge.structure import parse_passages

GENERIC_PLAN = """KẾ HOẠCH

Phát động phong trào thi đua “Chuyển đổi số năm 2026”

Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND huyện về chuyển đổi số.

I. MỤC TIÊU

1. Chỉ tiêu

- Tối thiểu 70% hồ sơ thủ tục hành chính được xử lý trực tuyến.

- Trên 95% văn bản được ký số.

1.1. Cấp thôn:

a) Tổ công nghệ số

- 100% thôn có tổ công nghệ số cộng đồng.

II. KHEN THƯỞNG

- Tặng Giấy khen của Chủ tịch UBND xã:

+ Sơ kết năm 2026: không vượt quá 03 tập thể và 05 cá nhân.

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng UBND xã

Tổng hợp báo cáo định kỳ 6 tháng (20/6), hằng năm (trước ngày 10/12); tổng kết vào Quý IV/2026.
"""


@pytest.fixture(scope="module")
def passages():
    return parse_passages("thu-nghiem", GENERIC_PLAN)


def test_headings_nest_by_numbering_kind(passages):
    target = next(p for p in passages if "100% thôn" in p.text)
    assert [h.label for h in target.path] == ["I. MỤC TIÊU", "1. Chỉ tiêu", "1.1. Cấp thôn", "a) Tổ công nghệ số"]
    assert target.section == "I.1.1.a"


def test_a_new_roman_section_closes_the_deeper_ones(passages):
    award = next(p for p in passages if "03 tập thể" in p.text)
    assert [h.number for h in award.path] == ["II"]


def test_plus_bullets_carry_their_lead_line(passages):
    award = next(p for p in passages if "03 tập thể" in p.text)
    assert award.lead == "Tặng Giấy khen của Chủ tịch UBND xã:"
    assert award.quote.startswith("Tặng Giấy khen")


def test_preamble_has_no_section(passages):
    assert passages[0].text == "KẾ HOẠCH" and passages[0].section == ""


def test_targets_with_comparators(passages):
    targets = {(f.value, f.comparator) for f in extract(passages) if f.kind == "target"}
    assert {("70%", ">="), ("95%", ">"), ("100%", "=")} <= targets


def test_deadlines_recurrence_and_quarters(passages):
    deadlines = {f.value: f for f in extract(passages) if f.kind == "deadline"}
    assert deadlines["20/6"].recurrence == "semiannual"
    assert deadlines["10/12"].recurrence == "yearly"
    assert deadlines["Quý IV/2026"].quarter == 4 and deadlines["Quý IV/2026"].year == 2026
    assert "05/01/2026" not in deadlines, "the date of a cited document is not a deadline"


def test_awards_quotas_responsibilities_and_legal_bases(passages):
    facts = extract(passages)
    assert {f.value for f in facts if f.kind == "award"} >= {"Giấy khen", "03 tập thể", "05 cá nhân"}
    assert {f.actor for f in facts if f.kind == "responsibility"} == {"Văn phòng UBND xã"}
    assert [f.value for f in facts if f.kind == "legal_basis"] == ["Kế hoạch số 12/KH-UBND"]


def test_facts_of_the_real_plans(kb):
    bgm = {(f.kind, f.value): f for f in kb.facts_of("huyen-bu-gia-map")}
    assert ("target", "60%") in bgm and ("award", "10 tập thể") in bgm
    assert bgm[("deadline", "15/6")].recurrence == "semiannual"
    assert bgm[("deadline", "15/12")].recurrence == "yearly"
    kg = {f.value: f for f in kb.facts_of("so-xd-kien-giang", "deadline")}
    assert kg["30/5"].recurrence == kg["30/11"].recurrence == "yearly"
    assert {f.value for f in kb.facts_of("so-ldtbxh-ninh-thuan", "deadline")} >= {"20/12", "Quý IV/2025"}
