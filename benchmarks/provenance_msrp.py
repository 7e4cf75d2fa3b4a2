"""Shared quotes are not copying: MSRP sentence pairs that quote the same words.

MSRP pairs come from different outlets covering the same story; many share a direct
quote of the same speaker (and are labelled "paraphrase" for that reason). Under this
project's definition, quoting the same official is not copying. We keep the pairs
whose two sentences carry a common quotation (at least four words inside quote marks
in both), then measure:

* ``sentence_pairs_called_copying`` -- share of those pairs where the aligner links the
  two sentences as unquoted (copying) evidence rather than as a shared quote;
* ``article_pairs_called_copying`` -- the pairs grouped five at a time into two
  pseudo-articles (sentence 1s vs sentence 2s, same order: two outlets covering the
  same five stories and quoting the same people), share of those article pairs that
  ``find_reuse`` reports as verbatim, partial or paraphrase.

Target: at most 5% called copying. Run: ``python -m benchmarks.provenance_msrp [--full]``.
"""

from __future__ import annotations

import csv
import re

from benchmarks._common import require_shared, run_cli

NAME = "provenance_msrp"
NEEDS_SHARED = True
GROUP = 5
_WORD = re.compile(r"\w+")


def _quoted_words(text: str) -> list[set[str]]:
    """Word sets of each direct quote in a sentence."""
    from scorer.signals.quotes import find_quotes

    return [set(w.lower() for w in _WORD.findall(q.inner.of(text))) for q in find_quotes(text)]


def quote_sharing_pairs(path) -> list[tuple[str, str]]:
    """MSRP sentence pairs whose sentences share a quotation of at least four words."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(row) < 5:
                continue
            s1, s2 = row[3], row[4]
            q1, q2 = _quoted_words(s1), _quoted_words(s2)
            if any(len(a & b) >= 4 for a in q1 for b in q2):
                out.append((s1, s2))
    return out


def measure(full: bool = False) -> dict[str, float]:
    """Share of quote-sharing MSRP pairs called copying, per sentence pair and per pseudo-article pair."""
    from scorer.article import Article
    from scorer.provenance import article_detail, find_reuse
    from scorer.provenance.align import _candidate_links
    from scorer.provenance.clusters import REUSE_KINDS

    root = require_shared()
    files = ["msr_paraphrase_train.txt", "msr_paraphrase_test.txt"] if full else ["msr_paraphrase_test.txt"]
    pairs = [p for f in files for p in quote_sharing_pairs(root / "data/gold/msrp" / f)]
    called = 0
    for k, (s1, s2) in enumerate(pairs):
        links = _candidate_links(article_detail(f"a{k}", s1), article_detail(f"b{k}", s2))
        called += any(not l.quoted for l in links)
    articles = []
    n_groups = len(pairs) // GROUP
    for g in range(n_groups):
        chunk = pairs[g * GROUP:(g + 1) * GROUP]
        articles.append(Article(id=f"{g}/a", text="\n\n".join(s1 for s1, _ in chunk)))
        articles.append(Article(id=f"{g}/b", text="\n\n".join(s2 for _, s2 in chunk)))
    report = find_reuse(articles)
    flagged = sum(1 for p in report.pairs if p.kind in REUSE_KINDS and p.a.split("/")[0] == p.b.split("/")[0])
    return {
        "quote_sharing_pairs": float(len(pairs)),
        "sentence_pairs_called_copying": round(called / max(1, len(pairs)), 4),
        "sentence_pairs_not_called_copying": round(1 - called / max(1, len(pairs)), 4),
        "article_pairs": float(n_groups),
        "article_pairs_called_copying": round(flagged / max(1, n_groups), 4),
        "article_pairs_not_called_copying": round(1 - flagged / max(1, n_groups), 4),
    }


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
