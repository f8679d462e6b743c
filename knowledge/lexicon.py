"""Office-chat vocabulary, all in folded form (lowercase, no diacritics).

Data, not logic: abbreviations and teencode are rewritten before matching; synonyms
widen a query to the plans' own words; question words tell what kind of answer is wanted.
"""

from __future__ import annotations

# Whole-token rewrites. Ambiguous shorthands ("kg": không / Kiên Giang) are left out.
ABBREVIATIONS: dict[str, str] = {
    "hs": "ho so", "hso": "ho so", "cv": "cong viec", "sd": "su dung", "tthc": "thu tuc hanh chinh", "tt": "thu tuc",
    "dvc": "dich vu cong", "dvctt": "dich vu cong truc tuyen", "cbccvc": "can bo cong chuc vien chuc",
    "cbcc": "can bo cong chuc", "ccvc": "cong chuc vien chuc", "cb": "can bo", "cc": "cong chuc",
    "vc": "vien chuc", "nld": "nguoi lao dong", "ubnd": "uy ban nhan dan", "ub": "uy ban",
    "hdnd": "hoi dong nhan dan", "sxd": "so xay dung", "xd": "xay dung", "sldtbxh": "so lao dong thuong binh va xa hoi",
    "ldtbxh": "lao dong thuong binh va xa hoi", "ldtb": "lao dong thuong binh", "tttt": "thong tin va truyen thong",
    "cntt": "cong nghe thong tin", "csdl": "co so du lieu", "cds": "chuyen doi so", "tdkt": "thi dua khen thuong",
    "td": "thi dua", "kt": "khen thuong", "vb": "van ban", "qd": "quyet dinh",
    "kh": "ke hoach", "bc": "bao cao", "bcao": "bao cao", "kq": "ket qua", "cq": "co quan", "dv": "don vi",
    "nv": "nhiem vu", "ct": "chu tich", "pct": "pho chu tich", "gd": "giam doc", "pgd": "pho giam doc",
    "vp": "van phong", "sl": "so luong", "tl": "ty le", "tg": "thoi gian", "ng": "nguoi", "dn": "doanh nghiep",
    "mttq": "mat tran to quoc", "bgm": "bu gia map", "ko": "khong", "thg": "thuong", "k": "khong", "hok": "khong",
    "khg": "khong", "kh0": "khong", "dc": "duoc", "dk": "dieu kien", "bn": "bao nhieu", "bnhieu": "bao nhieu",
    "bnh": "bao nhieu", "j": "gi", "z": "vay", "v": "vay", "ntn": "nhu the nao", "trc": "truoc",
    "ms": "moi", "vs": "voi", "mk": "minh", "r": "roi", "ah": "a", "ak": "a", "nhiu": "nhieu",
    "mn": "moi nguoi", "sk": "so ket", "tk": "tong ket", "q4": "quy iv", "q3": "quy iii",
    "pt": "phong trao", "ptr": "phong trao", "ptdt": "phong trao thi dua", "email": "thu dien tu",
    "mail": "thu dien tu", "gmail": "thu dien tu", "online": "truc tuyen", "onl": "truc tuyen",
    "deadline": "han", "mt": "moi truong", "mtm": "moi truong mang", "ttdt": "thong tin dien tu",
    "dt": "dien tu", "xh": "xa hoi", "vhxh": "van hoa xa hoi", "tp": "thanh pho", "lm": "lam", "nhg": "nhung",
    "nd": "noi dung", "bk": "bang khen", "gk": "giay khen",
    "cstd": "chien si thi dua", "ld": "lanh dao", "qly": "quan ly", "ql": "quan ly", "tchuc": "to chuc",
}

# Before a number, a shorthand names a kind of document: 'nđ 42' is Nghị định 42, 'ct 05' Chỉ thị 05.
NUMBERED_ABBREVIATIONS: dict[str, str] = {
    "nd": "nghi dinh", "nq": "nghi quyet", "ct": "chi thi", "tt": "thong tu", "qd": "quyet dinh",
    "kh": "ke hoach", "cv": "cong van",
}

ROMAN_QUARTERS: dict[str, str] = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}

# Function words and question words: they steer intent, never retrieval.
STOPWORDS: frozenset[str] = frozenset(["a", "ah", "ai", "anh", "ban", "bao", "bay", "be", "cac", "cach", "cai", "can", "cho", "chi", "chu", "cua", "da", "dang", "day", "de", "den", "di", "do", "duoc", "gi", "giup", "ha", "hay", "hoi", "hoi", "khi", "khong", "la", "lam", "len", "luc", "ma", "may", "minh", "moi", "mot", "muon", "nao", "nay", "ne", "nhe", "nhi", "nhieu", "nhu", "nho", "nhung", "noi", "o", "oi", "phai", "qua", "ra", "roi", "sao", "se", "tai", "the", "thi", "thoi", "trong", "tu", "va", "van", "vay", "vao", "ve", "vi", "voi", "xin", "neu", "biet", "loai", "nha", "nhe", "oke", "ok", "alo", "ad", "admin", "em", "toi", "chi", "co", "con", "cho", "hoi", "kia", "nua", "tren", "bi", "duoi", "ben", "can", "cua"])

# The stopwords as spelt with diacritics. Folding merges a function word with content words
# ('có' with 'cờ', 'do' with 'đỏ', 'của' with 'cửa', 'bạn' with 'bản'): typed with other
# diacritics, a stopword's folded form is that other word. 'thể' is the 'có thể' one.
STOPWORD_SPELLINGS: frozenset[str] = frozenset(["à", "ạ", "ai", "anh", "bạn", "bao", "bây", "bé", "các", "cách", "cái", "cần", "cho", "chỉ", "chị", "chứ", "chú", "của", "đã", "dạ", "đang", "đây", "đấy", "để", "đến", "đi", "do", "đó", "được", "gì", "giúp", "hả", "hay", "hãy", "hỏi", "hơi", "hồi", "khi", "không", "là", "làm", "lắm", "lên", "lúc", "mà", "mấy", "mày", "mình", "mọi", "mỗi", "mới", "một", "muốn", "nào", "này", "nay", "nè", "nhé", "nhỉ", "nhiều", "như", "nhờ", "những", "nhưng", "nói", "nơi", "ở", "ơ", "ơi", "ôi", "phải", "qua", "quá", "ra", "rồi", "sao", "sẽ", "tại", "thế", "thể", "thì", "thôi", "trong", "từ", "và", "vẫn", "vậy", "vào", "về", "vì", "với", "xin", "nếu", "biết", "loại", "nha", "nhá", "em", "tôi", "tới", "có", "cô", "còn", "con", "kia", "nữa", "trên", "bị", "dưới", "bên"])

# Words made of function words that are function words still ('có thể'): the others ('văn bản',
# 'cơ bản', 'đa dạng') carry meaning.
FUNCTION_COMPOUNDS: frozenset[str] = frozenset({"co_the", "mot_cach"})

# "X làm gì?": the tasks given to X, listed; the passages assigning them open with X.
_TASKS: tuple[str, ...] = ("lam gi", "phai lam gi", "can lam gi", "lam nhung gi", "lam viec gi", "nhiem vu gi",
                           "co nhiem vu gi", "duoc giao lam gi", "duoc giao nhiem vu gi", "giao lam gi",
                           "nhung viec gi", "viec gi")

# Who a campaign is for, as people ask it: the plan's "Đối tượng thi đua" answers, all of its items.
_PARTICIPANTS = (*(f"{who} {verb}" for who in ("ai", "nhung ai", "ai co the", "nhung ai co the", "nao", "nao co the")
                   for verb in ("tham gia", "duoc tham gia", "duoc thi dua", "tham du", "duoc tham du")),
                 *(f"{verb} {who}" for verb in ("danh cho", "ap dung cho", "ap dung voi", "huong toi", "huong den")
                   for who in ("ai", "nhung ai", "doi tuong nao", "nhung doi tuong nao")),
                 "doi tuong thi dua", "doi tuong nao", "nhung doi tuong nao", "doi tuong tham gia")

# Question phrases: they say what kind of answer is wanted and are not matched as content.
QUESTION_WORDS: dict[str, tuple[str, ...]] = {
    "when": ("khi nao", "bao gio", "luc nao", "ngay nao", "ngay may", "thang nao", "thang may", "quy nao",
             "quy may", "nam nao", "nam may", "thoi gian nao", "thoi diem nao", "bao lau", "hom nao", "hoi nao",
             "tu khi nao", "den khi nao", "han cuoi", "ngay bao nhieu", "thang bao nhieu"),
    "quarter": ("quy nao", "quy may", "vao quy nao", "quy bao nhieu"),  # the unit of time is named: a quarter
    "day": ("ngay nao", "ngay may", "ngay bao nhieu", "han cuoi", "hom nao", "ngay gio nao"),  # ... a day
    "figure": ("bao nhieu", "bao nhieu phan tram", "may phan tram", "la may", "muc may", "may nguoi",
               "muc nao", "nhieu nhat", "it nhat la"),
    "who": ("ai", "la ai", "co quan nao", "ten gi", "ten la gi", "ten nao", "don vi nao", "phong nao", "bo phan nao",
            "nguoi nao",
            "noi nao", "nhung noi nao", "dau", "o dau"),
    "basis": ("theo van ban nao", "van ban nao cua tinh", "xem van ban nao", "o van ban nao", "tai van ban nao",
              "trong van ban nao", "can cu van ban nao",
              *(f"{kind} {which}" for kind in ("ke hoach", "quyet dinh", "nghi quyet", "nghi dinh", "chi thi",
                                               "thong tu", "cong van")
                for which in ("nao", "so may", "so bao nhieu", "so nao", "so gi"))),
    "period": ("giai doan nao", "tu nam nao", "den nam nao", "keo dai", "trong bao lau", "bao lau",
               "tu nam bao nhieu", "den nam bao nhieu"),
    "task": _TASKS,
    "list": (*_TASKS, *_PARTICIPANTS, "gom nhung gi", "nhung ai", "gom nhung ai", "nhung gi", "gom gi", "bao gom nhung gi", "nhung noi dung nao",
             "nhung nao",
             "the nao", "nhu the nao", "ra sao", "la gi", "gi", "co nhung", "gom nhung", "nhung hinh thuc nao",
             "nhung viec gi", "lam gi", "phai lam gi"),
}

# Syllables of question phrases that only frame the question (units of time, 'gồm', 'mức'): the
# other nouns of a question phrase ('hình thức', 'đơn vị') say what the answer is about.
QUESTION_FRAME: frozenset[str] = frozenset(["ngay", "thang", "quy", "nam", "thoi", "gian", "diem", "lau", "hom", "han", "cuoi", "gom", "muc", "it", "nhat", "keo", "dai", "giai", "doan", "phan", "tram", "lam", "ten", "la", "gio", "luc", "nhieu", "dau"])

# Plural markers: before a question phrase, the asker wants every item ('những văn bản nào').
PLURAL: frozenset[str] = frozenset({"nhung", "cac"})

# Question syllables as a question writes them, when typed with diacritics: 'đầu', 'máy', 'giờ' of
# 'lần đầu', 'máy tính', 'giờ làm việc' ask nothing.
QUESTION_ACCENTS: dict[str, str] = {
    "dau": "đâu", "nao": "nào", "gi": "gì", "may": "mấy", "bao": "bao", "nhieu": "nhiêu", "gio": "giờ",
    "ai": "ai", "khi": "khi", "sao": "sao", "lau": "lâu", "luc": "lúc", "ngay": "ngày", "thang": "tháng",
}

# Nouns that "bao nhiêu" / "mấy" count: the answer states "<number> <noun>", in one of these words.
MEASURES: dict[str, tuple[str, ...]] = {
    "bo": ("bo",), "ban": ("ban", "bo"), "tap": ("tap the",), "ca": ("ca nhan",), "nguoi": ("nguoi", "ca nhan"),
    "lan": ("lan",), "ngay": ("ngay",), "thang": ("thang",), "don": ("don vi",), "muc": ("muc",),
    "thanh": ("thanh vien",), "to": ("to",), "lop": ("lop",), "buoi": ("buoi",),
}
NUMBER_WORDS: tuple[str, ...] = ("mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi")

# An amount of money is asked for: folded phrases, and accented words (folded, 'tien' is also 'tiến').
MONEY_PHRASES: tuple[str, ...] = ("bao nhieu tien", "may tien", "kinh phi", "ngan sach", "tien thuong", "phu cap",
                                  "ty dong", "trieu dong", "le phi", "muc luong", "tien luong", "chi phi",
                                  "phi bao nhieu", "bao nhieu dong", "gia cuoc", "cuoc phi", "gia tien", "muc phi")
MONEY_WORDS: frozenset[str] = frozenset({"tiền", "phí", "lương", "triệu", "nghìn", "giá", "cước"})  # with "bao nhiêu"

# Kinds of question that only one part of a plan answers: the signature, the issuer, the list of
# recipients, the period, the title, the legal bases, who takes part (the plan's "Đối tượng thi đua"), where
# (its "Phạm vi"). Their topic words say nothing more.
STRICT_KINDS: frozenset[str] = frozenset({"signer", "issuer", "recipients", "period", "name", "basis", "number",
                                          "participants", "scope"})

# Topic phrases: they say what kind of answer is wanted and are matched as content too.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "when": ("thoi han", "han chot", "han nop", "truoc ngay", "den ngay", "den het", "thoi gian", "dinh ky",
             "so ket", "tong ket"),
    "figure": ("chi tieu", "muc tieu", "ty le", "phan tram", "toi thieu", "toi da", "so luong"),
    "award": ("khen thuong", "bang khen", "giay khen", "co thi dua", "chien si thi dua", "hinh thuc khen",
              "danh hieu", "thuong", "tang thuong"),
    "who": ("chiu trach nhiem", "chu tri", "phu trach", "dau moi", "tham muu", "nhiem vu"),
    "participants": _PARTICIPANTS,
    # where a campaign runs: not a bare 'phạm vi', which targets use too ('thuộc phạm vi bí mật nhà nước')
    "scope": ("pham vi nao", "pham vi trien khai", "pham vi ap dung", "pham vi thi dua", "pham vi phong trao",
              "khu vuc nao", "dia ban nao", "trien khai o dau", "ap dung o dau", "ap dung tai dau", "o nhung dau",
              "trien khai tren pham vi", "trong pham vi nao", "tren pham vi nao"),
    "signer": ("ai ky", "ai da ky", "nguoi ky", "nguoi da ky", "ky ban hanh", "ky ke hoach", "ky van ban", "ky ten", "dung ten", "do ai ky"),
    "issuer": ("co quan ban hanh", "don vi ban hanh", "ai ban hanh", "noi ban hanh"),
    "number": ("so hieu", "so ky hieu", "ky hieu van ban", "ke hoach nay so may", "ke hoach nay so bao nhieu",
               "ke hoach nay la so", "van ban nay so may", "ke hoach so may",
               "ngay ban hanh", "ban hanh ngay", "ban hanh vao ngay", "ban hanh khi nao", "ban hanh luc nao",
               "ban hanh bao gio", "ke hoach ky ngay", "ke hoach ky vao ngay", "ke hoach ky khi nao",
               "ke hoach duoc ky", "ky ke hoach ngay", "ky ke hoach vao ngay", "ngay ky ke hoach",
               "ky ke hoach khi nao", "ky ke hoach luc nao", "ky ke hoach bao gio"),  # 'định kỳ ngày' is no 'ký'
    "recipients": ("noi nhan", "ke hoach duoc gui", "gui ke hoach", "gui den nhung noi",
                   "gui toi nhung noi", "nhung noi nao"),
    "period": ("thoi gian thuc hien phong trao", "ap dung cho giai doan", "giai doan thuc hien", "ket thuc",
               "het han", "keo dai", "thuc hien den khi nao", "thuc hien den bao gio", "dien ra den khi nao",
               "trien khai den khi nao"),
    "name": ("ten phong trao", "ten ke hoach", "phong trao ten", "thi dua ten", "ke hoach ten", "ten goi", "ten cua phong trao", "ten chinh thuc"),
    "basis": ("can cu", "dua tren", "thuc hien theo", "co so phap ly", "dua vao", "van ban goc", "lam can cu"),
}
