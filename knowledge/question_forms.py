"""Forms of question the genre's askers use, read from a question's folded words: the document's number or
addressees asked after the plan's name, 'mấy Tổ?' asking a figure, a bare 'hạn' that only frames a date
question, one stage of the campaign, a sum of money, what a past year reached. query.py reads a question
with them."""

from __future__ import annotations

import re

from knowledge.lexicon import MONEY_PHRASES, MONEY_WORDS

UNDATED = frozenset({"recipients", "participants", "scope", "name", "signer", "issuer"})
_NUMBER_ASKED = (("so", "bao", "nhieu"), ("so", "may"), ("so", "gi"), ("so", "nao"))
_TRAILING_FILLER = {"vay", "z", "a", "ah", "nhi", "the", "ha", "day"}


def document_number(words: list[str]) -> list[tuple[int, int, frozenset[str]]]:
    """'Kế hoạch … của UBND huyện X số bao nhiêu?': the document's number, asked after the plan's name
    (a 'số' ending the question, not the 'số' of 'chuyển đổi số' nor a count: 'số bao nhiêu người')."""
    end = len(words)
    while end and words[end - 1] in _TRAILING_FILLER:
        end -= 1
    if not (("ke" in words and "hoach" in words) or ("van" in words and "ban" in words)):
        return []
    if "dien thoai" in " ".join(words):  # 'số điện thoại liên hệ … là số nào?': a phone, not the document
        return []
    for asked in _NUMBER_ASKED:
        start = end - len(asked)
        if start > 0 and tuple(words[start:end]) == asked and words[start - 1] != "doi":
            return [(len(asked), start, frozenset({"number"}))]
    return []


_COUNTED = frozenset({"to", "lop", "buoi", "diem", "cuoc", "hoi", "mo", "dot", "bai", "tin", "san", "cho", "nhom",
                      "chuyen", "lan", "nguoi", "ap", "thon", "xa", "phong", "truong", "don", "ho"})


def count_asked(words: list[str], typed: list[str]) -> list[tuple[int, int, frozenset[str]]]:
    """'Mỗi ấp phải có mấy Tổ?', 'mở mấy lớp?': 'mấy' before a noun the plans count in figures asks for one
    (not the 'máy' of 'máy tính'; 'mấy giai đoạn' is answered in words: 'chia làm hai giai đoạn')."""
    return [(1, i, frozenset({"figure"})) for i, (w, t) in enumerate(zip(words, typed, strict=False))
            if w == "may" and t in ("mấy", "may") and i + 1 < len(words) and words[i + 1] in _COUNTED]


_SENT_TO = re.compile(r"\bgui (?:cho|den|toi|ve) "
                      r"(?:co quan nao|nhung co quan|nhung ai|ai|nhung dau|dau|nhung noi|noi nao)\b")


def addressees(words: list[str]) -> list[tuple[int, int, frozenset[str]]]:
    """'Kế hoạch … của Sở X được gửi cho cơ quan nào?': the plan's own addressees (its 'Nơi nhận'), asked
    after its name; not where a report or a file is sent."""
    text = " ".join(words)
    if "ke hoach" not in text or any(w in text for w in ("bao cao", "ho so", "danh sach", "van ban de nghi")):
        return []
    found = _SENT_TO.search(text)
    if not found:
        return []
    start = text[:found.start()].count(" ")
    return [(len(found.group(0).split()), start, frozenset({"recipients"}))]


def deadline_word(words: list[str], spans: list[tuple[int, int]], asked: frozenset[str]) -> set[int]:
    """'Hạn đăng ký thi đua là ngày nào?': a bare 'hạn' (not 'thời hạn', 'hạn chế', 'hạn chót') asks for the
    deadline the question already asks for; it is no content to match the plans' 'Thời hạn' with."""
    if not asked & {"when", "day"}:
        return set()
    return {i for i, w in enumerate(words) if w == "han" and not any(a <= i < b for a, b in spans)}


def names_stage(words: list[str]) -> bool:
    """'Giai đoạn 1 kết thúc ngày nào?': one stage of the campaign, not the whole period the front matter gives."""
    return any(a == "giai" and b == "doan" and (c[:1].isdigit() or c in ("i", "ii", "iii", "mot", "hai", "ba"))
               for a, b, c in zip(words, words[1:], words[2:], strict=False))


_SHARES = (" phan tram ", " ty le ", "%")  # 'bao nhiêu phần trăm dân trả tiền online': a share, not a sum


_MONEY_ASKED = ("bao nhieu tien", "may tien", "phi bao nhieu", "bao nhieu dong")  # asking a sum in themselves
_NOT_MONEY = ("tien mat", "mien phi")  # 'không dùng tiền mặt', 'wifi miễn phí': a way to pay, no sum


def asks_money(words: list[str], typed: list[str] | None, asked: frozenset[str]) -> bool:
    folded = f" {' '.join(words)} "
    for phrase in _NOT_MONEY:
        folded = folded.replace(f" {phrase} ", " ")
    said = [t for t, w in zip(typed or [], words, strict=False) if f" {w} " in folded]
    if any(share in folded for share in _SHARES):  # 'tỷ lệ hồ sơ thanh toán lệ phí trực tuyến': a share
        return False
    asking = "figure" in asked or any(f" {q} " in folded for q in ("bao nhieu", "may", "muc"))
    return (any(f" {phrase} " in folded for phrase in MONEY_PHRASES if asking or phrase in _MONEY_ASKED)
            or bool("figure" in asked and MONEY_WORDS.intersection(said)
                    and not any(share in folded for share in _SHARES)))


_AIMS = ("phai", "chi tieu", "muc tieu", "phan dau", "den nam", "toi nam", "den het", "it nhat", "toi thieu")


def asks_result(words: tuple[str, ...] | list[str]) -> bool:
    """'Năm 2026 tỷ lệ … đạt bao nhiêu?', 'kết quả đạt được': what a year reached, not what is to be reached."""
    folded = f" {' '.join(words)} "
    if any(f" {phrase} " in folded for phrase in ("da dat", "dat duoc", "ket qua", "hien nay", "hien tai")):
        return True
    named_year = re.search(r" (?:nam )?20\d\d ", folded)
    past = " dat " in folded or re.search(r"(?<!toi) da ", folded)  # 'đã', not the 'đa' of 'tối đa'
    return bool(named_year and past and not any(f" {aim} " in folded for aim in _AIMS))
