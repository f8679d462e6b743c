"""Many plans: index build time, memory per process and the time to add one plan, at 5, 50 and 200 plans.

    python -m bench.plans [5 50 200]

The plans beyond the five packaged ones are copies issued by other communes and districts (their names and
ids changed), as offices of one genre write them. Each figure comes from a fresh process: `build` on an
empty index cache (the vector store of passages already embedded is kept, as on a deployed machine),
`load` from the cache another process wrote, `prepare` one more plan's share of the index and the vectors of
all its passages (an empty vector store: the product does this while the admin reads the preview), `add one`
the index once that plan is confirmed (its share prepared, the others' read from the cache), `RSS` the
process's peak resident memory. The baseline is the interpreter with the libraries imported.
Targets (issue 14): at 200 plans ≤ 30 s build, ≤ 350 MB per process, ≤ 5 s to add one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from bench.plans import texts
n, cache, mode = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if mode == "prepare":  # an empty vector store: every passage of the new plan is embedded
    os.environ["CAMPAIGN_BOT_CACHE"] = str(cache / "fresh")
import knowledge.index, numpy, bm25s, underthesea  # the baseline's imports
from knowledge.index import KnowledgeBase
from knowledge.parts import prepare
plans = texts(n + (mode in ("add", "prepare")))
if mode == "add":
    prepare(plans[-1], cache)  # done while the admin reads the preview: timed as "prepare"
started = time.perf_counter()
if mode == "prepare":
    prepare(plans[-1], cache / "fresh")
elif mode != "baseline":
    kb = KnowledgeBase.of_texts(plans, cache_dir=cache)
    assert len(kb.plans) == len(plans)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

NAMES = ["An Bình", "Tân Lập", "Hòa Bình", "Phú Lương", "Đông Hưng", "Thanh Sơn", "Mỹ Phước", "Long Điền", "Bình Minh",
         "Quảng Thành", "Hưng Đạo", "Tiên Phong", "Đồng Tâm", "Xuân Hòa", "Minh Khai", "Hợp Thành", "Tân Tiến",
         "Thống Nhất", "Quyết Thắng", "Nghĩa Trung"]


def texts(n: int) -> list[str]:
    """The five packaged plans, then copies of them issued elsewhere, up to n."""
    from knowledge.documents import parse_plan, plan_files

    packaged = [p.read_text(encoding="utf-8") for p in plan_files()]
    out = packaged[:n]
    k = 0
    while len(out) < n:
        source = packaged[k % len(packaged)]
        plan = parse_plan(source)
        place = f"{NAMES[k % len(NAMES)]} {k // len(NAMES) + 1}"
        name = plan.issuer.split()[-2:]  # the place name the issuer ends with
        text = source.replace(" ".join(name), place).replace(f"id: {plan.id}", f"id: {plan.id}-{k}")
        out.append(text)
        k += 1
    return out


def run(n: int, cache: str, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(n), cache, mode], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    print(f"{'plans':>5} {'build s':>8} {'load s':>7} {'prepare':>7} {'add one s':>9} {'RSS build':>9} {'RSS load':>8} "
          f"{'RSS baseline':>12}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as cache:
            base = run(n, cache, "baseline")
            build = run(n, cache, "build")
            load = run(n, cache, "load")
            prepared = run(n, cache, "prepare")
            add = run(n, cache, "add")
        print(f"{n:>5} {build['seconds']:>8.1f} {load['seconds']:>7.2f} {prepared['seconds']:>7.1f} "
              f"{add['seconds']:>9.1f} "
              f"{build['rss_mb']:>9.0f} {load['rss_mb']:>8.0f} {base['rss_mb']:>12.0f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5, 50, 200])
