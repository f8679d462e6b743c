"""How long `campaign-bot --help` and `campaign-bot ask` take to start, against `python -c pass` in the same run.

    python -m bench.cli_startup [runs]

Target (issue 12): `campaign-bot --help` ≤ 0.5 s. Each command runs `runs` times, alternating, so a noisy
moment of the machine weighs on all of them alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "campaign-bot --help": [sys.executable, "-m", "bot", "--help"],
    "campaign-bot ask (cached index)": [sys.executable, "-m", "bot", "ask", "chi tieu ho so cap xa"],
}


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(runs: int = 10) -> None:
    seconds(COMMANDS["campaign-bot ask (cached index)"])  # builds the index cache if it is missing
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(seconds(command))
    print(f"{'command':<34} {'min':>7} {'median':>7} {'max':>7}  (seconds, {runs} runs)")
    for name, found in times.items():
        print(f"{name:<34} {min(found):7.3f} {statistics.median(found):7.3f} {max(found):7.3f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
