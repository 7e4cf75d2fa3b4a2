"""Deterministic sample of reporting-cue candidates for hand-labelling source types.

Why: the external source-typing gold (``labels/source_types_external.csv``) must
be drawn without looking at what the project's rules output, and must be
reproducible. This script picks articles and cue positions from BASIL,
Helsinki and FakeHealth (HealthStory) with a fixed seed and plain regular
expressions only; it never imports ``scorer``.

Two draws, both keyed by SHA-256 of a fixed seed string and the item, so the
order does not depend on file order or Python's hash seed:

* ``main``: per corpus, articles in seeded order (length 800-12,000 chars;
  Helsinki wire copies deduplicated on their first 300 body characters); in
  each article at most ``--per-article`` occurrences of the common reporting
  expressions in ``CUE_RE``, in seeded order, until ``--per-corpus`` are drawn.
* ``anon``: per corpus, sentences that hold both an anonymity/group cue
  (``ANON_RE``: "official(s)", "sources", "familiar with", "spokesperson",
  "analysts", "experts", ...) and a reporting expression, at most one per
  article and never an article of the main draw, until ``--anon-per-corpus``.

Output: one block per candidate with its id, corpus, record id, cue offsets
into the record's ``text``, the previous sentence and the sentence with the cue
marked ``[[...]]``; ``--jsonl`` prints machine-readable rows instead.

Usage: ``python tools/labelling/sample_source_articles.py [--jsonl] [--draw main|anon|all]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Iterator

SEED = "source-types-external-1"
REPO = Path(__file__).resolve().parents[2]
CORPORA = {"basil": "basil", "helsinki": "articlecomparisons-helsinki", "fakehealth": "fakehealth"}

# The common reporting expressions named in the labelling brief (a subset of
# scorer/data/lexicons/reporting_verbs.txt plus "according to").
CUE_WORDS = ("said", "says", "say", "told", "tells", "according to", "stated", "announced",
             "reported", "warned", "added", "wrote", "writes", "explained", "noted")
CUE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in CUE_WORDS) + r")\b",
                    re.IGNORECASE)
ANON_RE = re.compile(
    r"\b(?:officials?|sources?|familiar with|spokes(?:wo)?man|spokesperson|aides?|diplomats?|"
    r"analysts|critics|experts|residents|researchers|scientists|doctors|observers|"
    r"people close to|insiders?|authorities|investigators|activists|lawmakers|economists)\b",
    re.IGNORECASE)
STRICT_ANON_RE = re.compile(
    r"\b(?:officials?|sources?|familiar with|spokes(?:wo)?man|spokesperson|aides?|diplomats?|"
    r"insiders?|people close to|person close to|anonymity|not authori[sz]ed|declined to be (?:named|identified))\b",
    re.IGNORECASE)
GROUP_RE = re.compile(
    r"\b(?:analysts|critics|experts|residents|observers|economists|scientists|researchers|"
    r"supporters|opponents|activists|advocates|lawmakers|voters|patients|parents|doctors|many|some)\b",
    re.IGNORECASE)
SENT_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
NO_SPLIT = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Jr|Sr|Lt|Col|Capt|Prof|Sgt|Rev|Mt|No|Inc|Co|Corp|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z]|\bU\.S|\bD\.C)\.$")


def shared_dir() -> Path:
    """The shared data folder (``SCORER_SHARED`` or ``../shared`` beside the checkout)."""
    env = os.environ.get("SCORER_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not (path / "data").is_dir():
        sys.exit(f"{path}: shared data folder not found (set SCORER_SHARED)")
    return path


def rank(*parts: str) -> str:
    """Seeded sort key: SHA-256 of the seed and the parts."""
    return hashlib.sha256("|".join((SEED,) + parts).encode("utf-8")).hexdigest()


def load_corpus(name: str) -> list[dict]:
    """Records of one corpus, filtered to usable news text (HealthStory only for FakeHealth)."""
    path = shared_dir() / "data" / "corpora" / CORPORA[name] / "articles.jsonl"
    out, seen = [], set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = rec.get("text") or ""
            if not 800 <= len(text) <= 12000:
                continue
            if name == "fakehealth" and rec.get("subset") != "HealthStory":
                continue
            key = re.sub(r"\W+", "", text[-1500:])[:300] if name == "helsinki" else rec["id"]
            if key in seen:
                continue
            seen.add(key)
            out.append(rec)
    return sorted(out, key=lambda r: rank(name, r["id"]))


def sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (display aid only): split after .!? before a capital, and at line breaks."""
    spans, start = [], 0
    for m in SENT_END.finditer(text):
        if "\n" not in m.group(0) and NO_SPLIT.search(text, max(0, m.start() - 6), m.start()):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentence_index(spans: list[tuple[int, int]], pos: int) -> int:
    """Index of the sentence span holding ``pos``."""
    for i, (s, e) in enumerate(spans):
        if s <= pos < e:
            return i
    return len(spans) - 1


def candidate(corpus: str, draw: str, rec: dict, m: re.Match, spans: list[tuple[int, int]]) -> dict:
    """One candidate row with its display context."""
    text = rec["text"]
    i = sentence_index(spans, m.start())
    s, e = spans[i]
    prev = text[spans[max(0, i - 2)][0]:spans[i - 1][1]] if i > 0 else ""
    shown = text[s:m.start()] + "[[" + m.group(0) + "]]" + text[m.end():e]
    return {"corpus": corpus, "draw": draw, "article": rec["id"], "cue_start": m.start(),
            "cue_end": m.end(), "cue": m.group(0), "sent_start": s, "sent_end": e,
            "prev": prev[-500:], "sentence": shown}


def main_draw(corpus: str, recs: list[dict], per_corpus: int, per_article: int) -> Iterator[dict]:
    """Seeded cue positions, at most ``per_article`` per article."""
    n = 0
    for rec in recs:
        if n >= per_corpus:
            return
        text = rec["text"]
        matches = sorted(CUE_RE.finditer(text), key=lambda m: rank(corpus, rec["id"], str(m.start())))
        if not matches:
            continue
        spans = sentences(text)
        for m in sorted(matches[:min(per_article, per_corpus - n)], key=lambda m: m.start()):
            n += 1
            yield candidate(corpus, "main", rec, m, spans)


def anon_draw(corpus: str, recs: list[dict], used: set[str], per_corpus: int) -> Iterator[dict]:
    """One seeded sentence per unused article holding an anonymity/group cue and a reporting cue."""
    n = 0
    for rec in sorted(recs, key=lambda r: rank("anon", corpus, r["id"])):
        if n >= per_corpus:
            return
        if rec["id"] in used:
            continue
        text = rec["text"]
        spans = sentences(text)
        hits = []
        for s, e in spans:
            if ANON_RE.search(text, s, e):
                hits.extend(m for m in CUE_RE.finditer(text, s, e))
        if hits:
            m = min(hits, key=lambda m: rank("anon", corpus, rec["id"], str(m.start())))
            n += 1
            yield candidate(corpus, "anon", rec, m, spans)


def strict_anon_draw(corpus: str, recs: list[dict], used: set[str], per_corpus: int,
                     pattern: re.Pattern = STRICT_ANON_RE, draw: str = "strict") -> Iterator[dict]:
    """One seeded sentence per unused article holding a ``pattern`` match; its cue nearest that word.

    Why: the main and ``anon`` draws yield too few anonymous sources for a recall
    figure, so this third draw targets official/source/spokesperson sentences
    (and, with ``GROUP_RE``, a fourth small draw targets group nouns).
    """
    n = 0
    for rec in sorted(recs, key=lambda r: rank(draw, corpus, r["id"])):
        if n >= per_corpus:
            return
        if rec["id"] in used:
            continue
        text = rec["text"]
        spans = sentences(text)
        options = []
        for s, e in spans:
            anon = [m for m in pattern.finditer(text, s, e)]
            cues = [m for m in CUE_RE.finditer(text, s, e)]
            if anon and cues:
                a = min(anon, key=lambda m: rank(draw, corpus, rec["id"], str(m.start())))
                options.append(min(cues, key=lambda m: abs(m.start() - a.start())))
        if options:
            m = min(options, key=lambda m: rank(draw, corpus, rec["id"], str(m.start())))
            n += 1
            yield candidate(corpus, draw, rec, m, spans)


def all_candidates(draw: str, per_corpus: int, per_article: int, anon_per_corpus: int,
                   strict_per_corpus: int, group_per_corpus: int) -> list[dict]:
    """Every candidate of the requested draw(s), numbered B/H/F + running index per corpus."""
    out = []
    for corpus in CORPORA:
        recs = load_corpus(corpus)
        main = list(main_draw(corpus, recs, per_corpus, per_article))
        rows = main if draw in ("main", "all") else []
        used = {c["article"] for c in main}
        if draw in ("anon", "all"):
            anon = list(anon_draw(corpus, recs, used, anon_per_corpus))
            rows = rows + anon
            used |= {c["article"] for c in anon}
        strict = list(strict_anon_draw(corpus, recs, used, strict_per_corpus))
        used |= {c["article"] for c in strict}
        if draw in ("strict", "all"):
            rows = rows + strict
        if draw in ("group", "all"):
            rows = rows + list(strict_anon_draw(corpus, recs, used, group_per_corpus, GROUP_RE, "group"))
        for i, row in enumerate(rows, 1):
            row["cid"] = f"{corpus[0].upper()}{i:03d}"
        out.extend(rows)
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draw", choices=("main", "anon", "strict", "group", "all"), default="all")
    ap.add_argument("--per-corpus", type=int, default=95)
    ap.add_argument("--per-article", type=int, default=4)
    ap.add_argument("--anon-per-corpus", type=int, default=25)
    ap.add_argument("--strict-per-corpus", type=int, default=20)
    ap.add_argument("--group-per-corpus", type=int, default=8)
    ap.add_argument("--jsonl", action="store_true", help="machine-readable rows")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Print the candidates."""
    args = parse_args(argv)
    for row in all_candidates(args.draw, args.per_corpus, args.per_article, args.anon_per_corpus,
                              args.strict_per_corpus, args.group_per_corpus):
        if args.jsonl:
            print(json.dumps(row, ensure_ascii=False))
            continue
        print(f"## {row['cid']} {row['draw']} {row['corpus']} {row['article']} "
              f"cue {row['cue_start']}-{row['cue_end']} {row['cue']!r}")
        if row["prev"]:
            print("  prev: " + row["prev"].replace("\n", " "))
        print("  sent: " + row["sentence"].replace("\n", " "))


if __name__ == "__main__":
    main()
