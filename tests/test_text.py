from knowledge.text import clean, fold, sentences, tokens


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("Hồ sơ Đề nghị khen thưởng") == "ho so de nghi khen thuong"


def test_clean_normalises_tone_marks_and_drops_control_characters():
    assert clean("hoà\x00 thuỷ\u200b  ") == "hòa thủy"


def test_clean_limits_length():
    assert len(clean("a " * 10_000, limit=500)) <= 500


def test_tokens_keep_dates_percentages_and_words():
    assert tokens("Tối thiểu 60% trước ngày 15/6 và 31/12/2024") == [
        "toi", "thieu", "60%", "truoc", "ngay", "15/6", "va", "31/12/2024"]


def test_sentences_split_at_sentence_ends_only():
    assert sentences("Một câu. Hai câu, còn tiếp. ba") == ["Một câu.", "Hai câu, còn tiếp. ba"]
