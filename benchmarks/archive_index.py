"""Archive index: build time and disk, ``add`` of new articles, query latency, ``score --index`` overhead.

The corpus is the synthetic scale corpus of :mod:`benchmarks.provenance_scale` (perturbed
real articles, 1% planted reuses of another article). The planted articles and a held-out
set are left out of the build; the held-out set is then added (one transaction), and every
planted article (at most 300) is queried against the index as an incoming article
(``find_reuse([article], index=...)``): latency per query, and the share of planted pairs
found through the index. ``score --index`` overhead is ``scorer.score(article, index=...)``
minus ``scorer.score(article)`` on 20 planted articles (median).

Targets (issue 17, at 100,000 articles on 2 cores): build <= 5 min and <= 2 GB; add of
1,000 <= 10 s; query p50 <= 50 ms, p99 <= 250 ms; score overhead <= 100 ms. Margins are
target / measured (>= 1 meets the target), ``disk_margin`` with the disk use per article
extrapolated to 100,000, ``build_margin`` with the build rate extrapolated. Wall times
are reported as measured; on a machine shared with other jobs they overstate what an
idle one needs, so CPU times are reported too (build: process and workers; queries: the
querying process).

Run: ``python -m benchmarks.archive_index --full`` (100,000 articles; by hand) or without
``--full`` for the CI sample (3,000 articles, 300 added).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import run_cli

NAME = "archive_index"
NEEDS_SHARED = True
TARGETS = {"build_s_100k": 300.0, "disk_gb_100k": 2.0, "add_1000_s": 10.0, "query_p50_ms": 50.0,
           "query_p99_ms": 250.0, "score_overhead_ms": 100.0}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the build's workers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def child(n: int, n_add: int, workers: int) -> dict[str, float]:
    """Build, add, query and score on a corpus of ``n`` articles (run in a fresh process)."""
    from benchmarks.provenance_scale import ScaleCorpus

    import scorer
    from scorer.archive import Archive, build
    from scorer.provenance import find_reuse
    from scorer.provenance.clusters import REUSE_KINDS

    corpus = ScaleCorpus(n)
    planted = corpus.planted()
    arts = {art.id: art for art in map(corpus.article, range(n))}
    queries = sorted((a for a in arts if a.startswith("p")), key=lambda x: int(x[1:]))
    source_of = {p: s for pair in planted for p, s in [pair if pair[0].startswith("p") else pair[::-1]]}
    base = [a for a in arts.values() if not a.id.startswith("p")]
    held, base = base[-n_add:], base[:-n_add]
    out: dict[str, float] = {"articles_built": float(len(base)), "articles_added": float(len(held))}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.sqlite"
        start, cpu = time.perf_counter(), _cpu()
        build(path, base, workers=workers)
        out["build_s"] = round(time.perf_counter() - start, 2)
        out["build_cpu_s"] = round(_cpu() - cpu, 2)
        out["bytes"] = float(path.stat().st_size)
        with Archive(path) as ix:
            start, cpu = time.perf_counter(), _cpu()
            ix.add(held, workers=workers)
            out["add_s"] = round(time.perf_counter() - start, 2)
            out["add_cpu_s"] = round(_cpu() - cpu, 2)
            ix.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            out["bytes_after_add"] = float(path.stat().st_size)
            latencies, cpu_ms, found = [], [], 0
            for qid in queries[:300]:
                start, cpu = time.perf_counter(), time.process_time()
                report = find_reuse([arts[qid]], index=ix)
                latencies.append(1000 * (time.perf_counter() - start))
                cpu_ms.append(1000 * (time.process_time() - cpu))
                found += any(p.kind in REUSE_KINDS and {p.a, p.b} == {qid, source_of[qid]} for p in report.pairs)
            scorer.score(arts[queries[0]])  # model loaded once, outside the timings
            overheads, cpu_overheads = [], []
            for qid in queries[:20]:
                start, cpu = time.perf_counter(), time.process_time()
                scorer.score(arts[qid])
                mid, cpu_mid = time.perf_counter(), time.process_time()
                scorer.score(arts[qid], index=ix)
                overheads.append(1000 * ((time.perf_counter() - mid) - (mid - start)))
                cpu_overheads.append(1000 * ((time.process_time() - cpu_mid) - (cpu_mid - cpu)))
    per_article = out["bytes_after_add"] / (len(base) + len(held))
    out.update({
        "queries": float(len(latencies)),
        "query_p50_ms": round(_pct(latencies, 0.5), 1),
        "query_p99_ms": round(_pct(latencies, 0.99), 1),
        "query_cpu_p50_ms": round(_pct(cpu_ms, 0.5), 1),
        "query_cpu_p99_ms": round(_pct(cpu_ms, 0.99), 1),
        "build_cpu_s_100k_extrapolated": round(out["build_cpu_s"] * 100_000 / len(base), 1),
        "planted_found": round(found / max(1, len(latencies)), 4),
        "score_overhead_ms": round(statistics.median(overheads), 1),
        "score_overhead_cpu_ms": round(statistics.median(cpu_overheads), 1),
        "build_s_100k_extrapolated": round(out["build_s"] * 100_000 / len(base), 1),
        "add_1000_s": round(out["add_s"] * 1000 / len(held), 2),
        "disk_gb_100k_extrapolated": round(per_article * 100_000 / 1e9, 3),
    })
    out["build_margin"] = round(TARGETS["build_s_100k"] / out["build_s_100k_extrapolated"], 3)
    out["disk_margin"] = round(TARGETS["disk_gb_100k"] / out["disk_gb_100k_extrapolated"], 3)
    out["add_margin"] = round(TARGETS["add_1000_s"] / out["add_1000_s"], 3)
    out["query_p50_margin"] = round(TARGETS["query_p50_ms"] / max(0.1, out["query_p50_ms"]), 3)
    out["query_p99_margin"] = round(TARGETS["query_p99_ms"] / max(0.1, out["query_p99_ms"]), 3)
    # the same targets on CPU time (work shared by 2 workers for build and add): what an idle machine needs
    out["build_cpu_margin"] = round(TARGETS["build_s_100k"] / (out["build_cpu_s_100k_extrapolated"] / workers), 3)
    out["add_cpu_margin"] = round(TARGETS["add_1000_s"] / (out["add_cpu_s"] * 1000 / len(held) / workers), 3)
    out["query_cpu_p50_margin"] = round(TARGETS["query_p50_ms"] / max(0.1, out["query_cpu_p50_ms"]), 3)
    out["query_cpu_p99_margin"] = round(TARGETS["query_p99_ms"] / max(0.1, out["query_cpu_p99_ms"]), 3)
    out["score_overhead_margin"] = round(TARGETS["score_overhead_ms"] / max(1.0, out["score_overhead_ms"]), 3)
    out["score_overhead_cpu_margin"] = round(TARGETS["score_overhead_ms"] / max(1.0, out["score_overhead_cpu_ms"]), 3)
    return out


def measure(full: bool = False) -> dict[str, float]:
    """All figures, from a fresh process (CI: 3,000 articles; full: 100,000)."""
    n, n_add = (100_000, 1000) if full else (3000, 300)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.archive_index", "--child", str(n), str(n_add)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"archive_index child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3]), workers=2)))
    else:
        run_cli(NAME, measure, __doc__.splitlines()[0])
