"""Cold start of ``scorer score FILE`` against ``scorer --version`` and ``python -c pass``, in one run.

Each command runs in a fresh process, round-robin (score, version, pass,
score, ...), so a load that comes and goes hits all three alike; the median
wall time of each is reported with the ratios ``score / version`` and
``score / pass``, which move much less with machine load than the seconds
do. The load average before and after is reported so a loaded machine shows.
With ``COLD_START_BASELINE=DIR`` (a checkout of another version, e.g.
``git archive 34deb73 | tar -x -C DIR``), ``python -m scorer.cli score FILE``
from that tree joins the round-robin and ``score_over_baseline`` compares
the two versions under the same load. ``--full``: 7 runs of each; CI mode: 3.
Report-only (no baseline file):
the seconds depend on the machine. Targets (issue 12): score <= 0.5 s on an
idle 2-core machine and <= 3x ``scorer --version``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import run_cli
from scorer.paths import REPO

NAME = "cold_start"
NEEDS_SHARED = False
FILE = REPO / "seeds" / "004_c5f29e39a883f2f0.txt"


def scorer_command() -> list[str]:
    """The ``scorer`` console script of this interpreter's environment (``python -m scorer.cli`` without one)."""
    script = Path(sys.executable).with_name("scorer")
    if script.is_file():
        return [str(script)]
    found = shutil.which("scorer")
    return [found] if found else [sys.executable, "-m", "scorer.cli"]


def _wall(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one fresh process running ``cmd`` (it must succeed); with ``env``, in its PYTHONPATH tree."""
    start = time.perf_counter()
    cwd = env["PYTHONPATH"] if env else REPO  # `python -m` puts the working directory first on sys.path
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    return time.perf_counter() - start


def measure(full: bool = False, runs: int | None = None, file: Path = FILE) -> dict[str, float]:
    """Median wall seconds of each command over ``runs`` round-robin rounds, and their ratios."""
    runs = runs or (7 if full else 3)
    scorer = scorer_command()
    commands = {"score": scorer + ["score", str(file)], "version": scorer + ["--version"],
                "python": [sys.executable, "-c", "pass"]}
    envs: dict[str, dict[str, str] | None] = dict.fromkeys(commands)
    baseline = os.environ.get("COLD_START_BASELINE")
    if baseline:
        commands["baseline"] = [sys.executable, "-m", "scorer.cli", "score", str(Path(file).resolve())]
        envs["baseline"] = dict(os.environ, PYTHONPATH=str(Path(baseline).resolve()))
    load_before = os.getloadavg()[0]
    for key, cmd in commands.items():  # warm the file cache once; not counted
        _wall(cmd, envs[key])
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for key, cmd in commands.items():
            times[key].append(_wall(cmd, envs[key]))
    med = {k: statistics.median(v) for k, v in times.items()}
    extra = {}
    if baseline:
        extra = {"baseline_s": round(med["baseline"], 3), "score_over_baseline": round(med["score"] / med["baseline"], 3)}
    return {**extra,
        "runs": float(runs),
        "score_s": round(med["score"], 3), "version_s": round(med["version"], 3), "python_s": round(med["python"], 3),
        "score_min_s": round(min(times["score"]), 3),
        "score_over_version": round(med["score"] / med["version"], 2),
        "score_over_python": round(med["score"] / med["python"], 2),
        "load_avg_before": round(load_before, 2), "load_avg_after": round(os.getloadavg()[0], 2),
        "cores": float(os.cpu_count() or 1),
    }


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
