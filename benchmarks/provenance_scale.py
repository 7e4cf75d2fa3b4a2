"""Speed and memory of ``find_reuse`` at 1k, 10k and 100k articles (report-only, not gated).

Corpora are built from the real articles of the shared corpora: the first copy of each
article is kept as is, later copies are perturbed (90% of their content words and numbers
replaced by words drawn from the corpora's own vocabulary, keeping length, punctuation,
quotes and function words) so that they are distinct articles; 1% of each corpus are planted
reuses of another article of the corpus (whole copies, paragraphs inserted in another
article, sentence-level paraphrase), so the run also reports the share of planted pairs
found at each size. Each size runs in a fresh process; wall time, CPU time (process and
workers: on a busy machine wall time overstates what an idle 2-core machine needs), time
per step and peak resident memory (main process, and the largest worker) are measured there.

Run: ``python -m benchmarks.provenance_scale --full`` (1k, 10k, 100k; about 10 minutes on
2 cores) or without ``--full`` for 1k only (what CI would run; this benchmark has no
baseline, so it is never gated). ``python -m benchmarks.provenance_scale --child N dask``
runs one size on a 2-worker Dask ``LocalCluster`` and prints its JSON.
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache

from benchmarks._common import require_shared, run_cli
from scorer.article import Article

NAME = "provenance_scale"
NEEDS_SHARED = True
CORPORA = ("fakehealth", "misinfotext-sfu", "fakenewsnet-v1", "basil", "articlecomparisons-helsinki")
PLANT_SHARE = 0.01
_WORD = re.compile(r"[A-Za-z0-9]+")


@lru_cache(maxsize=1)
def real_texts() -> list[str]:
    """Texts of all shared-corpus articles with at least 150 words (read once per process)."""
    root = require_shared()
    out = []
    for name in CORPORA:
        with open(root / "data/corpora" / name / "articles.jsonl", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                if len(text.split()) >= 150:
                    out.append(text)
    return out


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], frozenset[str]]:
    """Content words to swap in (from the first 2,000 real texts), and the stopwords kept."""
    from scorer.provenance.fingerprint import stopwords

    stops = frozenset(stopwords())
    return [w for t in real_texts()[:2000] for w in _WORD.findall(t) if w.lower() not in stops], stops


@dataclass(frozen=True)
class ScaleCorpus:
    """``n`` distinct articles (perturbed real ones) with 1% planted reuse, any one made alone from its number.

    Article ``k`` is ``d{k}`` (a real text, perturbed from its second use on) or, for the
    last 1%, ``p{j}``: a planted reuse of a random ``d`` article. Each article draws from its
    own random stream, so a worker can make any part of the corpus without the rest.
    """

    n: int
    seed: int = 11

    @property
    def n_plant(self) -> int:
        return int(self.n * PLANT_SHARE)

    def _rng(self, k: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + k)

    def _base(self, k: int) -> str:
        texts = real_texts()
        base = texts[k % len(texts)]
        if k < len(texts):
            return base
        rng = self._rng(k)
        vocab, stops = _vocabulary()

        def swap(m: re.Match[str]) -> str:
            word = m.group()
            return word if word.lower() in stops or rng.random() >= 0.9 else rng.choice(vocab)

        return _WORD.sub(swap, base)

    def _planted_from(self, j: int) -> tuple[random.Random, int, int]:
        """The random stream of planted article ``j``, after drawing its source and host."""
        rng = self._rng(self.n - self.n_plant + j)
        return rng, rng.randrange(self.n - self.n_plant), rng.randrange(self.n - self.n_plant)

    def article(self, k: int) -> Article:
        """Article number ``k`` of the corpus."""
        from benchmarks.provenance_planted import edit_paraphrase, partial

        j = k - (self.n - self.n_plant)
        if j < 0:
            return Article(id=f"d{k}", text=self._base(k))
        rng, src, host = self._planted_from(j)
        how = j % 3
        if how == 0:
            text = "By Staff\n\n" + self._base(src)
        elif how == 1:
            text = partial(self._base(src), self._base(host), rng)
        else:
            text = edit_paraphrase(self._base(src), rng)
        return Article(id=f"p{j}", text=text)

    def planted(self) -> set[tuple[str, str]]:
        """The planted (reuse, source) pairs, ids sorted."""
        return {tuple(sorted((f"p{j}", f"d{self._planted_from(j)[1]}"))) for j in range(self.n_plant)}

    def parts(self, size: int = 2000) -> list["ScalePart"]:
        """Loaders of the corpus in parts of ``size``, for the workers to make themselves."""
        return [ScalePart(self, k, min(self.n, k + size)) for k in range(0, self.n, size)]


@dataclass(frozen=True)
class ScalePart:
    """Articles [start, stop) of a :class:`ScaleCorpus`: a loader for ``find_reuse_dask_parts``."""

    corpus: ScaleCorpus
    start: int
    stop: int

    def __call__(self, wanted: list[int] | None = None) -> list[Article]:
        positions = range(self.start, self.stop) if wanted is None else [self.start + w for w in wanted]
        return [self.corpus.article(k) for k in positions]


def child(n: int, workers: int, engine: str = "local") -> dict[str, float]:
    """Build a corpus of ``n`` and time ``find_reuse`` on it (run in a fresh process).

    ``engine="dask"`` runs the provenance steps on a ``LocalCluster`` of ``workers``
    single-threaded worker processes instead (``find_reuse_dask``); the cluster's start
    is part of the time, and the workers' peak memory is read after they exit.
    """
    from scorer.provenance import find_reuse
    from scorer.provenance.clusters import REUSE_KINDS

    corpus = ScaleCorpus(n)
    planted = corpus.planted()

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    start, cpu_start = time.perf_counter(), cpu()
    if engine == "dask":
        from scorer.provenance.distributed import dask_client, find_reuse_dask_parts

        with dask_client(None, workers) as client:  # the workers make their parts: the client never holds the corpus
            report = find_reuse_dask_parts(corpus.parts(), client)
    else:
        report = find_reuse([corpus.article(k) for k in range(n)], workers=workers)
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start
    found = {tuple(sorted((p.a, p.b))) for p in report.pairs if p.kind in REUSE_KINDS}
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu_seconds, 1), "peak_mb_main": round(self_kb / 1024), "peak_mb_worker": round(kids_kb / 1024),
            "candidates": float(report.n_candidates), "reuse_pairs": float(len(found)),
            "planted_found": round(len(planted & found) / max(1, len(planted)), 4),
            **{f"seconds_{k}": v for k, v in report.timings.items()}}


def measure(full: bool = False) -> dict[str, float]:
    """Time and peak memory per corpus size, each in a fresh process."""
    out: dict[str, float] = {}
    for n in ((1000, 10_000, 100_000) if full else (1000,)):
        proc = subprocess.run([sys.executable, "-m", "benchmarks.provenance_scale", "--child", str(n)],
                              capture_output=True, text=True, check=True)
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        for key, value in res.items():
            out[f"n{n}_{key}"] = value
    return out


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "--child":  # --child N [dask]
        print(json.dumps(child(int(sys.argv[2]), workers=2, engine=sys.argv[3] if len(sys.argv) == 4 else "local")))
    else:
        run_cli(NAME, measure, __doc__.splitlines()[0])
