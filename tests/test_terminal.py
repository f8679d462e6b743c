"""`campaign-bot chat`: every command of the table works in the terminal, the reporting conversation
included; a scripted session invites, joins, reports, looks at the progress and exports."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.commands.help import UNKNOWN_COMMAND
from bot.commands.table import COMMANDS
from bot.start.terminal import Console, render
from tests.support.bot_process import bot_env


@pytest.fixture
def admin(runtime, tmp_path) -> Console:
    return Console(runtime, admin=True, out=tmp_path)


def test_every_command_trogiup_lists_is_answered_in_the_terminal(admin):
    listed = set(re.findall(r"/([a-z]+)", admin.handle("/trogiup").text))
    assert {c.name for c in COMMANDS} <= listed | {"trogiup"}
    for name in sorted(listed):
        reply = admin.handle(f"/{name}")
        assert (reply.text or reply.files) and UNKNOWN_COMMAND not in reply.text, name


def test_a_staff_member_sees_no_admin_command_in_help(runtime, tmp_path):
    text = Console(runtime, out=tmp_path).handle("/trogiup").text
    assert "/baocao" in text and "/moi" not in text and "/xuat" not in text


def run_chat(tmp_path: Path, kb_cache: Path, database_url: str, lines: list[str], *args: str) -> str:
    env = bot_env("http://127.0.0.1:9/bot", kb_cache, DATABASE_URL=database_url)
    env.pop("TELEGRAM_BOT_TOKEN")
    done = subprocess.run([sys.executable, "-m", "bot", "chat", *args], input="\n".join(lines) + "\n", cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_scripted_terminal_session_invites_joins_reports_and_exports(tmp_path, kb, kb_cache, database_url):
    invited = run_chat(tmp_path, kb_cache, database_url, ["/moi xa cat ne"], "--admin")
    token = re.search(r"start=(moi-[\w-]+)", invited).group(1)
    script = [f"/start {token}", "/baocao", "3", "85,5%", "1", "/tiendo", "/xuat"]
    shown = run_chat(tmp_path, kb_cache, database_url, script, "--admin")
    assert "Bạn đã là cán bộ báo cáo của Ủy ban nhân dân xã Cát Nê" in shown
    assert "85,5% — đạt chỉ tiêu 80% ✅" in shown and "✅ Đã ghi: III-3" in shown
    assert "📎 Đã lưu tien-do.png" in shown and (tmp_path / "tien-do.png").read_bytes().startswith(b"\x89PNG")
    workbook = load_workbook(tmp_path / "thi-dua-cds-2026-H2.xlsx")
    rows = [r for r in workbook["Chi tiết"].iter_rows(values_only=True) if r[3] == "III-3" and r[1] == "xa-cat-ne"]
    assert rows[0][6:8] == ("85,5%", 0.855) and (tmp_path / "thi-dua-cds-2026-H2.csv").exists()


def test_render_numbers_buttons_and_names_saved_files(admin, tmp_path):
    shown = render(admin.handle("/donvi"))
    assert "[1]" in shown
    admin.handle("/xuat")
    assert all(path.exists() for path in admin.saved) and len(admin.saved) == 2
    assert "📎 Đã lưu" in render(admin.handle("/xuat"), admin.saved)


def test_run_reads_lines_until_thoat(runtime, tmp_path):
    from bot.start.terminal import run

    out = io.StringIO()
    run(runtime, io.StringIO("/chitieu\n/thoat\n/donvi\n"), out, unit="xa-cat-ne")
    assert "Bạn là cán bộ báo cáo của Ủy ban nhân dân xã Cát Nê" in out.getvalue()
    assert "Chỉ tiêu của UBND xã Cát Nê" in out.getvalue()
    assert out.getvalue().count("Bạn thuộc đơn vị nào?") == 1  # /start's; the /donvi after /thoat is not read
