"""`campaign-bot` as other tools call it."""

from __future__ import annotations

import json
import re

import pytest
from openpyxl import Workbook

from bot.start.cli import main


@pytest.fixture(autouse=True)
def private_database(kb_cache, monkeypatch, tmp_path):
    """Each test's own database (its plans: the packaged ones), and the test run's index cache."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("CAMPAIGN_BOT_CACHE", str(kb_cache))


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_ask_prints_the_cited_answer(capsys):
    out = run(capsys, "ask", "chi tieu ho so cap xa o bu gia map")
    assert out.startswith("60%") and "mục IV.1.2" in out


def test_ask_json(capsys):
    data = json.loads(run(capsys, "ask", "--json", "--plan", "xa-cat-ne", "phong trào kéo dài đến ngày nào"))
    assert data["found"] and data["plan"] == "xa-cat-ne" and "31/12/2024" in data["answer"]
    assert set(data) == {"found", "answer", "plan", "sources", "confidence", "latency_ms"}


def test_ask_batch_answers_every_line_even_a_broken_one(capsys, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "sở lđtbxh báo cáo trước ngày nào"}\n'
                     'not json\n'
                     '{"id": 7, "question": "giá vàng hôm nay", "plan": "nonexistent"}\n', encoding="utf-8")
    lines = [json.loads(line) for line in run(capsys, "ask", "--batch", str(batch)).splitlines()]
    assert [line["id"] for line in lines] == ["a", None, 7]
    assert lines[0]["found"] and "20/12" in lines[0]["answer"]
    assert not lines[1]["found"] and not lines[2]["found"]
    assert all(isinstance(line["latency_ms"], float) for line in lines)


def test_unknown_plan_is_refused_with_the_known_ids(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "--plan", "khong-co", "x"])
    assert "xa-cat-ne" in capsys.readouterr().err


def test_plans_table(capsys):
    out = run(capsys, "plans")
    assert "so-xd-kien-giang" in out and "2024-12-31" in out and " 1 live " in out


def test_facts_filtered_by_plan_and_kind(capsys):
    out = run(capsys, "facts", "--plan", "so-xd-kien-giang", "--kind", "deadline")
    assert "30/5" in out and "huyen-bu-gia-map" not in out


def test_eval_prints_accuracy_by_style_and_the_wrong_ones(capsys, tmp_path):
    cases = tmp_path / "q.yaml"
    cases.write_text("- {id: a, plan: xa-cat-ne, question: phong trào đến hết ngày nào, style: accented,"
                     " expect_all: ['31/12/2024']}\n"
                     "- {id: b, plan: none, question: giá vàng hôm nay, style: out_of_scope, expect_all: []}\n"
                     "- {id: c, plan: xa-cat-ne, question: phong trào đến hết ngày nào, style: typo,"
                     " expect_all: ['không có']}\n", encoding="utf-8")
    out = run(capsys, "eval", str(cases))
    assert "accented          1/1" in out and "overall           2/3" in out
    assert "- c [typo]" in out


def test_units_import_shows_every_bad_row_and_stores_only_a_clean_file_with_yes(capsys, tmp_path):
    bad = tmp_path / "don-vi.csv"
    bad.write_text("mã,tên,kế hoạch,cấp,cấp trên\n"
                   "xa-a,UBND xã A,huyen-bu-gia-map,xã,huyen-bu-gia-map\n"
                   "Xã B,UBND xã B,huyen-bu-gia-map,xã,\n"
                   "xa-c,UBND xã C,khong-co,xã,\n", encoding="utf-8-sig")
    assert main(["units", "import", str(bad), "--yes"]) == 1
    shown = capsys.readouterr()
    assert "2 lỗi" in shown.out and "Dòng 3: mã “xã b”" in shown.out and "chạy lại" in shown.err
    assert "Dòng 4: không có kế hoạch “khong-co”: ghi một trong" in shown.out
    assert "xa-a" not in run(capsys, "units", "list")  # nothing stored
    good = tmp_path / "don-vi.xlsx"
    book = Workbook()
    book.active.append(["code", "name", "plan", "level", "parent"])
    book.active.append(["xa-a", "UBND xã A", "huyen-bu-gia-map", "xã", "huyen-bu-gia-map"])
    book.active.append(["thon-1", "Thôn 1", "huyen-bu-gia-map", "xã", "xa-a"])  # under the row above
    book.save(good)
    assert "thon-1" in run(capsys, "units", "import", str(good)) and "xa-a" not in run(capsys, "units", "list")
    assert main(["units", "import", str(good), "--yes"]) == 0
    assert "stored 2 units" in capsys.readouterr().err
    listed = run(capsys, "units", "list")
    assert re.search(r"thon-1 .* xa-a +Thôn 1", listed) and "xa-a" in listed
    assert main(["units", "import", str(good), "--yes"]) == 1  # again: the codes exist
    assert "đã có" in capsys.readouterr().out


def test_units_import_refuses_what_is_not_a_spreadsheet(capsys, tmp_path):
    (tmp_path / "don-vi.pdf").write_bytes(b"%PDF")
    assert main(["units", "import", str(tmp_path / "don-vi.pdf")]) == 2
    assert ".xlsx hoặc .csv" in capsys.readouterr().err
    assert main(["units", "import", str(tmp_path / "none.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
