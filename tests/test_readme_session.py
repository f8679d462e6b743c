"""The README's example session, replayed through Telegram (fake Bot API) and through `campaign-bot chat`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bot.start.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
EXPECTED = ["80% — «Tối thiểu 80% hồ sơ thủ tục hành chính", "100% — «100% cán bộ, công chức, viên chức được tập huấn",
            "100% — «100% công tác báo cáo được thực hiện trên hệ thống"]
CITATION = "Nguồn: UBND xã Cát Nê, mục III"


def session() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- example-session -->\n```text\n(.*?)```", text, re.DOTALL)
    assert block, "the README lost its example session"
    return block.group(1).strip().splitlines()


def button(line: str) -> str | None:
    return line[1:-1] if line.startswith("[") and line.endswith("]") else None


async def test_the_readme_session_through_telegram(telegram):
    lan, answers, last = telegram.user(520, "Lan"), [], None
    for line in session():
        if label := button(line):
            await lan.press(last, label)
            await telegram.fake.wait_for("editMessageText")
            continue
        last = await lan.say(line)
        answers.append(last.text)
    assert_answers(answers[1:])


def test_the_readme_session_in_the_terminal(monkeypatch, capsys, tmp_path, kb):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("knowledge.default_kb", lambda: kb)
    lines, typed = session(), []
    for line in lines:
        typed.append(str(unit_number(line, kb)) if button(line) else line)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed[1:]) + "\n"))  # `chat` starts with /start
    assert main(["chat"]) == 0
    shown = capsys.readouterr().out
    assert_answers(shown.split("Giờ hãy hỏi mình")[1].split("Nguồn:")[:-1], joined=shown)
    assert (tmp_path / "data" / "campaign-bot.db").exists()


def unit_number(line: str, kb) -> int:
    """The console numbers the units as /start lists them: one per plan, in plan id order."""
    order = [plan.issuer for plan in sorted(kb.plans.values(), key=lambda plan: plan.id)]
    return order.index(button(line)) + 1


def assert_answers(answers: list[str], joined: str | None = None) -> None:
    assert len(answers) == len(EXPECTED)
    for answer, expected in zip(answers, EXPECTED, strict=True):
        assert expected in answer
    assert (joined or "\n".join(answers)).count(CITATION) == len(EXPECTED)


@pytest.fixture(autouse=True)
def _no_env_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
