"""The front matter of a plan from its text alone: header block, title, period, legal bases,
recipients, signer, issuer and the plan id.

Everything is read by the genre's layout, never by a plan's name: the header block (issuing body,
"Số: …/KH-…", "<place>, ngày … tháng … năm …") precedes "KẾ HOẠCH"; the title follows it; the
legal bases open the body ("Căn cứ…", "Thực hiện…") and the section of aims names the documents
whose targets the plan pursues; "Nơi nhận" and the signature (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH …, name)
close it. Matching is done on the folded text (no diacritics), position for position, so that an
OCR'd text that lost its diacritics is read too; what is kept is the original's own wording.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge.ingest.cleaning import is_paragraph_start
from knowledge.text import fold

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
SIGNER_TITLES = (
    "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "KT. GIÁM ĐỐC", "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC", "Q. GIÁM ĐỐC", "KT. TRƯỞNG PHÒNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG",
    "KT. TRƯỞNG BAN", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "BÍ THƯ", "TM. BAN THƯỜNG VỤ", "TM. ĐẢNG ỦY",
    "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG",
)
_TITLE_KEYS = {re.sub(r"\.\s*", ". ", fold(t)): t for t in SIGNER_TITLES}
_DOC_TYPES = ("nghi quyet", "quyet dinh", "ke hoach", "nghi dinh", "chi thi", "thong tu", "chuong trinh hanh dong",
              "chuong trinh", "cong van", "huong dan", "thong bao", "luat", "van ban")
_DOC_NUMBER = re.compile(r"\b(\d+[\w.]*(?:-[a-z]+)?/[a-zđ]{1,6}(?:[-/][a-z0-9đ]+)*)", re.IGNORECASE)
_CAPS_TAIL = re.compile(r"((?:(?:KT|TM|Q)\.\s*)?[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ .,]{3,})$")


class _NameShape:
    """A person's name: 2–5 words, each capitalised, letters only ('Đỗ Thanh Tâm', 'Luu Thanh Binh')."""

    @staticmethod
    def match(text: str) -> bool:
        words = text.split()
        return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())
                                            for w in words)


_NAME = _NameShape()
_LOCAL_UNITS = (("thi xa", "thị xã", "huyện"), ("thanh pho", "thành phố", "huyện"), ("thi tran", "thị trấn", "xã"),
                ("huyen", "huyện", "huyện"), ("quan", "quận", "huyện"), ("phuong", "phường", "xã"),
                ("xa", "xã", "xã"), ("tinh", "tỉnh", "tỉnh"))


@dataclass
class Document:
    """The parts of a plan's text, its body and its metadata."""
    header: list[str]
    title: str
    body: list[str]
    closing: list[str]
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _find(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    """Search the folded text; the match's positions are those of the original (fold keeps them)."""
    return re.search(pattern, fold(text), flags)


def _signer_title(segment: str) -> str | None:
    key = re.sub(r"\.\s*", ". ", fold(segment).strip(" ,"))
    match = process.extractOne(key, list(_TITLE_KEYS), scorer=fuzz.ratio, score_cutoff=84)
    return _TITLE_KEYS[match[0]] if match else None


# --- the parts of the document ----------------------------------------------------------------

def split_document(paragraphs: list[str]) -> Document:
    anchor = next((i for i, p in enumerate(paragraphs)
                   if re.fullmatch(r"k\S{0,2}\s*ho\S{1,3}", fold(p).strip(" .")) and _is_caps(p)), None)
    header = paragraphs[:anchor] if anchor is not None else []
    start = anchor + 1 if anchor is not None else 0
    title_parts: list[str] = []
    i = start
    while i < len(paragraphs) and len(title_parts) < 3:
        p = paragraphs[i]
        folded = fold(p)
        if title_parts and (is_paragraph_start(p) or len(p) > 150 or re.match(r"(can c|th\S{1,2}c hi)", folded)
                            or title_parts[-1].endswith((":", ";"))):
            break
        if not title_parts and len(p) > 250:
            break
        title_parts.append(p)
        i += 1
    title = " ".join(title_parts)
    closing_at = _closing_start(paragraphs, i)
    body = (["KẾ HOẠCH"] if anchor is not None else []) + ([title] if title else []) + paragraphs[i:closing_at]
    return Document(header, title, body, paragraphs[closing_at:])


def _closing_start(paragraphs: list[str], start: int) -> int:
    received = next((i for i in range(start, len(paragraphs))
                     if re.match(r"n[oơ]i nh\w{1,3}\s*:?", fold(paragraphs[i]))), None)
    end = received if received is not None else len(paragraphs)
    # a signature printed before "Nơi nhận" (the right column read first), or no "Nơi nhận" at all
    j = end
    while j - 1 >= start and (_signer_title(paragraphs[j - 1]) or (_NAME.match(paragraphs[j - 1])
                                                                     and j - 1 > start + 3
                                                                     and _signer_title(paragraphs[j - 2]))):
        j -= 1
    if received is None and j == end:
        # no "Nơi nhận": the signature is the run of caps titles and a name at the very end
        k = len(paragraphs)
        while k - 1 >= start and (_signer_title(paragraphs[k - 1]) or _NAME.match(paragraphs[k - 1])):
            k -= 1
        if k < len(paragraphs) and any(_signer_title(p) for p in paragraphs[k:]):
            return k
        return len(paragraphs)
    return j


# --- header -------------------------------------------------------------------------------------

_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc|^[_\-=.– ]+$")


def _header_lines(header: list[str]) -> list[str]:
    text = "\n".join(header)
    # a two-column header extracted as one line: split before the motto, the number and the date line
    text = re.sub(r"\s+(?=(?:CỘNG HÒA|CỘNG HOÀ|Độc lập|Số\s*:|Số\s+\d))", "\n", text)
    text = re.sub(r"(Số\s*:?\s*[\w.]*\s*/\s*[\wĐđ./-]+)[ \t]+(?=\S)", "\\1\n", text)
    return [piece for line in text.split("\n") if line.strip() for piece in _caps_then_place(line.strip())]


def _caps_then_place(line: str) -> list[str]:
    """'HUYỆN BÙ GIA MẬP Bù Gia Mập, ngày …' (the left column's last line beside the date line, as OCR
    reads a row): the capitals are the issuer, the rest the place and date."""
    if not re.search(r",\s*ng\S{2}\b", line):
        return [line]
    words = line.split()
    for i, word in enumerate(words):
        if not _is_caps(word) and word[:1].isupper() and i and all(_is_caps(w) or not w.isalpha() for w in words[:i]):
            return [" ".join(words[:i]), " ".join(words[i:])]
        if not _is_caps(word):
            break
    return [line]


def read_header(lines: list[str]) -> dict:
    meta: dict = {"number": "", "issued": "", "place": ""}
    issuer_lines: list[str] = []
    for line in lines:
        folded = fold(line)
        number = re.search(r"^s\S{0,2}\s*:?\s*((?:\d[\w.]*)?\s*/\s*[a-zđ][\wđ./-]*)", folded)
        if number and "/" in line:
            meta["number"] = re.sub(r"\s*/\s*", "/", line[number.start(1):number.end(1)].strip())
            continue
        date = re.search(r"^(.{2,40}?),\s*ngay\s*(\d{1,2})?\s*"
                         r"(?:thang\s*(\d{1,2})?\s*nam\s*(\d{4})|/(\d{1,2})/(\d{4}))", folded)
        if date:
            meta["place"] = line[:date.end(1)].strip()
            meta["date_line"] = line
            day = date.group(2)
            month = date.group(3) or date.group(5)
            year = date.group(4) or date.group(6)
            meta["issued"] = f"{day}/{month}/{year}" if day and month else (f"{month}/{year}" if month else year)
            continue
        if _MOTTO.search(folded):
            continue
        if _is_caps(line):
            issuer_lines.append(line)
    meta["issuer_lines"] = issuer_lines
    return meta


# --- issuer ------------------------------------------------------------------------------------

@dataclass
class Issuer:
    level: str       # sở | huyện | xã | tỉnh
    unit: str        # "Sở", "huyện", "xã", "thị xã" …
    name: str        # "Xây dựng", "Bù Gia Mập"


def _casing_from(text: str, name: str) -> str:
    """The body's own spelling of a name read in capitals ('XÂY DỰNG' → 'Xây dựng'), else each part's
    first word capitalised ('LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' → 'Lao động - Thương binh và Xã hội')."""
    words = [re.escape(w) for w in fold(name).replace("-", " - ").split()]
    pattern = r"\s*".join(words).replace(r"\s*\-\s*", r"\s*-\s*")
    for m in re.finditer(pattern, fold(text)):
        found = text[m.start():m.end()]
        if not _is_caps(found):
            return found
    parts = re.split(r"(\s+-\s+|\s+và\s+|\s+VÀ\s+|,\s*)", name)
    out = []
    for part in parts:
        if re.fullmatch(r"\s+(?:-|và|VÀ)\s+|,\s*", part):
            out.append(part.lower())
        elif part:
            out.append(part[:1].upper() + part[1:].lower())
    return "".join(out)


def parse_issuer(words: str, text: str = "") -> Issuer | None:
    words = " ".join(words.split()).strip(" ,.;:")
    folded = fold(words)
    m = re.match(r"s\S\s+(.+)$", folded)
    if (m and not folded.startswith(("sau", "so "))) or folded.startswith("so "):
        name = words[m.start(1):] if m else words[3:]
        name = re.split(r"\s+(?=t[iỉ]nh\b)", name)[0]
        name = _casing_from(text, name) if _is_caps(name) else name
        return Issuer("sở", "Sở", re.sub(r"\s*-\s*", " - ", name).strip())
    m = re.match(r"(?:uy ban nhan dan|ubnd)\s*(.*)$", folded)
    if not m:
        return None
    rest, rest_folded = words[m.start(1):], m.group(1)
    for key, unit, level in _LOCAL_UNITS:
        if rest_folded == key or rest_folded.startswith(key + " "):
            name = rest[len(key):].strip()
            name = _casing_from(text, name) if name and _is_caps(name) else name
            return Issuer(level, unit, name)
    return Issuer("", "", rest)


def _issuer_candidates(doc: Document) -> list[tuple[str, str]]:
    """(words naming the issuer, where found), best evidence first."""
    found: list[tuple[str, str]] = []
    lines = doc.meta.get("issuer_lines") or []
    units = [line for line in lines if re.match(r"(s\S\s|uy ban|ubnd|phong|ban)\b", fold(line))]
    if units:
        last = units[-1]
        i = lines.index(last)
        if re.fullmatch(r"uy ban nhan dan|ubnd", fold(last)) and i + 1 < len(lines):
            last = f"{last} {lines[i + 1]}"
        found.append((last, "header"))
    for p in doc.body[:12]:
        for m in re.finditer(r"((?:s[o&¢6]|uy ban nhan dan|ubnd)\s+[^,.;:“”\"()\n]{0,60}?)\s+(?:ban hanh|trien khai)\s+"
                             r"(?:ke hoach|k\S hoach)", fold(p)):
            found.append((p[m.start(1):m.end(1)], "body"))
    for p in [*doc.body[-6:], doc.title]:
        for m in re.finditer(r"\bc\S{0,3}a\s+((?:s[o&¢6]|uy ban nhan dan|ubnd)\s+[^,.;:“”\"()\n]{2,60}?)"
                             r"\s*(?:\./\.|[.,]|$)", fold(p)):
            found.append((p[m.start(1):m.end(1)], "closing"))
    return found


def find_province(text: str, hint: str = "") -> str:
    folded = fold(text)
    scores = {}
    for province in PROVINCES:
        key = fold(province)
        count = len(re.findall(rf"\btinh\s+{re.escape(key)}\b", folded)) * 3
        count += len(re.findall(rf"\b{re.escape(key)}\b", fold(hint))) * 5
        # dichvucong.thainguyen.gov.vn
        count += len(re.findall(rf"\b{re.escape(key.replace(' ', ''))}\.gov\.vn", folded))
        count += len(re.findall(rf"\b{re.escape(key)}\b", folded)) if len(key) > 6 else 0
        if count:
            scores[province] = count
    return max(scores, key=scores.get) if scores else ""


def initials(name: str) -> str:
    """'Lao động - Thương binh và Xã hội' → 'LĐTBXH', 'Xây dựng' → 'XD'."""
    words = [w for w in re.split(r"[\s,-]+", name) if w and fold(w) not in {"va", "-"}]
    return "".join(w[0].upper() for w in words)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# --- closing: recipients and signer ------------------------------------------------------------

def read_closing(closing: list[str]) -> dict:
    recipients: list[str] = []
    titles: list[str] = []
    name = ""
    in_recipients = False
    for p in closing:
        rest, found = p, []
        tail = _CAPS_TAIL.search(rest)
        while tail and (title := _signer_title(tail.group(1))):
            found.insert(0, title)
            rest = rest[:tail.start()].rstrip(" ,;")
            tail = _CAPS_TAIL.search(rest)
        titles += found
        m = re.match(r"n[oơ]i nh\w{1,3}\s*:?\s*", fold(rest))
        if m:
            in_recipients = True
            rest = rest[m.end():].strip()
            if not rest:
                continue
        if rest.startswith(("- ", "+ ")) or (in_recipients and rest and not _NAME.match(rest)):
            # the signer's name read on the same row as the last recipient ('- Lưu: VT. Lưu Thanh Bình')
            beside = re.match(r"^(.*[.;])\s+(\S+(?:\s+\S+){1,4})$", rest)
            if beside and _NAME.match(beside.group(2)):
                rest, name = beside.group(1), beside.group(2)
            item = rest.lstrip("-+ ").strip()
            item = re.sub(r"\s*[;,.]+$", "", item)
            note = re.match(r"^(.*?);\s*((?:để\s+)?(?:b/c|biết|t/h|thực hiện|báo cáo))\s*$", item, re.IGNORECASE)
            if note:
                item = f"{note.group(1)} ({note.group(2)})"
            if item:
                recipients.append(item)
            continue
        if rest and _NAME.match(rest):
            name = rest
    # the order of the title lines as printed; "KT. CHỦ TỊCH" + "PHÓ CHỦ TỊCH" → "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH"
    ordered = sorted(titles, key=lambda t: 0 if t.startswith(("KT.", "TM.", "Q.")) else 1)
    return {"recipients": recipients, "signer": {"name": name, "title": ", ".join(ordered)}}


# --- legal bases ---------------------------------------------------------------------------------

def _citations(paragraph: str) -> list[str]:
    """The documents a 'Căn cứ…'/'Thực hiện…' paragraph (or an aim) cites, each as written."""
    folded = fold(paragraph)
    out = []
    types = "|".join(_DOC_TYPES)
    starts = [m.start() for m in re.finditer(rf"\b(?:{types}|k\S hoach)\s+(?:s\S{{0,2}}\s+)?\d+[\w.]*(?:-[a-z]+)?/",
                                             folded)]
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(paragraph)
        piece = paragraph[start:stop]
        cut = re.search(r"(?:;\s|\.\s+(?=[A-ZÀ-ỸĐ])|\.$|;$|\s+và\s*$|,\s*$)", piece)
        if n + 1 < len(starts):
            between = fold(piece)
            # a document cited inside another's description ('… Kế hoạch thực hiện Chương trình hành động số 59 …')
            if not re.search(r"(?:\s(?:va|v\S)\s*$|;\s*$|,\s*$)", between.rstrip()) and not cut:
                piece = paragraph[start:]
                cut = re.search(r"(?:;\s|\.\s+(?=[A-ZÀ-ỸĐ])|\.$|;$)", piece)
        if cut:
            piece = piece[:cut.start()]
        piece = re.sub(r"\s+(?:và|va|v\S)$", "", piece.strip(" ;,")).strip()
        if not any(piece in o for o in out):
            out.append(piece)
    return out


def legal_bases(doc: Document) -> list[str]:
    bases: list[str] = []
    numbers: set[str] = set()

    def add(citation: str) -> None:
        number = _DOC_NUMBER.search(citation)
        key = fold(number.group(1)) if number else fold(citation)
        if key not in numbers:
            numbers.add(key)
            bases.append(citation)

    first_heading = next((i for i, p in enumerate(doc.body) if re.match(r"[IVXL]+\.\s", p)), len(doc.body))
    for p in doc.body[:first_heading]:
        if re.match(r"(?:can c\S{1,2}|th\S{1,2}c hi\S{1,2}n)\b", fold(p)):
            for c in _citations(re.sub(r"^\S+\s+\S+\s+", "", p, count=1)):
                add(c)
    # the aims: "… theo các mục tiêu (cơ bản) của/theo <document>"
    second = next((i for i, p in enumerate(doc.body) if i > first_heading and re.match(r"[IVXL]+\.\s", p)),
                  len(doc.body))
    for p in doc.body[first_heading:second]:
        for m in re.finditer(r"muc ti\S{1,2}u[^.;]{0,30}?\b(?:c\S{0,2}a|theo)\s+", fold(p)):
            rest = p[m.end():]
            if re.match(rf"(?:{'|'.join(_DOC_TYPES)})\b", fold(rest)):
                for c in _citations(rest):
                    add(c)
    return bases


# --- period --------------------------------------------------------------------------------------

def period_of(doc: Document) -> tuple[int, int] | None:
    title = fold(doc.title)
    m = re.search(r"(20\d\d)\s*[-–]\s*(20\d\d)", title)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"\bn\S{1,2}m\s+(20\d\d)\b", title) or re.search(r"\b(20\d\d)\b", title)
    if m:
        return int(m.group(1)), int(m.group(1))
    body = fold("\n".join(doc.body))
    m = re.search(r"tu nam (20\d\d) den (?:het )?nam (20\d\d)", body)
    if m:
        return int(m.group(1)), int(m.group(2))
    return None


def valid_until(doc: Document, end: int) -> dt.date:
    body = "\n".join(doc.body)
    for m in re.finditer(r"den het ngay (\d{1,2})/(\d{1,2})/(\d{4})", fold(body)):
        if int(m.group(3)) == end:
            try:
                return dt.date(end, int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return dt.date(end, 12, 31)


# --- all of it -----------------------------------------------------------------------------------

def read_metadata(paragraphs: list[str], plan_id: str | None = None) -> Document:
    doc = split_document(paragraphs)
    doc.meta.update(read_header(_header_lines(doc.header)))
    text = "\n".join(paragraphs)
    warnings = doc.warnings

    issuer = None
    candidates = _issuer_candidates(doc)
    parsed = [(parse_issuer(words, text), where) for words, where in candidates]
    parsed = [(i, w) for i, w in parsed if i and i.level]
    if parsed:
        named = [(i, w) for i, w in parsed if i.name]
        pool = named or parsed
        folded_text = fold(text)
        issuer = max(pool, key=lambda iw: (iw[1] == "header",
                                           folded_text.count(fold(iw[0].name)) if iw[0].name else 0))[0]
        if not issuer.name:
            place = doc.meta.get("place") or ""
            area = re.search(rf"dia ban {re.escape(fold(issuer.unit))}\s+([^,.;:“”\"()\n]+?)(?:[,.;]|\s+de nghi|$)",
                             folded_text)
            if place:
                issuer.name = place
            elif area:
                issuer.name = text[area.start(1):area.end(1)].strip()
    header_hint = " ".join(doc.meta.get("issuer_lines") or [])
    province = find_province(text, header_hint)
    if issuer is None:
        warnings.append("không tìm thấy cơ quan ban hành")
        level, issuer_full, issuer_short, name = "", "", "", ""
    else:
        level, name = issuer.level, issuer.name
        if level == "sở":
            issuer_full = f"Sở {name}" + (f" tỉnh {province}" if province else "")
            short_name = name if len(name.split()) <= 2 else initials(name)
            issuer_short = f"Sở {short_name}" + (f" {province}" if province else "")
        else:
            issuer_full = f"Ủy ban nhân dân {issuer.unit} {name}".strip()
            issuer_short = f"UBND {issuer.unit} {name}".strip()
    if not province:
        warnings.append("không tìm thấy tỉnh")

    period = period_of(doc)
    if period is None:
        warnings.append("không tìm thấy thời gian thực hiện")
        year = re.search(r"(20\d\d)", doc.meta.get("issued") or "")
        period = (int(year.group(1)), int(year.group(1))) if year else (dt.date.today().year, dt.date.today().year)
    until = valid_until(doc, period[1])

    closing = read_closing(doc.closing)
    if not closing["signer"]["title"] and not closing["signer"]["name"]:
        warnings.append("không tìm thấy người ký")
    if not closing["recipients"]:
        warnings.append("không tìm thấy nơi nhận")
    if not doc.title:
        warnings.append("không tìm thấy tên kế hoạch")

    if plan_id is None:
        if level == "sở":
            plan_id = slug(f"so {initials(name)} {province}")
        elif name:
            plan_id = slug(f"{level} {name}")
        else:
            plan_id = slug(doc.title)[:40] or "ke-hoach"
    title = doc.title
    if (title and fold(title).startswith("phat dong")) or (title and not fold(title).startswith("ke hoach")):
        title = f"Kế hoạch {title[:1].lower()}{title[1:]}" if title else ""
    aliases = [a for a in dict.fromkeys([issuer_short, issuer_full, f"{issuer.unit} {name}" if issuer else "", name])
               if a and a.strip()]
    doc.meta.update({
        "id": plan_id, "title": title, "issuer": issuer_full, "issuer_short": issuer_short, "level": level,
        "province": province, "period": {"start": period[0], "end": period[1]}, "valid_until": until,
        "aliases": aliases, "legal_bases": legal_bases(doc), **closing,
    })
    doc.meta.pop("issuer_lines", None)
    return doc
