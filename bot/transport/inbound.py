"""Per-user flood guard: past `limit` messages in `window` seconds a user is politely slowed.

Only that user waits; everyone else is served as usual.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

SLOW_DOWN = "Bạn gửi hơi nhanh 🙏 Mình sẽ trả lời tiếp sau vài giây, bạn chờ chút rồi gửi lại nhé."


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    warn: bool = False   # the first refusal of a burst is answered; the rest are dropped quietly


class FloodGuard:
    def __init__(self, limit: int = 20, window: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[int, deque[float]] = defaultdict(deque)
        self._warned: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        seen = self._seen[user_id]
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        if len(seen) < self.limit:
            seen.append(now)
            self._warned.pop(user_id, None)
            return Verdict(True)
        first_refusal = user_id not in self._warned
        self._warned[user_id] = now
        return Verdict(False, warn=first_refusal)
