"""bench/webhook.py's measure of what a question costs besides its answer: `python -m bench.canned_answer`,
the campaign bot of `campaign-bot run --webhook` (people, chat row, follow-up topic, typing, reply with its
"Xem thêm" button) with the knowledge base's answer replaced by one real answer computed at start-up."""

from __future__ import annotations

import sys

import bot.asking.answers
from bot.start.cli import main as bot_main
from knowledge import answer, default_kb

QUESTION = "Phong trào thi đua Chuyển đổi số của huyện Bù Gia Mập có những hình thức khen thưởng nào?"


def main() -> None:
    canned = answer(default_kb(), QUESTION, None)  # a list answer near the 700-character bound, as many are
    bot.asking.answers.answer = lambda *_args, **_kwargs: canned
    sys.argv = ["campaign-bot", "run", "--webhook"]
    bot_main()


if __name__ == "__main__":
    main()
