"""/trogiup and the command menus, written from the command table."""

from __future__ import annotations

from bot.commands.turn import ADMINS, EVERYONE, OFFICERS, Command, Turn
from bot.core.replies import Reply

INTRO = ("📘 Hướng dẫn\n"
         "• Gõ câu hỏi, ví dụ: “chỉ tiêu hồ sơ cấp xã xử lý trên môi trường mạng là bao nhiêu?”, "
         "“khi nào tổng kết phong trào?”, “hồ sơ đề nghị khen thưởng gồm những gì?” (gõ không dấu cũng được).\n"
         "• Trong nhóm: nhắc tên mình (@{bot}), trả lời tin nhắn của mình, hoặc dùng /hoi <câu hỏi>.")
SECTIONS = {EVERYONE: "", OFFICERS: "\n👤 Cán bộ báo cáo", ADMINS: "\n🛠 Quản trị viên"}
UNKNOWN_COMMAND = "Mình chưa biết lệnh này. Gõ /trogiup để xem các lệnh."
TEXT_ONLY = "Mình chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi, hoặc /trogiup để xem hướng dẫn nhé."


def _line(command: Command) -> str:
    usage = f" {command.usage}" if command.usage else ""
    return f"• /{command.name}{usage} — {command.description}"


def help_text(commands: list[Command], bot_username: str, admin: bool) -> str:
    lines = [INTRO.format(bot=bot_username or "tên bot")]
    for audience, title in SECTIONS.items():
        if audience == ADMINS and not admin:
            continue
        if title:
            lines.append(title)
        lines += [_line(c) for c in commands if c.audience == audience]
        if audience == ADMINS:
            lines += [f"• {c.admin_help}" for c in commands if c.admin_help]
    return "\n".join(lines)


def menu(commands: list[Command], where: str, *, admin: bool = False) -> list[tuple[str, str]]:
    """(name, description) of the commands a chat's menu lists: 'private' or 'group'; admins' private menu
    adds their own commands."""
    return [(c.name, c.description[:256]) for c in commands
            if where in c.menus and (c.audience != ADMINS or admin)]


def helper(commands: list[Command]):
    """The /trogiup command's function for this table."""

    def show(turn: Turn) -> Reply:
        return Reply(help_text(commands, turn.bot_username, turn.admin))

    return show
