"""A figure an officer types in chat, read the Vietnamese way, checked, and echoed back.

Vietnamese writes the decimal mark as a comma and groups thousands with dots ("1.234,5"),
but phones and habits also bring "85.5%". So: a percentage takes either mark as its decimal
(it cannot exceed 100, so "85.5" is never eighty-five thousand); a count groups thousands with
dots ("1.234" = 1234) and must be whole, so any comma in a count is refused — "1,5" is not a
whole number and "1,234" could be either 1,234 or 1.234; the officer is asked to type 1234.
Every refusal says what is wrong and what to type instead, in a line a phone shows whole.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace

from bot.core.errors import UserMessageError
from knowledge.text import fold

KINDS = ("percent", "count", "yesno")
MAX_CHARS = 80          # a figure and a few words; more is a message meant for someone else
MAX_COUNT = 10**9
PERCENT_HINT = "Ví dụ: 85%, 85,5% hoặc 45/60."
COUNT_HINT = "Ví dụ: 12 hoặc 1.234."
YESNO_HINT = "Trả lời: Có hoặc Không."
HINTS = {"percent": PERCENT_HINT, "count": COUNT_HINT, "yesno": YESNO_HINT}

_NUMBER = re.compile(r"(-)?([0-9]+(?:[.,][0-9]+)*)(%)?", re.ASCII)
_FRACTION = re.compile(r"([0-9]+(?:\.[0-9]{3})*)/([0-9]+(?:\.[0-9]{3})*)", re.ASCII)
_PER_CENT_WORDS = re.compile(r"\b(?:phan tram|phantram|pt)\b")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+", re.ASCII)
_WORD = re.compile(r"[a-z]+", re.ASCII)
_DIGIT = re.compile(r"[0-9]", re.ASCII)
# '85 %' → '85%', '45 / 60' and '45 trên 60' → '45/60': each figure becomes one token
_GLUE_PERCENT = re.compile(r"(?<=[0-9]) +%")
_GLUE_FRACTION = re.compile(r"(?<=[0-9]) *(?:/|\btren\b) *(?=[0-9])")
_END_MARKS = re.compile(r"[.!?]+$")
# Yes/no: folded words ('có' and 'co' are one word folded; 'đã' folds to 'da', as does the polite 'dạ').
_VALUE_START = re.compile(r"(?<!\S)-?\d[\d.,]*(?:\s*(?:/|trên|tren)\s*\d[\d.,]*)?", re.IGNORECASE)
_YES = frozenset({"co", "da", "roi", "yes", "y", "x", "ok", "oke", "xong", "dat", "v"})
_NO = frozenset({"khong", "ko", "k", "kh", "hong", "chua", "no", "n"})


class ValueRejected(UserMessageError, ValueError):
    """A typed value the bot cannot accept; `message` is the Vietnamese reply to send."""


@dataclass(frozen=True)
class Value:
    number: float | None            # the percentage (75.0 for 45/60) or the count; None for yes/no
    numerator: int | None = None    # "45/60": both kept, the report may show them
    denominator: int | None = None
    yes: bool | None = None         # yes/no answers only
    shown: str = ""                 # the value as the bot echoes it ("85,5%", "45/60 (75%)", "Có")


def parse_value(text: str, kind: str) -> Value:
    """The value typed for an indicator of this kind, or ValueRejected with the reply to send."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    folded = _normalise(text)
    if not folded:
        raise ValueRejected(f"Bạn chưa nhập giá trị. {HINTS[kind]}")
    if len((text or "").strip()) > MAX_CHARS:
        raise ValueRejected(f"Nội dung quá dài, chỉ cần nhập giá trị. {HINTS[kind]}")
    reader = {"percent": _percent, "count": _count, "yesno": _yes_no}[kind]
    value = reader(folded)
    return replace(value, shown=format_value(value, kind))


def split_value(text: str) -> tuple[str, str]:
    """'/baocao' arguments as (what, value): 'III-1 85%' → ('III-1', '85%'), 'hồ sơ … mạng 45 trên 60' →
    ('hồ sơ … mạng', '45 trên 60'), '… 12 hồ sơ' → ('…', '12 hồ sơ'). The value starts at the last
    figure, so a figure inside the indicator's words ('mức độ 4 85%') stays with them; with no
    figure, the last word is the value ('III-7 có')."""
    text = " ".join((text or "").split())
    starts = list(_VALUE_START.finditer(text))
    at = starts[-1].start() if starts else text.rfind(" ") + 1
    before = text[:at].split()
    # a mark before the figure belongs with it ('… 5 - 5', "… ' OR 1=1"), and so does a figure before the
    # mark: the value is then refused whole, not cut down to its last figure
    while before and not any(c.isalnum() for c in before[-1]):
        before.pop()
        if before and not any(c.isalpha() for c in before[-1]):
            before.pop()
    return " ".join(before), text[len(" ".join(before)):].strip()


def _normalise(text: str) -> str:
    """Folded, single-spaced, with the typographic signs phones insert made plain."""
    text = unicodedata.normalize("NFKC", text or "").replace("\u2212", "-").replace("\u2013", "-")
    return " ".join(fold(text).split())


def _tokens(folded: str, kind: str) -> tuple[list[str], list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(words, figures, fractions) of a value as typed: a figure must stand as a token of its own among
    plain words ('đạt 85%', '12 hồ sơ', '45 trên 60 hồ sơ'). Anything else (a sign, a stray mark, a figure
    run into other characters: '5 - 5', '- 5', '1/3/', "' OR 1=1--") is refused, never dug into."""
    text = _END_MARKS.sub("", folded)
    text = _GLUE_FRACTION.sub("/", _GLUE_PERCENT.sub("%", text))
    words, figures, fractions = [], [], []
    for token in text.split():
        if _WORD.fullmatch(token):
            words.append(token)
        elif match := _FRACTION.fullmatch(token):
            fractions.append(match.groups())
        elif match := _NUMBER.fullmatch(token):
            figures.append(match.groups(default=""))
        else:
            raise ValueRejected(f"Chỉ nhập giá trị, không kèm ký hiệu khác. {HINTS[kind]}")
    return words, figures, fractions


def _percent(folded: str) -> Value:
    folded = _PER_CENT_WORDS.sub("%", folded)
    _no_figure(folded, "percent")
    _, figures, fractions = _tokens(folded, "percent")
    if fractions:
        return _fraction(figures, fractions)
    number = _single_number(figures, "percent")
    if number > 100:
        raise ValueRejected(f"Tỷ lệ phải từ 0 đến 100%. {PERCENT_HINT}")
    return Value(number)


def _fraction(figures: list[tuple[str, str, str]], fractions: list[tuple[str, str]]) -> Value:
    """'45/60', '45 trên 60': how many of how many, as a percentage; both parts whole."""
    if len(fractions) > 1 or figures:
        raise ValueRejected(f"Có nhiều con số, không rõ số nào là kết quả. Chỉ nhập một giá trị. {PERCENT_HINT}")
    numerator, denominator = (int(part.replace(".", "")) for part in fractions[0])
    if denominator == 0:
        raise ValueRejected("Tổng số (số sau dấu /) phải lớn hơn 0. Ví dụ: 45/60 là 45 trên tổng số 60.")
    if numerator > denominator:
        raise ValueRejected(f"Số đạt ({numerator}) không thể lớn hơn tổng số ({denominator}). "
                            f"Ví dụ: 45/60 là 45 trên tổng số 60.")
    return Value(numerator * 100 / denominator, numerator, denominator)


def _count(folded: str) -> Value:
    _no_figure(folded, "count")
    _, figures, fractions = _tokens(folded, "count")
    if fractions:
        raise ValueRejected(f"Chỉ tiêu này tính bằng số lượng, không phải phân số. {COUNT_HINT}")
    number = _single_number(figures, "count")
    if number > MAX_COUNT:
        raise ValueRejected(f"Số quá lớn, vui lòng kiểm tra lại. {COUNT_HINT}")
    return Value(number)


def _no_figure(folded: str, kind: str) -> None:
    if not _DIGIT.search(folded):
        raise ValueRejected(f"Chưa thấy con số. Vui lòng nhập bằng chữ số. {HINTS[kind]}")


def _single_number(found: list[tuple[str, str, str]], kind: str) -> float:
    """The one figure of the message; the words around it ('12 hồ sơ', 'đạt 85%') are ignored.

    A percentage message may mention a year or a quarter ('quý 3 đạt 85%'): when some figure
    carries a % sign, only those count. Two different figures are refused, never guessed between.
    """
    if not found:
        raise ValueRejected(f"Chưa thấy con số. Vui lòng nhập bằng chữ số. {HINTS[kind]}")
    signed = [m for m in found if m[2]]
    if kind == "percent" and signed:
        found = signed
    if kind == "count" and signed:
        raise ValueRejected(f"Chỉ tiêu này tính bằng số lượng, không phải tỷ lệ %. {COUNT_HINT}")
    numbers = {_number(digits, kind) for _, digits, _ in found}
    if len(numbers) > 1:
        raise ValueRejected(f"Có nhiều con số khác nhau, không rõ số nào là kết quả. "
                            f"Chỉ nhập một giá trị. {HINTS[kind]}")
    if any(minus for minus, _, _ in found):
        what = "Tỷ lệ phải từ 0 đến 100%" if kind == "percent" else "Số lượng không được âm"
        raise ValueRejected(f"{what}. {HINTS[kind]}")
    return numbers.pop()


def _number(digits: str, kind: str) -> float:
    if kind == "count":
        return float(_whole(digits))
    if digits.count(",") + digits.count(".") > 1:
        raise ValueRejected(f"Không đọc được số “{digits}”. {PERCENT_HINT}")
    return float(digits.replace(",", "."))


def _whole(digits: str) -> int:
    """A count: digits, or thousands grouped by dots; a comma or a decimal is refused."""
    if digits.isascii() and digits.isdigit():
        return int(digits)
    if _THOUSANDS.fullmatch(digits):
        return int(digits.replace(".", ""))
    if "," in digits:
        raise ValueRejected("Số lượng phải là số nguyên, không dùng dấu phẩy. Ví dụ: 1234 hoặc 1.234.")
    raise ValueRejected(f"Số lượng phải là số nguyên. {COUNT_HINT}")


def _yes_no(folded: str) -> Value:
    """'có', 'đã', 'rồi', 'x' … or 'không', 'chưa', 'ko' …; the first such word decides.

    'chưa có', 'không có': a no-word first is a no. 'có không', 'rồi chưa': a yes-word followed
    by a no-word reads as a question, and is refused rather than guessed.
    """
    tokens = _END_MARKS.sub("", folded).split()
    if not all(_WORD.fullmatch(token) for token in tokens):
        raise ValueRejected(f"Chưa rõ câu trả lời. {YESNO_HINT}")
    words = [w for w in tokens if w in _YES or w in _NO]
    if not words:
        raise ValueRejected(f"Chưa rõ câu trả lời. {YESNO_HINT}")
    if words[0] in _NO:
        return Value(None, yes=False)
    if any(w in _NO for w in words):
        raise ValueRejected(f"Câu trả lời vừa có vừa không. {YESNO_HINT}")
    return Value(None, yes=True)


def format_value(value: Value, kind: str) -> str:
    """The value as the bot echoes it, written the Vietnamese way: '85,5%', '45/60 (75%)', '1.234', 'Có'."""
    if kind == "yesno":
        return "Có" if value.yes else "Không"
    if value.number is None:
        return ""
    if kind == "count":
        return format_number(value.number)
    percent = f"{format_number(value.number)}%"
    if value.numerator is not None and value.denominator is not None:
        return f"{format_number(value.numerator)}/{format_number(value.denominator)} ({percent})"
    return percent


def format_number(number: float, decimals: int = 2) -> str:
    """1234.5 → '1.234,5': dots group thousands, a comma marks decimals, trailing zeros dropped."""
    whole, _, fraction = f"{round(number, decimals):,.{decimals}f}".partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def measure(value: Value) -> float:
    """The value as one number: the figure itself, or 1/0 for yes/no."""
    if value.number is not None:
        return value.number
    if value.yes is None:
        raise ValueError("a value with neither a number nor a yes/no")
    return 1.0 if value.yes else 0.0


_COMPARE = {">=": lambda a, b: a >= b or math.isclose(a, b), ">": lambda a, b: a > b and not math.isclose(a, b),
            "<=": lambda a, b: a <= b or math.isclose(a, b), "<": lambda a, b: a < b and not math.isclose(a, b),
            "=": math.isclose}


def meets(value: Value, target: float, comparator: str) -> bool:
    """Whether the value reaches the target; floats compared with a tolerance, so 2/3 meets 66.666…"""
    try:
        compare = _COMPARE[comparator]
    except KeyError:
        raise ValueError(f"unknown comparator {comparator!r}") from None
    return compare(measure(value), float(target))
