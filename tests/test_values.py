"""Reading a figure an officer types: Vietnamese number writing, and a helpful refusal otherwise."""

from __future__ import annotations

import pytest

from bot.reporting.values import Value, ValueRejected, format_number, format_value, meets, parse_value, split_value

PERCENTS = [
    # typed            number  numerator denominator  shown
    ("85%",            85.0,   None, None,  "85%"),
    ("85 %",           85.0,   None, None,  "85%"),
    ("85",             85.0,   None, None,  "85%"),
    ("85,5%",          85.5,   None, None,  "85,5%"),
    ("85.5%",          85.5,   None, None,  "85,5%"),
    ("85 phần trăm",   85.0,   None, None,  "85%"),
    ("85 phan tram",   85.0,   None, None,  "85%"),
    ("đạt 85%",        85.0,   None, None,  "85%"),
    ("quý 3 đạt 85%",  85.0,   None, None,  "85%"),      # only the figure with its % sign
    ("85% 85%",        85.0,   None, None,  "85%"),      # the same figure twice agrees with itself
    ("0%",             0.0,    None, None,  "0%"),
    ("100%",           100.0,  None, None,  "100%"),
    ("45/60",          75.0,   45,   60,    "45/60 (75%)"),
    ("45 / 60",        75.0,   45,   60,    "45/60 (75%)"),
    ("45 trên 60",     75.0,   45,   60,    "45/60 (75%)"),
    ("45 tren 60 hồ sơ", 75.0, 45,   60,    "45/60 (75%)"),
    ("2/3",            200 / 3, 2,   3,     "2/3 (66,67%)"),
    ("0/5",            0.0,    0,    5,     "0/5 (0%)"),
    ("1.200/1.500",    80.0,   1200, 1500,  "1.200/1.500 (80%)"),
    ("  85%\u00a0 ",   85.0,   None, None,  "85%"),
]


@pytest.mark.parametrize("typed, number, numerator, denominator, shown", PERCENTS)
def test_percentages_are_read_the_vietnamese_way(typed, number, numerator, denominator, shown):
    value = parse_value(typed, "percent")
    assert value.number == pytest.approx(number)
    assert (value.numerator, value.denominator, value.yes) == (numerator, denominator, None)
    assert value.shown == shown == format_value(value, "percent")


COUNTS = [
    ("12", 12), ("12 hồ sơ", 12), ("1.234", 1234), ("1.234.567 lượt", 1_234_567), ("0", 0), ("1234", 1234),
    ("được 7 cán bộ", 7),
]


@pytest.mark.parametrize("typed, number", COUNTS)
def test_counts_are_whole_with_dots_grouping_thousands(typed, number):
    value = parse_value(typed, "count")
    assert value.number == number
    assert value.shown == format_number(number)


ANSWERS = [
    ("có", True), ("Có", True), ("co", True), ("đã", True), ("rồi", True), ("yes", True), ("x", True),
    ("X", True), ("có rồi", True), ("đã xong", True), ("ok", True),
    ("không", False), ("ko", False), ("k", False), ("chưa", False), ("no", False), ("Không", False),
    ("chưa có", False), ("không có", False), ("ko co", False),
]


@pytest.mark.parametrize("typed, yes", ANSWERS)
def test_yes_and_no(typed, yes):
    value = parse_value(typed, "yesno")
    assert (value.yes, value.number) == (yes, None)
    assert value.shown == ("Có" if yes else "Không")


REJECTED = [
    # typed                   kind        the reply contains (what is wrong, then what to type)
    ("101%",                  "percent",  ["từ 0 đến 100%", "Ví dụ: 85%"]),
    ("150",                   "percent",  ["từ 0 đến 100%"]),
    ("-5%",                   "percent",  ["từ 0 đến 100%"]),
    ("50/40",                 "percent",  ["không thể lớn hơn tổng số", "45/60"]),
    ("5/0",                   "percent",  ["phải lớn hơn 0", "45/60"]),
    ("45 trên 0",             "percent",  ["phải lớn hơn 0"]),
    ("85% 90%",               "percent",  ["nhiều con số", "Chỉ nhập một giá trị"]),
    ("85% hoặc 90%",          "percent",  ["nhiều con số"]),
    ("45/60 90%",             "percent",  ["nhiều con số"]),
    ("tám mươi lăm phần trăm", "percent", ["chữ số", "Ví dụ: 85%"]),
    ("tám",                   "percent",  ["chữ số"]),
    ("",                      "percent",  ["chưa nhập", "Ví dụ"]),
    ("   ",                   "percent",  ["chưa nhập"]),
    ("85% " + "rất tốt " * 12,  "percent",  ["quá dài", "Ví dụ: 85%"]),
    ("8" * 100 + "%",         "percent",  ["quá dài"]),
    ("1.2.3%",                "percent",  ["Không đọc được"]),
    ("-3",                    "count",    ["không được âm", "Ví dụ: 12"]),
    ("1,5",                   "count",    ["số nguyên", "1.234"]),
    ("1,234",                 "count",    ["số nguyên", "không dùng dấu phẩy", "1234"]),
    ("1.5",                   "count",    ["số nguyên"]),
    ("12%",                   "count",    ["số lượng, không phải tỷ lệ"]),
    ("3/4",                   "count",    ["phân số"]),
    ("nhiều",                 "count",    ["chữ số", "Ví dụ: 12"]),
    ("12 hay 13",             "count",    ["nhiều con số"]),
    ("99999999999",           "count",    ["quá lớn"]),
    ("",                      "count",    ["chưa nhập"]),
    ("có không",              "yesno",    ["vừa có vừa không", "Có hoặc Không"]),
    ("rồi chưa",              "yesno",    ["vừa có vừa không"]),
    ("hmm",                   "yesno",    ["Có hoặc Không"]),
    ("85%",                   "yesno",    ["Có hoặc Không"]),
    ("",                      "yesno",    ["chưa nhập"]),
    ("có " * 50,              "yesno",    ["quá dài"]),
]


@pytest.mark.parametrize("typed, kind, says", REJECTED)
def test_rejected_with_what_is_wrong_and_what_to_type(typed, kind, says):
    with pytest.raises(ValueRejected) as refused:
        parse_value(typed, kind)
    for words in says:
        assert words in refused.value.message
    assert len(refused.value.message) <= 120  # one short line on a phone


def test_an_unknown_kind_is_a_programming_error_not_a_reply():
    with pytest.raises(ValueError, match="unknown kind") as error:
        parse_value("85%", "money")
    assert not isinstance(error.value, ValueRejected)


@pytest.mark.parametrize("number, shown", [
    (85.5, "85,5"), (85.0, "85"), (1234, "1.234"), (1234.5, "1.234,5"), (1_000_000, "1.000.000"),
    (66.6666, "66,67"), (0.5, "0,5"), (0, "0"),
])
def test_numbers_are_written_with_comma_decimals_and_dot_thousands(number, shown):
    assert format_number(number) == shown


def test_format_value_of_each_kind():
    assert format_value(Value(85.5), "percent") == "85,5%"
    assert format_value(Value(75.0, 45, 60), "percent") == "45/60 (75%)"
    assert format_value(Value(1234.0), "count") == "1.234"
    assert format_value(Value(None, yes=True), "yesno") == "Có"
    assert format_value(Value(None, yes=False), "yesno") == "Không"


MEETS = [
    # typed    kind       target comparator  meets
    ("85%",   "percent", 80,    ">=",       True),
    ("80%",   "percent", 80,    ">=",       True),
    ("79,9%", "percent", 80,    ">=",       False),
    ("80%",   "percent", 80,    ">",        False),
    ("80,5%", "percent", 80,    ">",        True),
    ("100%",  "percent", 100,   "=",        True),
    ("99%",   "percent", 100,   "=",        False),
    ("60/60", "percent", 100,   "=",        True),
    ("2/3",   "percent", 200 / 3, ">=",     True),
    ("35%",   "percent", 40,    "<=",       True),
    ("40%",   "percent", 40,    "<=",       True),
    ("41%",   "percent", 40,    "<=",       False),
    ("40%",   "percent", 40,    "<",        False),
    ("12",    "count",   10,    ">=",       True),
    ("có",    "yesno",   1,     "=",        True),
    ("chưa",  "yesno",   1,     "=",        False),
]


@pytest.mark.parametrize("typed, kind, target, comparator, expected", MEETS)
def test_meets_compares_with_the_targets_comparator(typed, kind, target, comparator, expected):
    assert meets(parse_value(typed, kind), target, comparator) is expected


def test_meets_refuses_an_unknown_comparator():
    with pytest.raises(ValueError, match="unknown comparator"):
        meets(Value(85.0), 80, "~")


SPLITS = [
    ("III-1 85%",                                   ("III-1", "85%")),
    ("iii-1 85,5 %",                                ("iii-1", "85,5 %")),
    ("IV.1.2-3 45 / 60",                            ("IV.1.2-3", "45 / 60")),
    ("ho so xu ly tren moi truong mang 85%",        ("ho so xu ly tren moi truong mang", "85%")),
    ("ho so xu ly tren moi truong mang 45 tren 60", ("ho so xu ly tren moi truong mang", "45 tren 60")),
    ("dịch vụ công mức độ 4 90%",                   ("dịch vụ công mức độ 4", "90%")),
    ("III-1 12 hồ sơ",                              ("III-1", "12 hồ sơ")),
    ("III-7 có",                                    ("III-7", "có")),
    ("85%",                                         ("", "85%")),
    ("",                                            ("", "")),
]


@pytest.mark.parametrize("typed, parts", SPLITS)
def test_split_value_takes_the_value_from_the_last_figure(typed, parts):
    assert split_value(typed) == parts
