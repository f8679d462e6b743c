"""Commands of bot/reporting: /baocao, /sua, /huy and the report's buttons; /tiendo; the admins' /tonghop,
/chuanop and /xuat."""

from __future__ import annotations

from bot.commands.turn import ADMINS, OFFICERS, Command, Press, Turn
from bot.core.replies import Attachment, Reply
from bot.reporting import guided, periods, pictures, progress
from bot.reporting.export import export_elsewhere
from bot.reporting.periods import Span


def report(turn: Turn) -> Reply:
    if turn.text.strip():
        return guided.one_line(turn.who, turn.text, turn.update_id, turn.now, turn.today, kb=turn.kb,
                               session=turn.session)
    return guided.begin(turn.who, turn.now, turn.today, session=turn.session)


def correct(turn: Turn) -> Reply:
    if turn.text.strip():
        return guided.correct_one_line(turn.who, turn.text, turn.update_id, turn.now, session=turn.session)
    return guided.begin_correction(turn.who, turn.now, session=turn.session)


def cancel(turn: Turn) -> Reply:
    return guided.cancel(turn.who, turn.now, session=turn.session)


def report_button(turn: Turn) -> Reply:
    """bc:<indicator id> picks; bc:ok confirms, bc:lai retypes, bc:huy cancels."""
    if turn.text == guided.CONFIRM:
        return guided.confirm(turn.who, turn.update_id, turn.now, session=turn.session)
    if turn.text == guided.RETYPE:
        return guided.retype(turn.who, turn.now, session=turn.session)
    if turn.text == guided.CANCEL:
        return cancel(turn)
    return guided.pick(turn.who, turn.text, turn.now, session=turn.session)


def _period(turn: Turn) -> Span:
    return progress.period_or_hint(turn.text, periods.half_of(turn.today))


def unit_progress(turn: Turn) -> Reply:
    found = progress.progress(turn.who, _period(turn), session=turn.session)
    if any(bar.value is not None for bar in found.bars):
        chart = pictures.progress_png(found.title, found.bars)
        found.reply.files.append(Attachment("tien-do.png", chart, "Biểu đồ: kết quả so với chỉ tiêu", picture=True))
    return found.reply


def summary(turn: Turn) -> Reply:
    span = _period(turn)
    reply, units = progress.summary(span, session=turn.session, units=turn.units)
    if any(u.reported for u in units):
        chart = pictures.standing_png(f"Tổng hợp {span.label}", units)
        reply.files.append(Attachment("tong-hop.png", chart, "Biểu đồ: các đơn vị đạt, chưa đạt, chưa nộp",
                                      picture=True))
    return reply


def missing(turn: Turn) -> Reply:
    return progress.not_submitted(_period(turn), session=turn.session, units=turn.units)


def files(turn: Turn) -> Reply:
    span = _period(turn)
    made = export_elsewhere(span, turn.tz, turn.today, session=turn.session, kb=turn.kb, units=turn.units)
    return Reply(files=[Attachment(name, content, f"Số liệu {span.label}") for name, content in made.items()])


COMMANDS = [
    Command("baocao", "Báo cáo số liệu của đơn vị", report, audience=OFFICERS, menus=("private",),
            usage="[mã chỉ tiêu giá trị]"),
    Command("sua", "Sửa số liệu vừa báo cáo", correct, audience=OFFICERS, menus=("private",),
            usage="[giá trị]"),
    Command("tiendo", "Tiến độ của đơn vị kỳ này", unit_progress, audience=OFFICERS, usage="[kỳ]"),
    Command("huy", "Hủy việc đang làm", cancel, audience=OFFICERS, private=True, menus=("private",)),
    Command("tonghop", "Tổng hợp các đơn vị", summary, audience=ADMINS, usage="[kỳ]"),
    Command("chuanop", "Đơn vị chưa nộp đủ", missing, audience=ADMINS, usage="[kỳ]"),
    Command("xuat", "Tải file Excel và CSV (kỳ: 2026-H1, 2026-H2 hoặc 2026)", files, audience=ADMINS, usage="[kỳ]"),
]
PRESSES = [Press(guided.PICK_PREFIX, report_button)]
