"""How busy the machine is while a speed benchmark runs, so figures from a loaded machine can be read.

Speed figures on a shared 2-core machine move with whatever else runs. Each
speed benchmark therefore reports the load average and times a fixed
reference workload in the same process, right before and after its own
measurement: ``reference_s`` is that workload's time (about 0.1 s on the
2-core development machine), and multiplying the benchmark's throughput by it gives a figure that moves much less with load.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter

#: The reference workload: tokenise and count this text this many times (pure Python and ``re``, like the analysis).
_REFERENCE_TEXT = ("Officials said on Tuesday that the plan, first reported by the agency, would go ahead. "
                   "\"We are ready,\" the minister told reporters, according to two people familiar with it. ") * 40
_REFERENCE_ROUNDS = 300
_WORD = re.compile(r"\w+(?:[-']\w+)*")


def reference_seconds() -> float:
    """Wall seconds of the fixed reference workload (best of three, so one preemption does not count)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(_REFERENCE_ROUNDS):
            counts = Counter(w.lower() for w in _WORD.findall(_REFERENCE_TEXT))
            sorted(counts.items(), key=lambda kv: -kv[1])
        best = min(best, time.perf_counter() - start)
    return best


def machine_state() -> dict[str, float]:
    """Load average (1 min), number of cores and the reference workload's time, now."""
    return {"load_avg": round(os.getloadavg()[0], 2), "cores": float(os.cpu_count() or 1),
            "reference_s": round(reference_seconds(), 4)}


def bracket(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Machine figures around a measurement: load before/after and the mean reference time."""
    return {"load_avg_before": before["load_avg"], "load_avg_after": after["load_avg"], "cores": before["cores"],
            "reference_s": round((before["reference_s"] + after["reference_s"]) / 2, 4)}
