"""Real wire copies: the Helsinki summit corpus (612 articles, ~75 outlets, one day).

Runs ``find_reuse`` on ``articlecomparisons-helsinki`` and reports the pairs by kind
and the clusters (wire story families). Precision comes from hand-checked labels in
``labels/helsinki_pairs.csv``: 50 reported pairs (a stratified random sample of the
verbatim, partial and paraphrase pairs the tool reported when the labels were made),
each read passage by passage and labelled ``reuse`` (the two articles share text
that one took from the other or both from a common source) or ``not_reuse``
(independent coverage, shared quotes, embedded posts or page furniture only).

* ``labelled_precision`` -- of the labelled pairs the tool still reports as reuse, the
  share labelled ``reuse``;
* ``labelled_reuse_still_found`` -- of the pairs labelled ``reuse``, the share still reported.

Run: ``python -m benchmarks.provenance_helsinki [--full]`` (the corpus is small: both
modes run all of it).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from benchmarks._common import require_shared, run_cli
from scorer.paths import REPO

NAME = "provenance_helsinki"
NEEDS_SHARED = True
LABELS = REPO / "labels" / "helsinki_pairs.csv"


def load_labels(path: Path = LABELS) -> dict[tuple[str, str], str]:
    """(a, b) sorted -> "reuse" / "not_reuse"."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {tuple(sorted((r["a"], r["b"]))): r["label"] for r in csv.DictReader(fh)}


def run(workers: int = 2):
    """The report and the texts for the Helsinki corpus."""
    import scorer
    from scorer.provenance import find_reuse

    root = require_shared()
    arts = list(scorer.read_corpus(root / "data/corpora/articlecomparisons-helsinki/articles.jsonl"))
    return find_reuse(arts, workers=workers), {a.id: a.text for a in arts}


def measure(full: bool = False) -> dict[str, float]:
    """Pairs by kind, clusters, and precision against the hand-checked labels."""
    from scorer.provenance.clusters import REUSE_KINDS

    report, _ = run()
    kinds = Counter(p.kind for p in report.pairs)
    found = {tuple(sorted((p.a, p.b))) for p in report.pairs if p.kind in REUSE_KINDS}
    labels = load_labels()
    judged = [lab for pair, lab in labels.items() if pair in found]
    positives = [pair for pair, lab in labels.items() if lab == "reuse"]
    out = {f"pairs_{k}": float(kinds.get(k, 0)) for k in ("verbatim", "partial", "paraphrase", "shared_quotes_only")}
    out.update({
        "articles": float(report.n_articles),
        "clusters": float(len(report.clusters)),
        "clustered_articles": float(sum(len(c.members) for c in report.clusters)),
        "largest_cluster": float(max((len(c.members) for c in report.clusters), default=0)),
        "wire_clusters": float(sum(1 for c in report.clusters if c.wire)),
        "labelled_pairs": float(len(labels)),
        "labelled_precision": round(sum(1 for lab in judged if lab == "reuse") / max(1, len(judged)), 4),
        "labelled_reuse_still_found": round(sum(1 for p in positives if p in found) / max(1, len(positives)), 4),
    })
    return out


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
