"""Questions answered the way staff type them, and everything else answered gracefully."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.answering import answer, foreign_names
from knowledge.evaluation import evaluate, load_cases
from knowledge.query import analyse, without_plan_names
from knowledge.text import fold

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "eval-sample.yaml"
QUESTIONS = Path(__file__).parent / "eval" / "questions.yaml"


def test_the_issue_example_answers_60_percent_with_citation(ask):
    reply = ask("chi tieu ho so cap xa o bu gia map")
    assert reply.found and reply.plan == "huyen-bu-gia-map"
    assert reply.text.startswith("60%")
    assert "UBND huyện Bù Gia Mập, mục IV.1.2" in reply.text
    assert reply.sources[0].section == "IV.1.2"


def test_every_sample_question_passes(ask):
    if not SAMPLE.exists():
        pytest.skip(f"no sample question set at {SAMPLE}")
    report = evaluate(load_cases(SAMPLE), ask)
    assert report.wrong == []


def test_question_set_accuracy_does_not_regress(ask):
    report = evaluate(load_cases(QUESTIONS), ask)
    assert report.accuracy() >= 0.94, "\n".join(report.lines())


@pytest.mark.parametrize("question", [
    "Chỉ tiêu hồ sơ cấp xã xử lý trên môi trường mạng ở Bù Gia Mập là bao nhiêu?",
    "chi tieu ho so cap xa xu ly tren moi truong mang o bu gia map",
    "chỉ tiu hs cấp xã xử lí trên mt mạng ở bgm bn",
])
def test_diacritics_typos_and_abbreviations_reach_the_same_answer(ask, question):
    assert ask(question).text.startswith("60%")


def test_the_askers_plan_scopes_the_answer(ask):
    assert "100%" in ask("hồ sơ công việc xử lý trên môi trường mạng", plan="xa-cat-ne").text
    assert "90%" in ask("hồ sơ công việc xử lý trên môi trường mạng", plan="so-ldtbxh-ninh-thuan").text


def test_a_plan_named_in_the_question_wins_over_the_askers_plan(ask):
    reply = ask("Sở Xây dựng Kiên Giang gửi báo cáo định kỳ vào ngày nào?", plan="xa-cat-ne")
    assert reply.plan == "so-xd-kien-giang" and "30/5" in reply.text


def test_plans_that_differ_are_shown_side_by_side(ask):
    reply = ask("khi nào tổng kết phong trào?")
    assert reply.found and reply.plan is None and len(reply.sources) > 1
    assert reply.text.startswith("Mỗi kế hoạch quy định riêng")
    assert "quy iv/2025" in fold(reply.text)


def test_out_of_scope_is_declined_with_a_next_step(ask):
    reply = ask("Cho mình hỏi giá vàng hôm nay bao nhiêu?")
    assert not reply.found and "chưa tìm thấy" in reply.text
    nothing_close = ask("thời tiết Hà Nội cuối tuần")
    assert not nothing_close.suggestions and "gợi ý" not in nothing_close.text


def test_a_word_typed_with_its_own_diacritics_is_not_the_function_word_it_folds_to(ask):
    # 'cờ' folds to the 'có' of every question: read as such, 'Cờ thi đua' was only 'thi đua'
    assert not ask("Cờ thi đua của UBND tỉnh tặng cho đơn vị nào?").found
    assert ask("Bằng khen của Chủ tịch UBND tỉnh tặng cho ai?").found
    assert ask("Tổng kết phong trào có tặng Bằng khen không?", "huyen-bu-gia-map").found
    misspelt = ask("Tổng kết 2025 đươc đề nghị Bằng khen tỉnh tối đa bao nhiêu cá nhân?")  # 'đươc' is no word
    assert misspelt.confidence == ask("Tổng kết 2025 được đề nghị Bằng khen tỉnh tối đa bao nhiêu cá nhân?").confidence


def test_a_near_miss_offers_close_questions(ask):
    reply = ask("muc tien thuong bang khen la bao nhieu", "huyen-bu-gia-map")
    assert not reply.found and 1 <= len(reply.suggestions) <= 3 and "gợi ý" in reply.text
    assert all("khen" in s.lower() or "kết" in s.lower() for s in reply.suggestions[:2])


def test_suggestions_are_questions_the_bot_answers(ask, kb):
    reply = ask("quy dinh ve xe dap dien o so")
    for suggestion in ask("tuyên truyền chuyển đổi số bằng loa phát thanh xã").suggestions:
        assert ask(suggestion).found, suggestion
    assert len(reply.suggestions) <= 3


@pytest.mark.parametrize("question", [
    "", "   ", "😀🎉🔥", "\x00\x07\x1b[31m", "a" * 10_000, "chỉ tiêu " * 2_000,
    "'; DROP TABLE submissions; --", "SELECT * FROM users WHERE 1=1", "Кто подписал план? 誰が署名した?",
    "<script>alert(1)</script>", "%s %d {0} ${x}", "\u202e\u200b\ufeff",
])
def test_bad_input_gets_a_clear_answer_never_an_exception(ask, question):
    reply = ask(question)
    assert isinstance(reply.text, str) and reply.text.strip()
    assert reply.latency_ms < 1_000


def test_the_index_cache_is_rebuilt_when_a_plan_changes(tmp_path):
    from knowledge.documents import PLANS_DIR
    from knowledge.index import KnowledgeBase

    plans = tmp_path / "plans"
    plans.mkdir()
    source = (PLANS_DIR / "xa-cat-ne.md").read_text(encoding="utf-8")
    (plans / "xa-cat-ne.md").write_text(source, encoding="utf-8")
    cache = tmp_path / "cache"
    KnowledgeBase.load(plans, cache)
    (plans / "xa-cat-ne.md").write_text(source.replace("đến hết ngày 31/12/2024", "đến hết ngày 30/6/2025"),
                                        encoding="utf-8")
    kb = KnowledgeBase.load(plans, cache)
    assert len(list(cache.glob("*.pickle"))) == 2
    assert any("30/6/2025" in p.text for p in kb.passages)


def _dialogue(kb, *turns, plan=None):
    from knowledge import answer

    replies, previous = [], None
    for question in turns:
        reply = answer(kb, question, plan, previous)
        replies.append(reply)
        previous = reply.topic
    return replies


def test_the_topic_is_small_json_for_the_next_turn(kb):
    import json

    reply = _dialogue(kb, "Sở Xây dựng Kiên Giang gửi báo cáo định kỳ vào ngày nào?")[0]
    assert reply.topic and reply.topic["plans"] == ["so-xd-kien-giang"]
    assert len(json.dumps(reply.topic, ensure_ascii=False)) < 600
    assert json.loads(json.dumps(reply.topic)) == reply.topic


def test_a_follow_up_naming_another_plan_asks_the_same_of_it(kb):
    first, second = _dialogue(kb, "Sở Xây dựng Kiên Giang gửi báo cáo định kỳ vào ngày nào?", "còn Ninh Thuận thì sao?")
    assert "30/5" in first.text
    assert second.found and second.plan == "so-ldtbxh-ninh-thuan" and "20/12" in second.text


def test_a_follow_up_narrowing_the_level_keeps_the_topic(kb):
    first, second = _dialogue(kb, "Chỉ tiêu hồ sơ công việc xử lý trên môi trường mạng ở Bù Gia Mập là bao nhiêu?",
                              "thế cấp xã?")
    assert first.text.startswith("90%")
    assert second.plan == "huyen-bu-gia-map" and second.text.startswith("60%")


def test_a_follow_up_swapping_the_event_keeps_the_question_word(kb):
    first, second = _dialogue(kb, "Bù Gia Mập sơ kết phong trào khi nào?", "còn tổng kết?")
    assert "Quý IV/2023" in first.text
    assert second.plan == "huyen-bu-gia-map" and "Quý IV/2025" in second.text


def test_a_follow_up_asking_who_stays_in_the_plan_and_topic(kb):
    _, second = _dialogue(kb, "Hồ sơ đề nghị khen thưởng ở Bù Gia Mập gồm những gì?", "ai chịu trách nhiệm thẩm định?")
    assert second.plan == "huyen-bu-gia-map" and "thẩm định hồ sơ đề nghị khen thưởng" in second.text


def test_a_full_new_question_ignores_the_previous_topic(kb):
    _, second = _dialogue(kb, "Bù Gia Mập sơ kết phong trào khi nào?",
                          "Cát Nê có bao nhiêu phần trăm cán bộ được tập huấn kỹ năng số?")
    assert second.plan == "xa-cat-ne" and second.text.startswith("100%")


def test_a_comparison_of_two_named_plans_answers_both_side_by_side(kb):
    reply = _dialogue(kb, "so sánh chỉ tiêu hồ sơ công việc xử lý trên môi trường mạng giữa Bù Gia Mập và Cát Nê")[0]
    assert reply.found and {s.plan for s in reply.sources} == {"huyen-bu-gia-map", "xa-cat-ne"}
    assert "90%" in reply.text and "100%" in reply.text


def test_answers_are_short_and_the_rest_is_behind_more(ask):
    reply = ask("Lĩnh vực y tế của huyện cần chuyển đổi số những việc gì?", "huyen-bu-gia-map")
    assert reply.found and len(reply.text) <= 700 and reply.more
    for suggestion in ask("muc tien thuong bang khen la bao nhieu", "huyen-bu-gia-map").suggestions:
        assert len(suggestion) <= 60 and not suggestion.endswith("…")


def test_answers_fit_a_phone_screen_across_the_question_set(ask):
    """The issue's bar: 95% of answers ≤ 700 characters; lists and side-by-side lines are what ran long."""
    cases = load_cases(QUESTIONS)
    long = [c.id for c in cases if len(ask(c.question, c.plan).text) > 700]
    assert len(long) <= 0.05 * len(cases), long


def test_a_question_on_the_documents_grounds_answers_with_that_field_not_the_other_fields(ask):
    reply = ask("Sở LĐTBXH Ninh Thuận dựa trên những văn bản nào của tỉnh để ra kế hoạch?", "so-ldtbxh-ninh-thuan")
    assert "3420" in reply.text and "Người ký" not in reply.text


def test_a_paraphrase_is_understood_by_meaning(ask):
    # the plan: "Tối thiểu 10% thủ tục hành chính của Sở được cắt giảm so với hiện nay"
    reply = ask("Sở Xây dựng Kiên Giang muốn bớt đi bao nhiêu phần trăm thủ tục so với bây giờ?")
    assert reply.found and "10%" in reply.text and 0 < reply.confidence <= 1


def test_the_plan_a_question_names_leaves_its_meaning_to_what_is_asked(kb, ask):
    assert without_plan_names("Ở Bù Gia Mập, bao nhiêu phần trăm công ty dùng hóa đơn điện tử?", kb.vocab) == (
        "bao nhiêu phần trăm công ty dùng hóa đơn điện tử?")
    assert without_plan_names("hoa don dien tu o bu gia map bn", kb.vocab) == "hoa don dien tu bn"
    assert without_plan_names("Chỉ tiêu hồ sơ cấp xã là bao nhiêu?", kb.vocab) == "Chỉ tiêu hồ sơ cấp xã là bao nhiêu?"
    # by meaning alone: 'Bù Gia Mập' no longer draws it to the header that names the district
    reply = ask("Bù Gia Mập có tính cho bệnh nhân được bác sĩ khám qua mạng không?")
    assert reply.found and "khám chữa bệnh từ xa" in reply.text


def test_a_share_of_people_who_pay_is_no_sum_of_money(kb):
    assert not analyse("Bao nhiêu phần trăm dân trả tiền qua mạng?", kb.vocab).money
    assert analyse("Mỗi tập thể được thưởng bao nhiêu tiền?", kb.vocab).money


def test_an_office_abbreviated_is_no_name_the_plans_do_not_know(kb):
    assert foreign_names(kb, analyse("Tiêu chí của Sở LĐTBXH Ninh Thuận là gì?", kb.vocab)) == []
    assert foreign_names(kb, analyse("Tiêu chí của Sở GTVT Ninh Thuận là gì?", kb.vocab)) == ["Sở GTVT"]


def test_a_follow_up_naming_another_tier_asks_for_that_tier(kb):
    first = answer(kb, "chỉ tiêu hồ sơ cấp xã xử lý trên môi trường mạng là bao nhiêu?", "huyen-bu-gia-map")
    assert first.text.startswith("60%")
    district = answer(kb, "còn cấp huyện thì sao?", "huyen-bu-gia-map", previous=first.topic)
    assert district.text.startswith("90%") and "IV.1.1" in district.text  # 'cơ quan, ban, ngành, đoàn thể huyện'
    assert answer(kb, "còn cấp xã thì sao?", "huyen-bu-gia-map", previous=district.topic).text.startswith("60%")


def test_a_plan_that_prints_its_year_but_no_number_says_so(ask):
    reply = ask("kế hoạch này số mấy, ngày nào?", "huyen-bu-gia-map")
    assert reply.found and "không ghi số, ban hành năm 2023" in reply.text and "thông tin văn bản" in reply.text
    for question in ("báo cáo định kỳ vào ngày nào?", "kế hoạch này sơ kết khi nào?"):  # 'định kỳ', 'sơ kết'
        assert "Số, ký hiệu" not in ask(question, "huyen-bu-gia-map").text


def test_a_question_about_communes_is_answered_by_the_plans_for_communes(ask):
    reply = ask("chỉ tiêu hồ sơ cấp xã xử lý trên môi trường mạng là bao nhiêu?")  # no unit yet: side by side
    assert "Bù Gia Mập: 60%" in reply.text and "Cát Nê: 100%" in reply.text and "Sở" not in reply.text


def test_a_plan_is_named_by_its_signer_and_informal_unit_names(ask):
    assert ask("Kế hoạch do ông Võ Tất Dũng ký tổng kết vào quý mấy?").plan == "so-xd-binh-phuoc"
    assert ask("sở xd kg gửi báo cáo định kỳ ngày nào?").plan == "so-xd-kien-giang"
    assert ask("bên lao động thương binh ninh thuận tổng kết khi nào?").plan == "so-ldtbxh-ninh-thuan"


def test_a_question_naming_two_events_gets_each_date(ask):
    reply = ask("Sở Xây dựng Bình Phước sơ kết và tổng kết phong trào vào khi nào?")
    assert reply.found and "quý IV/2023" in reply.text and "quý IV/2025" in reply.text


def test_a_name_no_plan_uses_is_not_answered_by_meaning(ask):
    # 'Nghệ nhân nhân dân' is a title the plans never name: their own 'hồ sơ đề nghị khen thưởng' is no answer
    assert not ask("Hồ sơ đề nghị xét tặng danh hiệu Nghệ nhân nhân dân gồm những gì?").found


def test_a_few_shared_words_do_not_answer_what_means_something_else(ask):
    # 'tiền', 'sử dụng', 'chuyển' are the cashless-payment target's words; the question is about land
    assert not ask("Tiền sử dụng đất khi chuyển mục đích được tính ra sao?").found
    assert ask("Sở Xây dựng Kiên Giang có khuyến khích thanh toán không dùng tiền mặt không?").found


def test_who_takes_part_is_the_plans_doi_tuong_thi_dua_whole(ask):
    reply = ask("Ai được tham gia phong trào thi đua của xã Cát Nê?")
    assert reply.found and "Tập thể:" in reply.text and "Cá nhân:" in reply.text and "II.2" in reply.text
    assert "Cá nhân: Cán bộ, công chức" in ask("Cá nhân nào được tham gia thi đua ở huyện Bù Gia Mập?").text


def test_where_a_campaign_runs_is_its_pham_vi_but_a_target_naming_pham_vi_is_no_such_question(ask):
    assert "trong phạm vi xã Cát Nê" in ask("Phong trào ở xã Cát Nê áp dụng ở đâu?").text
    assert "90%" in ask("Hồ sơ thuộc phạm vi bí mật nhà nước ở Bù Gia Mập có phải xử lý trên mạng không?").text


def test_a_dictionary_word_the_plans_never_use_is_not_cut_in_two_by_one_of_theirs(kb):
    # the plans say 'ký kết', never 'đăng ký': 'đăng ký kết hôn' is no 'ký kết'
    assert analyse("đăng ký kết hôn ở xã", kb.vocab).units[:2] == ("dang_ky", "ket_hon")
    assert "ky_ket" in analyse("ký kết hợp đồng phần mềm", kb.vocab).units


def test_typed_without_diacritics_a_dictionary_word_the_plans_never_use_is_still_one_word(ask, kb):
    units = analyse("tro cap that nghiep dc huong toi da bn thang", kb.vocab).units
    assert "tro_cap" in units and "that_nghiep" in units  # not 'trợ', 'cấp', 'thật', 'nghiệp' one by one
    assert analyse("dang ky ket hon o ubnd xa", kb.vocab).units[:2] == ("dang_ky", "ket_hon")
    assert not any(ask("tro cap that nghiep dc huong toi da bn thang", plan).found for plan in [None, *kb.plans])
    assert ask("chi tieu ho so cong viec cap xa xu ly tren moi truong mang", "huyen-bu-gia-map").found


def test_a_question_meaning_a_topic_the_plans_are_not_about_is_declined_by_meaning_too(ask, kb):
    question = "Làm giấy phép xây dựng nhà ở cần hồ sơ gì?"  # shares 'hồ sơ', 'xây dựng' with the plans
    assert not any(ask(question, plan).found for plan in [None, *kb.plans])


@pytest.mark.parametrize(("question", "end"), [
    ("Cuộc đua chuyển đổi số ở xã Cát Nê kéo dài đến khi nào?", "31/12/2024"),
    ("cuoc dua chuyen doi so cua huyen bu gia map ket thuc khi nao", "31/12/2025")])
def test_the_campaign_called_a_race_is_still_the_campaign(ask, question, end):
    assert ask(question, None).text.startswith(end)  # 'cuộc đua' for the plans' 'phong trào thi đua'
