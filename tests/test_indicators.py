"""The indicators officers report on, read from each plan's targets."""

from __future__ import annotations

import pytest

from bot.reporting.indicators import NAME_CHARS, Indicator, find_indicator, indicators_from, indicators_of, name_of
from knowledge.facts import Fact, targets
from knowledge.structure import Passage


@pytest.fixture(scope="module")
def plans_with_targets(kb) -> list[str]:
    return sorted({f.plan_id for f in kb.facts_of(kind="target")})


def test_every_plan_with_targets_has_indicators_with_unique_codes_and_names(kb, plans_with_targets):
    assert len(plans_with_targets) == len(kb.plans)
    for plan_id in plans_with_targets:
        indicators = indicators_of(kb, plan_id)
        assert indicators, plan_id
        codes = [i.code for i in indicators]
        assert len({c.casefold() for c in codes}) == len(codes), plan_id
        assert len({i.name for i in indicators}) == len(indicators), plan_id
        for i in indicators:
            assert i.plan_id == plan_id and i.kind == "percent" and i.text
            assert i.name and len(i.name) <= NAME_CHARS + 12, i.name  # a button's width (+ '(mục …)')
            assert i.name[0].isupper() and "%" not in i.name, i.name
            assert " " not in i.code and i.code.startswith(i.section), i.code
            assert i.comparator in {">=", ">", "<=", "<", "="}


def test_codes_are_stable_across_runs(kb):
    assert indicators_of(kb, "huyen-bu-gia-map") == indicators_of(kb, "huyen-bu-gia-map")


def test_cat_ne_reports_its_online_procedures_target(kb):
    wanted = "hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến"
    found = [i for i in indicators_of(kb, "xa-cat-ne") if wanted in i.name.lower()]
    assert [(i.target, i.comparator, i.section) for i in found] == [(80.0, ">=", "III")]
    assert found[0].code == "III-3"


def test_ninh_thuan_two_figures_in_one_clause_are_two_named_indicators(kb):
    both = [i for i in indicators_of(kb, "so-ldtbxh-ninh-thuan") if "90% hồ sơ công việc tại Sở, 80%" in i.text]
    assert [(i.target, i.comparator) for i in both] == [(90.0, ">="), (80.0, ">=")]
    at_office, at_units = both
    assert at_office.name == "Hồ sơ công việc tại Sở"
    assert at_units.name.startswith("Hồ sơ công việc tại các đơn vị trực thuộc Sở")
    assert at_office.code != at_units.code


def test_a_clause_restated_in_another_section_is_one_indicator(kb):
    restated = "chế độ báo cáo định kỳ và văn bản hành chính (trừ văn bản Mật) được gửi nhận"
    found = [i for i in indicators_of(kb, "huyen-bu-gia-map") if restated in i.text]
    assert [i.section for i in found] == ["IV.1.1"]


# ---- names, from the clause alone --------------------------------------------------------------

NAMES = [
    # clause                                                              figure  name
    ("Tối thiểu 80% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến.", 0,
     "Hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến"),
    ("Tỷ lệ doanh nghiệp dùng hóa đơn điện tử đạt 100%.", 0, "Tỷ lệ doanh nghiệp dùng hóa đơn điện tử"),
    ("Trên 95% tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng.", 0,
     "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng"),
    ("Phấn đấu 100% công chức sử dụng mail công vụ (trừ văn bản mật).", 0, "Công chức sử dụng mail công vụ"),
    ("Hạ tầng cáp quang phủ trên 80% hộ gia đình, 100% xã.", 0, "Hạ tầng cáp quang phủ hộ gia đình"),
    ("Hạ tầng cáp quang phủ trên 80% hộ gia đình, 100% xã.", 1, "Hạ tầng cáp quang phủ xã"),
    ("Tỷ lệ người dân có tài khoản đạt từ 65 - 70%.", 0, "Tỷ lệ người dân có tài khoản"),
    ("Đưa hoạt động kiểm tra của Sở thực hiện trên môi trường số đạt 50% trở lên.", 0,
     "Hoạt động kiểm tra của Sở thực hiện trên môi trường số"),
    ("Ban hành Kế hoạch thi đua, yêu cầu 100% các cơ quan ban hành Kế hoạch.", 0,
     "Các cơ quan ban hành Kế hoạch"),
    ("Tiếp tục rà soát quy trình. Thực hiện 100% dịch vụ công trực tuyến.", 0, "Dịch vụ công trực tuyến"),
    ("Phấn đấu đến năm 2025, tỷ trọng kinh tế số chiếm 10% GRDP.", 0, "Tỷ trọng kinh tế số chiếm GRDP"),
]


@pytest.mark.parametrize("clause, nth, name", NAMES)
def test_name_keeps_what_is_measured_and_drops_the_figure_and_its_framing(clause, nth, name):
    assert name_of(clause, nth) == name


def test_a_long_name_is_cut_at_a_word():
    name = name_of("100% cán bộ, công chức, viên chức được tập huấn, bồi dưỡng, phổ cập kỹ năng số cơ bản.")
    assert len(name) <= NAME_CHARS and name.endswith("…")
    assert name.startswith("Cán bộ, công chức, viên chức được tập huấn")


# ---- indicators from a synthetic plan ------------------------------------------------------------

def _facts(*lines: tuple[int, str]) -> list[Fact]:
    """Target facts read by the real extractor from one-line passages (ordinal, text)."""
    return [f for ordinal, text in lines for f in targets(Passage("demo", ordinal, text, ()))]


SECTIONS = {1: "II.1", 2: "II.1", 3: "II.1", 4: "III", 5: "III", 6: ""}
SYNTHETIC = _facts(
    (1, "Tối thiểu 80% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến."),
    (2, "Phấn đấu 90% hồ sơ công việc tại Sở, 70% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng."),
    (3, "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử đạt trên 50%."),
    (4, "Tối thiểu 80% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến."),  # restated: one indicator
    (5, "Tỷ lệ hồ sơ giải quyết trễ hạn không quá 40% tổng số."),  # an award mix ('… khen thưởng …') is no target
    (6, "100% công chức sử dụng mail công vụ."),
)


@pytest.fixture(scope="module")
def synthetic() -> list[Indicator]:
    return indicators_from(SYNTHETIC, SECTIONS.__getitem__)


def test_synthetic_plan_indicators(synthetic):
    assert [(i.code, i.target, i.comparator, i.name) for i in synthetic] == [
        ("II.1-1", 80.0, ">=", "Hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến"),
        ("II.1-2", 90.0, ">=", "Hồ sơ công việc tại Sở"),
        ("II.1-3", 70.0, ">=", "Hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng"),
        ("II.1-4", 50.0, ">", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử"),
        ("III-1", 40.0, "<=", "Tỷ lệ hồ sơ giải quyết trễ hạn tổng số"),
        ("CT-1", 100.0, "=", "Công chức sử dụng mail công vụ"),
    ]
    assert {i.plan_id for i in synthetic} == {"demo"} and {i.kind for i in synthetic} == {"percent"}


def test_the_same_facts_give_the_same_codes(synthetic):
    assert indicators_from(SYNTHETIC, SECTIONS.__getitem__) == synthetic


def test_near_identical_names_are_told_apart_by_section():
    facts = _facts((1, "100% báo cáo định kỳ về chỉ tiêu phát triển kinh tế - xã hội được thực hiện trên phần mềm A."),
                   (2, "100% báo cáo định kỳ về chỉ tiêu phát triển kinh tế - xã hội được thực hiện trên phần mềm B."))
    first, second = indicators_from(facts, {1: "IV.1.1", 2: "IV.1.2"}.__getitem__)
    assert first.name != second.name
    assert first.name.endswith("(mục IV.1.1)") and second.name.endswith("(mục IV.1.2)")


# ---- finding the indicator an officer means --------------------------------------------------------

FIND_SYNTHETIC = [
    ("II.1-2", "II.1-2"), ("ii.1-2", "II.1-2"), (" iii-1 ", "III-1"), ("ct-1", "CT-1"),
    ("ho so thu tuc hanh chinh xu ly truc tuyen", "II.1-1"),
    ("hồ sơ TTHC trực tuyến", "II.1-1"),
    ("ho so cong viec tai so", "II.1-2"),
    ("ho so cong viec cap xa", "II.1-3"),
    ("hop dong dien tu", "II.1-4"),
    ("mail cong vu", "CT-1"),
    ("hồ sơ", None),                  # three indicators speak of 'hồ sơ': ambiguous, the bot lists them
    ("dien tich rung trong moi", None),  # nothing close
    ("", None),
    ("IV-9", None),
]


@pytest.mark.parametrize("typed, code", FIND_SYNTHETIC)
def test_find_by_code_or_by_name(synthetic, typed, code):
    found = find_indicator(synthetic, typed)
    assert (found.code if found else None) == code


FIND_REAL = [
    ("xa-cat-ne", "iii-3", "III-3"),
    ("xa-cat-ne", "ho so xu ly tren moi truong mang", "III-1"),
    ("xa-cat-ne", "hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến", "III-3"),
    ("xa-cat-ne", "ho so tthc xu li truc tuyen", "III-3"),
    ("xa-cat-ne", "can bo tap huan ky nang so", "III-6"),
    ("xa-cat-ne", "cong tac bao cao tren he thong", "III-5"),
    ("xa-cat-ne", "ho so", None),
    ("so-ldtbxh-ninh-thuan", "ho so cong viec tai so", "III-6"),
    ("so-ldtbxh-ninh-thuan", "ho so cong viec tai don vi truc thuoc", "III-7"),
    ("huyen-bu-gia-map", "hoa don dien tu", "III.2-4"),
    ("huyen-bu-gia-map", "tap huan ky nang phan tich du lieu", "III.1-11"),
    ("huyen-bu-gia-map", "iv.1.2-1", "IV.1.2-1"),
]


@pytest.mark.parametrize("plan_id, typed, code", FIND_REAL)
def test_find_in_the_real_plans(kb, plan_id, typed, code):
    found = find_indicator(indicators_of(kb, plan_id), typed)
    assert (found.code if found else None) == code
