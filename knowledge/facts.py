"""Typed facts of a plan, each with the passage it comes from.

Patterns of the genre, not of any one plan: percentages and counts with their comparator and unit
("tối thiểu 80%", "ít nhất 02 lớp tập huấn", "01 buổi/quý"), dates (dd/mm, dd/mm/yyyy, "Quý IV/2025",
"quý IV năm 2023", "tháng 01/2027"), recurring reporting dates ("định kỳ 6 tháng (15/6)", "hằng năm ...
30/5 và 30/11", "hằng tháng trước ngày 25", "hằng quý trước ngày 20 của tháng cuối quý"), the end and
start of a stage ("đến 31/12/2026", "từ 01/01/2027"), award forms, quotas and award-mix shares
("tỷ lệ cá nhân là người trực tiếp … ≥ 30%": an award rule, not a target), responsibilities, the
documents the plan implements, and the document's own number, date, signer and issuer.

Words are matched on the folded text (fold keeps positions), so an unaccented text ("quy IV nam 2023",
"So ket") is read as its accented form is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.documents import Plan

import calendar
import datetime as dt

from knowledge.structure import Passage
from knowledge.text import fold

PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")
DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")
QUARTER = re.compile(r"qu[ýyỳ]\s+(I{1,3}|IV|[1-4])\s*(?:/|n[ăaâi]m\s+)(\d{4})", re.IGNORECASE)
MONTH = re.compile(r"(?<![\w/])th[áa]ng\s+(\d{1,2})\s*(?:/|n[ăaâi]m\s+)(\d{4})(?![\d/])", re.IGNORECASE)
DATE_IN_WORDS = re.compile(r"(?<![\w/])ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăaâi]m\s+(\d{4})(?![\d/])",
                           re.IGNORECASE)
DAY_OF_PERIOD = re.compile(r"(?<![\w/])ng[àa]y\s+(\d{1,2})(?![\d/]|\s*th[áa]ng)", re.IGNORECASE)
YEAR = re.compile(r"\bnăm\s+(20\d\d)\b", re.IGNORECASE)
QUOTA = re.compile(r"(\d+)\s+(tập thể|cá nhân)", re.IGNORECASE)
# the bound after its noun: 'số lượng tập thể được khen không quá 03 và cá nhân không quá 07'
QUOTA_AFTER = re.compile(r"(tập thể|cá nhân)(?:(?!\d)[^.;]){0,40}?\b(?:không quá|tối đa|không vượt quá)\s+"
                         r"(\d+)(?!\s*%)", re.IGNORECASE)


def quotas(text: str) -> list[str]:
    """The award quotas a text sets, as '03 tập thể', whichever side of its noun the number stands."""
    found = [(m.start(), f"{m.group(1)} {m.group(2)}") for m in QUOTA.finditer(text)]
    found += [(m.start(2), f"{m.group(2)} {m.group(1)}") for m in QUOTA_AFTER.finditer(text)]
    return [quota for _, quota in sorted(found)]
DOCUMENT = re.compile(r"(Quyết định|Kế hoạch|Nghị quyết|Nghị định|Chỉ thị|Thông tư|Chương trình hành động|Luật)"
                      r"\s+(?:số\s+)?([\w-]+/[\w/-]+)", re.IGNORECASE)
AWARDS = ("Cờ thi đua", "Bằng khen", "Giấy khen", "Chiến sĩ thi đua", "Huân chương", "Lao động tiên tiến",
          "Tập thể lao động xuất sắc", "Tập thể lao động tiên tiến")
_COMPARATORS = (("không vượt quá", "<="), ("không quá", "<="), ("tối đa", "<="), ("tối thiểu", ">="),
                ("ít nhất", ">="), ("trên", ">"), ("dưới", "<"), ("đạt", ">="), ("phấn đấu", ">="))
_RECURRING = (("6 thang", "semiannual"), ("sau thang", "semiannual"), ("hang nam", "yearly"),
              ("bao cao nam", "yearly"), ("ca nam", "yearly"), ("hang quy", "quarterly"), ("moi quy", "quarterly"),
              ("hang thang", "monthly"), ("moi thang", "monthly"), ("dinh ky", "periodic"))
_EVENTS = (("so ket", "review"), ("tong ket", "final_review"), ("bao cao", "report"), ("den het ngay", "end"),
           ("phat dong", "launch"))
_STAGE_END = re.compile(r"(?:den|toi)\s+(?:het\s+)?(?:ngay\s+)?$")
_STAGE_START = re.compile(r"\btu\s+(?:ngay\s+)?$")
# what a count target counts: the nouns of the genre, longest first; a '/quý' after it is a rate
UNITS = tuple(sorted((
    "lớp tập huấn", "lớp bồi dưỡng", "lớp", "buổi", "cơ sở", "mô hình", "sáng kiến", "đề tài", "giải pháp",
    "lượt người", "lượt", "người", "hộ gia đình", "hộ", "doanh nghiệp", "hợp tác xã", "cuộc", "hội nghị", "hội thi",
    "bài viết", "tin bài", "bài", "tin", "phóng sự", "chuyên mục", "chuyên trang", "sản phẩm", "thôn", "xóm", "ấp",
    "tổ công nghệ số",
    "tổ", "đơn vị", "cơ quan", "trường", "điểm", "camera", "tài khoản", "văn bản", "thủ tục", "dịch vụ", "ứng dụng",
    "phần mềm", "cơ sở dữ liệu", "nền tảng", "đợt", "video", "clip", "pano", "áp phích", "trạm", "thiết bị",
    "máy tính", "câu lạc bộ", "điểm truy cập", "cán bộ", "công chức", "học viên",
    "tổ dân phố", "xã", "phường", "thị trấn", "hội thảo", "ngày làm việc", "lần", "bệnh viện", "hồ sơ",
    "chương trình", "khóa", "cuộc thi", "chuyên đề", "gian hàng", "chợ", "bản tin", "nhóm", "học sinh",
    "giáo viên", "người dân", "hộ kinh doanh", "môn học", "môn", "bài giảng", "phòng học", "tiết học", "thành viên",
), key=len, reverse=True))
_UNIT_WORDS = "|".join(re.escape(u) for u in UNITS)
FRACTION = re.compile(r"(?<![\w/.,%-])(\d{1,3}/\d{1,3})\s+(" + _UNIT_WORDS + r")\b", re.IGNORECASE)  # '12/12 tổ'
_RATES = {"tháng": "monthly", "quý": "quarterly", "năm": "yearly", "tuần": "weekly"}
COUNT = re.compile(r"(?<![\w/.,%-])(\d{1,3}(?:\.\d{3})*)\s+(" + "|".join(re.escape(u) for u in UNITS) + r")\b"
                   r"(?:\s*/\s*(tháng|quý|năm|tuần)\b)?", re.IGNORECASE)
_TARGET_HEADINGS = ("chi tieu", "muc tieu")
_TARGET_WORDS = ("it nhat", "toi thieu", "phan dau", "dat ", "khong duoi", "tren ", "moi ", "hang ")
_AWARD_MIX = re.compile(r"khen thuong|duoc khen|de nghi khen|nguoi truc tiep"
                        r"|(?:ty le|ti le)[^%]{0,80}(?:ca nhan|tap the)")
_QUARTER_MONTH = (("thang cuoi quy", 3), ("thang dau quy sau", 4), ("thang dau cua quy sau", 4),
                  ("quy sau", 4), ("quy tiep theo", 4), ("thang dau quy", 1), ("thang dau cua quy", 1),
                  ("thang giua quy", 2), ("thang thu hai", 2))
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Fact:
    kind: str            # target | deadline | award | responsibility | legal_basis
    plan_id: str
    passage: int         # ordinal of the source passage
    text: str            # the clause the fact was read from
    value: str = ""      # "60%", "15/6", "Quý IV/2025", "Bằng khen", "10 tập thể"
    comparator: str = "" # targets: ">=", ">", "<=", "=" ...
    day: int | None = None
    month: int | None = None
    year: int | None = None
    quarter: int | None = None
    recurrence: str = "" # deadlines: yearly | semiannual | quarterly | monthly | periodic | ""; targets: a rate
    event: str = ""      # deadlines: review | final_review | report | end | start | launch | ""
    actor: str = ""      # responsibilities: who
    unit: str = ""       # targets: "%", "lớp tập huấn", "buổi/quý"
    quarter_month: int | None = None  # quarterly deadlines: month of the quarter (1–3; 4: the next quarter's first)

    @property
    def iso_date(self) -> str | None:
        """The date as ISO 8601: '2026-12-31'; a month '2027-01'; a quarter its last day; a yearly date
        '--06-15'; a monthly day '---25'; None when the fact has no date."""
        if self.quarter and self.year:
            month = self.quarter * 3
            return dt.date(self.year, month, calendar.monthrange(self.year, month)[1]).isoformat()
        if self.year and self.month and self.day:
            return f"{self.year:04}-{self.month:02}-{self.day:02}"
        if self.year and self.month:
            return f"{self.year:04}-{self.month:02}"
        if self.month and self.day:
            return f"--{self.month:02}-{self.day:02}"
        if self.day and self.recurrence in ("monthly", "quarterly"):
            return f"---{self.day:02}"
        if self.year and self.kind == "document":
            return f"{self.year:04}"
        return None


def _comparator(before: str, value: str, default: str | None = None) -> str:
    window = before[-40:].lower()
    if re.search(r"(?:≥|>=)\s*$", window):
        return ">="
    if re.search(r"(?:≤|<=)\s*$", window):
        return "<="
    for words, sign in _COMPARATORS:
        if words in window:
            return sign
    if default:
        return default
    return "=" if value.startswith("100") else ">="


_COMPLETED_SHARE = re.compile(r"hoan thanh\b.{0,40}\bchi tieu\b.{0,60}\bduoc giao\b"
                              r"|\bchi tieu\b.{0,40}\bduoc giao\b.{0,30}\d\s?%")


def _clauses(text: str) -> list[str]:
    clauses = [c.strip() for c in re.split(r";\s+", text) if c.strip()]
    subject, dash, _ = clauses[0].rpartition(" — ") if clauses else ("", "", "")
    if not dash or not clauses[1:] or not _CELL.match(clauses[1]):
        return clauses
    subject = subject.rsplit(": ", 1)[-1]  # a table's row (tables.py): each cell under the row's subject
    cells = [clauses[0].rpartition(" — ")[2]]
    for clause in clauses[1:]:  # a cell's own ';' ('Phòng Quản lý chất lượng; các trường THPT') stays in it
        if _CELL.match(clause):
            cells.append(clause)
        else:
            cells[-1] += f"; {clause}"
    return [f"{subject} — {cell}" for cell in cells]


_CELL = re.compile(r"^[^:;]{1,60}:\s")  # 'Chỉ tiêu năm 2027: 85%': a cell after its column's heading


def is_award_mix(clause: str, at: int) -> bool:
    """A share of the people to be awarded ('tỷ lệ cá nhân là người trực tiếp … ≥ 30%',
    'tỷ lệ đề nghị khen thưởng … không quá 40% tổng số cá nhân'): an award rule, not a target."""
    return bool(_AWARD_MIX.search(fold(clause)))


def _in_target_section(p: Passage) -> bool:
    return any(any(words in fold(h.title) for words in _TARGET_HEADINGS) for h in p.path)


def _in_award_rules(p: Passage) -> bool:
    """Under the awards' own heading ('Tiêu chuẩn khen thưởng', 'IV. KHEN THƯỞNG'): the shares and counts
    there are what earns an award, not the campaign's targets. The innermost heading naming either
    decides: 'Tiêu chuẩn thi đua' under 'Tiêu chuẩn thi đua và hình thức khen thưởng' holds targets."""
    for heading in reversed(p.path):
        title = fold(heading.title)
        if "thi dua" in title:
            return False
        if "khen thuong" in title:
            return True
    return False


# 'năm 2025', 'năm học 2025 - 2026'; not a table's column 'Năm học 2026-2027: 40%'
_A_YEAR = re.compile(r"(?<!— )(?<!; )\bnăm(?:\s+học)?\s+20\d\d", re.IGNORECASE)


def _is_result(sentence: str) -> bool:
    """'Năm 2025, tỷ lệ hồ sơ … đạt 48,5%; 76% người dân … đã kích hoạt': what a year reached, the
    baseline a plan starts from, not what it sets out to reach."""
    folded = fold(sentence)
    return bool(_A_YEAR.search(sentence) and re.search(r"\b(?:dat|da|moi co|hien co)\b", folded)
                and not re.search(r"phan dau|den nam|den het|truoc|chi tieu|muc tieu|it nhat|toi thieu", folded))


_BRACKETS = re.compile(r"\([^()]*\)")


def _unless_result(m: re.Match[str]) -> str:
    """'đạt tối thiểu 70% (năm 2025 đã đạt 62%)': the bracket tells where the target starts from."""
    return "" if _is_result(m.group(0)) else m.group(0)


def without_results(text: str) -> str:
    """The text without the brackets that tell a past year's result ('… đạt tối thiểu 70% (năm 2025 đã đạt 62%)')."""
    return _BRACKETS.sub(_unless_result, text)


def ahead(p: Passage) -> list[str]:
    """The passage's sentences that say what is to be reached, without the results it starts from; an item of a
    list is judged by its own words ('Đến cuối năm 2026 mới có 12 hợp tác xã' under '… phấn đấu đạt:'), its
    lead kept before it."""
    own = [s for s in _sentences(without_results(p.text)) if not _is_result(s)]
    return [f"{p.lead} {s}" for s in own] if p.lead else own


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-ỸĐ])", text) if s.strip()]


def targets(p: Passage) -> list[Fact]:
    if _in_award_rules(p):
        return []
    clauses = [c for sentence in ahead(p) for c in _clauses(sentence)]
    facts = []
    for clause in clauses:
        if _COMPLETED_SHARE.search(fold(clause)):
            continue  # 'hoàn thành từ 90% trở lên các chỉ tiêu được giao': a criterion met, not a target
        found = []
        for m in PERCENT.finditer(clause):
            if is_award_mix(clause, m.start()):
                continue
            value = f"{m.group(1)}%"
            found.append((m.start(), Fact("target", p.plan_id, p.ordinal, clause, value,
                                          _comparator(clause[:m.start()], value), unit="%")))
        found += _count_targets(p, clause)
        facts += [f for _, f in sorted(found, key=lambda x: x[0])]
    return facts


def _count_targets(p: Passage, clause: str) -> list[tuple[int, Fact]]:
    """'ít nhất 02 lớp tập huấn', '01 buổi/quý', 'tại 12/12 tổ dân phố' (all of them): in a target section,
    or after the words that set a target."""
    found = []
    for m in [*COUNT.finditer(clause), *FRACTION.finditer(clause)]:
        before = fold(clause[max(0, m.start() - 40):m.start()])
        if re.search(r"\bso\s*$|\bmau\s*$", before) or is_award_mix(clause, m.start()):
            continue
        if not (_in_target_section(p) or any(w in before for w in _TARGET_WORDS)):
            continue
        rate = m.re is COUNT and m.group(3)
        unit = m.group(2).lower() + (f"/{rate.lower()}" if rate else "")
        found.append((m.start(), Fact("target", p.plan_id, p.ordinal, clause, m.group(1),
                                      _comparator(clause[:m.start()], m.group(1), ">="), unit=unit,
                                      recurrence=_RATES.get((rate or "").lower(), ""))))
    return found


# a day of every month or quarter: 'hằng tháng trước ngày 25', 'báo cáo quý: trước ngày 15 của tháng cuối quý'
_EVERY = (("hang thang", "monthly"), ("moi thang", "monthly"), ("bao cao thang", "monthly"),
          ("hang quy", "quarterly"), ("moi quy", "quarterly"), ("bao cao quy", "quarterly"),
          ("thang cuoi quy", "quarterly"), ("thang dau quy", "quarterly"))


def _label_near(text: str, at: int, table: tuple[tuple[str, str], ...]) -> str:
    """The label whose (folded) words stand nearest before position `at` (or nearest after, failing that)."""
    low, best = fold(text), (len(text) * 2, "")
    for words, label in table:
        for m in re.finditer(re.escape(words), low):
            distance = at - m.end() if m.end() <= at else len(text) + m.start() - at
            best = min(best, (distance, label))
    return best[1]


def _event(text: str, at: int) -> str:
    """What happens on the date at `at`: the end or start of a stage ('đến 31/12/2026', 'từ 01/01/2027')
    by the words just before it, else the event named nearest."""
    before = fold(text[max(0, at - 20):at])
    if _STAGE_END.search(before):
        return "end"
    if _STAGE_START.search(before):
        return "start"
    return _label_near(text, at, _EVENTS)


_ASKED_EVERY = (("bao cao 6 thang", "semiannual"), ("6 thang", "semiannual"), ("sau thang", "semiannual"),
                ("bao cao nam", "yearly"), ("hang nam", "yearly"), ("bao cao quy", "quarterly"),
                ("hang quy", "quarterly"), ("moi quy", "quarterly"), ("bao cao thang", "monthly"),
                ("hang thang", "monthly"), ("moi thang", "monthly"))


def recurrence_named(words: str) -> str:
    """The recurrence a question's folded words name ('hạn gửi báo cáo năm', 'hằng quý'), else ''."""
    padded = f" {words} "
    return next((label for phrase, label in _ASKED_EVERY if f" {phrase} " in padded), "")


def _recurrence(text: str, at: int) -> str:
    return _label_near(text, at, _RECURRING[:-1]) or _label_near(text, at, _RECURRING[-1:])


def deadlines(p: Passage) -> list[Fact]:
    text, facts = p.quote, []
    if fold(text).startswith("can cu"):  # a legal basis: the dates of the documents it cites
        return []
    written = list(DATE_IN_WORDS.finditer(text))
    in_words = [m.span() for m in written]
    for m in written:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12 and not _is_document_date(text, m.start()):
            facts.append(Fact("deadline", p.plan_id, p.ordinal, text, f"{day:02d}/{month:02d}/{year}", day=day,
                              month=month, year=year, event=_event(text, m.start())))
    for m in DATE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if FRACTION.match(text, m.start()):
            continue  # '12/12 tổ dân phố': a count of all of them, not the 12th of December
        if 1 <= day <= 31 and 1 <= month <= 12 and not _is_document_date(text, m.start()):
            year = int(m.group(3)) if m.group(3) else None
            recurrence = _recurrence(text, m.start())
            if recurrence in ("monthly", "quarterly", "periodic", ""):  # a dd/mm date comes back once a year
                recurrence = "yearly" if recurrence != "periodic" else recurrence
            facts.append(Fact("deadline", p.plan_id, p.ordinal, text, m.group(0), day=day, month=month, year=year,
                              recurrence="" if year else recurrence, event=_event(text, m.start())))
    for m in QUARTER.finditer(text):
        number = m.group(1).upper()
        quarter = _ROMAN.get(number) or int(number)
        value = f"Quý {m.group(1).upper()}/{m.group(2)}"
        facts.append(Fact("deadline", p.plan_id, p.ordinal, text, value, year=int(m.group(2)), quarter=quarter,
                          event=_label_near(text, m.start(), _EVENTS)))
    for m in MONTH.finditer(text):
        month = int(m.group(1))
        if 1 <= month <= 12 and not any(start <= m.start() < end for start, end in in_words):
            facts.append(Fact("deadline", p.plan_id, p.ordinal, text, f"tháng {m.group(1)}/{m.group(2)}",
                              month=month, year=int(m.group(2)), event=_event(text, m.start())))
    for clause in re.split(r"(?<=[;.])\s+", text):
        offset = text.find(clause)
        for m in DAY_OF_PERIOD.finditer(clause):
            recurrence = _label_near(clause, m.start(), _EVERY)
            day = int(m.group(1))
            if not recurrence or not 1 <= day <= 31:
                continue
            in_quarter = None
            if recurrence == "quarterly":
                folded = fold(clause)
                in_quarter = next((k for words, k in _QUARTER_MONTH if words in folded), 3)
            every = "hằng tháng" if recurrence == "monthly" else "hằng quý"
            facts.append(Fact("deadline", p.plan_id, p.ordinal, text, f"ngày {day} {every}", day=day,
                              recurrence=recurrence, event=_event(text, offset + m.start()), quarter_month=in_quarter))
    return facts


def _is_document_date(text: str, start: int) -> bool:
    """'Kế hoạch số 162/KH-UBND ngày 26/05/2022': the date of a cited document, not an event."""
    before = fold(text[max(0, start - 60):start])
    return bool(re.search(r"\d+/[\w-]+\s+ngay\s+$", before) or re.search(r"\bs\S{0,2}\s+\S*\d\S*\s+ngay\s+$", before))


def awards(p: Passage) -> list[Fact]:
    folded = fold(p.quote)
    facts = [Fact("award", p.plan_id, p.ordinal, p.quote, name) for name in AWARDS if fold(name) in folded]
    facts += [Fact("award", p.plan_id, p.ordinal, p.quote, quota, "<=") for quota in quotas(p.text)]
    for clause in _clauses(p.quote):  # the award mix: 'tỷ lệ cá nhân là người trực tiếp … ≥ 30%'
        for m in PERCENT.finditer(clause):
            if is_award_mix(clause, m.start()):
                value = f"{m.group(1)}%"
                facts.append(Fact("award", p.plan_id, p.ordinal, clause, value, _comparator(clause[:m.start()], value),
                                  unit="%"))
    return facts


def responsibilities(p: Passage) -> list[Fact]:
    if not any("to chuc thuc hien" in fold(h.title) for h in p.path[:1]):
        return []
    actor = p.path[-1].title if len(p.path) > 1 else ""
    return [Fact("responsibility", p.plan_id, p.ordinal, p.text, actor=actor.rstrip("."))]


def legal_bases(p: Passage) -> list[Fact]:
    if not re.match(r"(Căn cứ|Thực hiện)\b", p.text):
        return []
    return [Fact("legal_basis", p.plan_id, p.ordinal, p.text, f"{m.group(1)} số {m.group(2)}")
            for m in DOCUMENT.finditer(p.text)]


EXTRACTORS = (targets, deadlines, awards, responsibilities, legal_bases)
DOCUMENT_SECTION = "Thông tin văn bản"


def extract(passages: list[Passage]) -> list[Fact]:
    return [fact for p in passages for extractor in EXTRACTORS for fact in extractor(p)]


def document_facts(plan: Plan) -> list[Fact]:
    """The document's own number, date of issue, signer and issuer, from its metadata (passage -1)."""
    facts = [Fact("document", plan.id, -1, f"Cơ quan ban hành: {plan.issuer}", plan.issuer, event="issuer")]
    if plan.number:
        facts.append(Fact("document", plan.id, -1, f"Số: {plan.number}", plan.number, event="number"))
    if plan.issued:
        parts = [int(x) for x in re.findall(r"\d+", plan.issued)]
        day, month, year = ([None] * (3 - len(parts)) + parts)[-3:] if parts else (None, None, None)
        where = f"{plan.place}, " if plan.place else ""
        said = f"ngày {plan.issued}" if "/" in plan.issued else f"năm {plan.issued}"
        facts.append(Fact("document", plan.id, -1, f"{where}{said}", plan.issued, day=day, month=month,
                          year=year, event="issued"))
    if plan.signer_name or plan.signer_title:
        signer = f"{plan.signer_title} {plan.signer_name}".strip()
        facts.append(Fact("document", plan.id, -1, f"Người ký: {signer}", signer, actor=plan.signer_name,
                          event="signer"))
    return facts
