"""Deterministic sample of articles for the health-routing gold set (HealthNewsReview scope).

The question labelled is "is this story about a medical treatment, test, product or
procedure?" (see ``labels/guidelines/health_scope.md``). To measure both precision and
recall of a router, the draw mixes:

* ``fakehealth``: ``FAKEHEALTH_N`` articles drawn uniformly (mostly positives, plus the
  corpus's own off-scope stories);
* every other corpus: ``RANDOM_PER_CORPUS`` uniform articles (``random``) and
  ``NET_PER_CORPUS`` articles from a deliberately over-inclusive health-word net
  (``net``), half of them among articles with one net word, half among articles with
  at least ``STRONG_DISTINCT`` distinct net words, so the hard negatives (politics that
  mentions a hospital, an outbreak count, a fact-check of a health rumour) are present.

Batch 2 (``net``, own seed, never repeating batch 1) adds ``BATCH2_PER_CORPUS`` articles
per corpus: the most health-heavy articles of the other corpora and fakehealth stories
with outbreak words. Output columns: index, corpus, article, sampled_by, stratum, batch
(then title, net words and lead with ``--text``).

No project code is used. Usage::

    python3 tools/labelling/sample_health_scope.py            # print the draw (TSV)
    python3 tools/labelling/sample_health_scope.py --text     # ... with title and lead
    python3 tools/labelling/sample_health_scope.py --check labels/health_scope.csv
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from common import CORPORA, check_against_draw, read_corpus

SEED = 15_4
FAKEHEALTH_N = 80
RANDOM_PER_CORPUS = 20
NET_PER_CORPUS = 20
STRONG_DISTINCT = 3

#: Batch 2 (``net`` only, own seed, never repeating batch 1): the most health-heavy
#: articles of the other corpora (>= BATCH2_DISTINCT distinct net words), where both the
#: rare out-of-domain positives and the hardest negatives are, plus fakehealth stories
#: with outbreak words (the in-domain hard negatives).
BATCH2_SEED = 15_44
BATCH2_PER_CORPUS = 10
BATCH2_DISTINCT = 5
OUTBREAK = re.compile(r"\b(virus\w*|outbreak|epidemic|pandemic|flu|influenza|infections?)\b", re.I)

NET = re.compile(
    r"\b(virus\w*|vaccin\w*|drugs?|stud(?:y|ies)|hospitals?|cancers?|treatments?|therap\w*|"
    r"diseases?|patients?|doctors?|medic\w*|clinical|FDA|surger\w*|diagnos\w*|health|trials?|"
    r"pills?|screening|outbreak|epidemic)\b",
    re.I,
)


def net_words(text: str) -> set[str]:
    """Distinct (lower-cased) net words found in ``text``."""
    return {m.group(1).lower() for m in NET.finditer(text)}


def draw() -> list[dict[str, str]]:
    """Return drawn rows (corpus, article, sampled_by, stratum, batch) in draw order."""
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    records = {corpus: list(read_corpus(corpus)) for corpus in CORPORA}
    for corpus in CORPORA:
        recs = records[corpus]
        if corpus == "fakehealth":
            for rec in rng.sample(recs, FAKEHEALTH_N):
                rows.append({"corpus": corpus, "article": rec.article, "sampled_by": "random", "stratum": "random", "batch": "1"})
            continue
        chosen = rng.sample(recs, RANDOM_PER_CORPUS)
        for rec in chosen:
            rows.append({"corpus": corpus, "article": rec.article, "sampled_by": "random", "stratum": "random", "batch": "1"})
        taken = {r.article for r in chosen}
        words = {r.article: net_words(r.title + "\n" + r.text) for r in recs}
        strong = [r for r in recs if len(words[r.article]) >= STRONG_DISTINCT and r.article not in taken]
        weak = [r for r in recs if 1 <= len(words[r.article]) < STRONG_DISTINCT and r.article not in taken]
        half = NET_PER_CORPUS // 2
        pick_strong = rng.sample(strong, min(half, len(strong)))
        pick_weak = rng.sample(weak, min(NET_PER_CORPUS - len(pick_strong), len(weak)))
        for stratum, picks in (("net_strong", pick_strong), ("net_weak", pick_weak)):
            for rec in picks:
                rows.append({"corpus": corpus, "article": rec.article, "sampled_by": "net", "stratum": stratum, "batch": "1"})
    rows += _draw_batch2(records, {(r["corpus"], r["article"]) for r in rows})
    return rows


def _draw_batch2(records: dict, taken: set[tuple[str, str]]) -> list[dict[str, str]]:
    """Batch 2: health-heavy articles of the other corpora, outbreak stories of fakehealth."""
    rng = random.Random(BATCH2_SEED)
    rows = []
    for corpus in CORPORA:
        fresh = [r for r in records[corpus] if (corpus, r.article) not in taken]
        if corpus == "fakehealth":
            pool = [r for r in fresh if OUTBREAK.search(r.title + "\n" + r.text)]
            stratum = "net_outbreak"
        else:
            pool = [r for r in fresh if len(net_words(r.title + "\n" + r.text)) >= BATCH2_DISTINCT]
            stratum = "net_heavy"
        for rec in rng.sample(pool, min(BATCH2_PER_CORPUS, len(pool))):
            rows.append({"corpus": corpus, "article": rec.article, "sampled_by": "net", "stratum": stratum, "batch": "2"})
    return rows


def check(path: Path) -> int:
    """Compare the labelled CSV at ``path`` with the draw; print problems, return an exit code."""
    want = {(r["corpus"], r["article"]): (r["sampled_by"], r["batch"]) for r in draw()}

    def problem(row: dict[str, str]) -> str | None:
        return None if row["in_scope"] in ("0", "1") else f"in_scope must be 0 or 1, not {row['in_scope']!r}"

    return check_against_draw(path, want, lambda row: (row["corpus"], row["article"]), problem)


def main() -> int:
    """Print the draw, or check a labelled CSV against it."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text", action="store_true", help="also print title, net words and the lead")
    ap.add_argument("--lead", type=int, default=600, help="characters of lead text with --text")
    ap.add_argument("--check", type=Path, metavar="CSV", help="verify a labelled CSV against the draw")
    args = ap.parse_args()
    if args.check:
        return check(args.check)
    rows = draw()
    recs = {}
    if args.text:
        wanted = {(r["corpus"], r["article"]) for r in rows}
        recs = {(r.corpus, r.article): r for c in CORPORA for r in read_corpus(c) if (r.corpus, r.article) in wanted}
    for i, r in enumerate(rows):
        line = f"{i}\t{r['corpus']}\t{r['article']}\t{r['sampled_by']}\t{r['stratum']}\t{r['batch']}"
        if args.text:
            rec = recs[(r["corpus"], r["article"])]
            lead = " ".join(rec.text[: args.lead].split())
            line += f"\t{' '.join(rec.title.split())}\t{','.join(sorted(net_words(rec.title + ' ' + rec.text)))}\t{lead}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
