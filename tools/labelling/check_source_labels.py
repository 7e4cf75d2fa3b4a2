"""Validate the hand-labelled external source-type gold and print its counts.

Checks every row of ``labels/source_types_external.csv`` against the raw
``text`` of its record in ``../shared/data/corpora/<corpus>/articles.jsonl``:
the columns are present; offsets are integers inside the text; the cue span is
non-empty and its words are a reporting expression (a word of
``scorer/data/lexicons/reporting_verbs.txt`` or "according to"); the source
span is empty exactly when the type is ``none``, else non-empty, inside the
text and not overlapping the cue; the type is one of ``SOURCE_TYPES`` in
``scorer/analysis.py``; the batch is set; no (corpus, article, cue) appears
twice. It never imports ``scorer`` (so it runs without the package installed).

Usage: ``python tools/labelling/check_source_labels.py [CSV]``; exit status 1
and one line per problem when a check fails.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CSV = REPO / "labels" / "source_types_external.csv"
COLUMNS = ["corpus", "article", "cue_start", "cue_end", "source_start", "source_end", "source_type", "batch"]
EXTRA_CUES = {"according to"}


def source_types() -> tuple[str, ...]:
    """The type names declared as ``SOURCE_TYPES`` in scorer/analysis.py (read, not imported)."""
    tree = ast.parse((REPO / "scorer" / "analysis.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SOURCE_TYPES" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise SystemExit("scorer/analysis.py: SOURCE_TYPES not found")


def reporting_words() -> set[str]:
    """Lower-case reporting words from the lexicon plus the multi-word cues accepted here."""
    path = REPO / "scorer" / "data" / "lexicons" / "reporting_verbs.txt"
    words = {w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")}
    return words | EXTRA_CUES


def shared_dir() -> Path:
    """The shared data folder (``SCORER_SHARED`` or ``../shared`` beside the checkout)."""
    env = os.environ.get("SCORER_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not (path / "data").is_dir():
        raise SystemExit(f"{path}: shared data folder not found (set SCORER_SHARED)")
    return path


def load_texts(corpora: set[str]) -> dict[tuple[str, str], str]:
    """Raw ``text`` of every record of the named corpora, keyed by (corpus, id)."""
    out: dict[tuple[str, str], str] = {}
    for corpus in sorted(corpora):
        path = shared_dir() / "data" / "corpora" / corpus / "articles.jsonl"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                out[(corpus, rec["id"])] = rec.get("text") or ""
    return out


def span(row: dict[str, str], a: str, b: str) -> tuple[int, int] | None:
    """The (start, end) of two offset columns, None when both are empty; ValueError when malformed."""
    if row[a] == "" and row[b] == "":
        return None
    return int(row[a]), int(row[b])


def check_row(n: int, row: dict[str, str], texts: dict, types: tuple[str, ...], cues: set[str]) -> list[str]:
    """Problems with one row (empty when it is valid)."""
    where = f"row {n} ({row.get('article')}, cue {row.get('cue_start')})"
    text = texts.get((row["corpus"], row["article"]))
    if text is None:
        return [f"{where}: no record {row['article']!r} in corpus {row['corpus']!r}"]
    probs = []
    try:
        cue, src = span(row, "cue_start", "cue_end"), span(row, "source_start", "source_end")
    except ValueError:
        return [f"{where}: offsets are not integers"]
    if row["source_type"] not in types:
        probs.append(f"{where}: unknown source_type {row['source_type']!r}")
    if not row["batch"]:
        probs.append(f"{where}: empty batch")
    if cue is None or not 0 <= cue[0] < cue[1] <= len(text):
        return probs + [f"{where}: cue span missing, empty or outside the text ({len(text)} chars)"]
    words = re.sub(r"\s+", " ", text[cue[0]:cue[1]].strip().lower())
    if words not in cues:
        probs.append(f"{where}: cue text {text[cue[0]:cue[1]]!r} is not a reporting expression")
    if row["source_type"] == "none":
        if src is not None:
            probs.append(f"{where}: type none but a source span is given")
    elif src is None:
        probs.append(f"{where}: type {row['source_type']} but no source span")
    elif not 0 <= src[0] < src[1] <= len(text):
        probs.append(f"{where}: source span empty or outside the text")
    elif src[0] < cue[1] and cue[0] < src[1]:
        probs.append(f"{where}: source span overlaps the cue")
    elif not text[src[0]:src[1]].strip() or text[src[0]] .isspace() or text[src[1] - 1].isspace():
        probs.append(f"{where}: source span is blank or has outer whitespace")
    return probs


def check(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """All problems in the CSV at ``path`` and its rows."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != COLUMNS:
                return [f"{path}: columns {reader.fieldnames} differ from {COLUMNS}"], []
            rows = list(reader)
    except OSError as exc:
        return [f"{path}: cannot read ({exc.strerror})"], []
    texts = load_texts({r["corpus"] for r in rows})
    types, cues = source_types(), reporting_words()
    probs: list[str] = []
    seen: Counter = Counter()
    for n, row in enumerate(rows, 2):
        probs += check_row(n, row, texts, types, cues)
        key = (row["corpus"], row["article"], row["cue_start"], row["cue_end"])
        seen[key] += 1
        if seen[key] == 2:
            probs.append(f"row {n}: duplicate cue {key}")
    return probs, rows


def report(rows: list[dict[str, str]]) -> None:
    """Counts per corpus, per type, and the corpus x type table."""
    types = source_types()
    corpora = sorted({r["corpus"] for r in rows})
    table = Counter((r["corpus"], r["source_type"]) for r in rows)
    print(f"{len(rows)} rows, {len({(r['corpus'], r['article']) for r in rows})} articles, "
          f"{sum(r['source_type'] != 'none' for r in rows)} attributions (type not none)")
    width = max(len(t) for t in types)
    print(" " * width + "".join(f"{c[:12]:>14}" for c in corpora) + f"{'total':>8}")
    for t in types:
        print(f"{t:<{width}}" + "".join(f"{table[(c, t)]:>14}" for c in corpora)
              + f"{sum(table[(c, t)] for c in corpora):>8}")
    print(f"{'total':<{width}}" + "".join(f"{sum(table[(c, t)] for t in types):>14}" for c in corpora)
          + f"{len(rows):>8}")


def check_seeds(path: Path) -> list[str]:
    """Problems in the seed attribution list: unknown seed, missing occurrence, bad type.

    ``occurrence`` counts whole-word matches of ``source`` in the seed file
    (not inside a longer word), 1-based.
    """
    types, probs = source_types(), []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows, 2):
        seed = REPO / "seeds" / f"{row['seed']}.txt"
        if not seed.is_file():
            probs.append(f"row {n}: no seed file {seed.name}")
            continue
        hits = re.findall(r"(?<!\w)" + re.escape(row["source"]) + r"(?!\w)", seed.read_text(encoding="utf-8"))
        if not row["occurrence"].isdigit() or not 1 <= int(row["occurrence"]) <= len(hits):
            probs.append(f"row {n}: {row['source']!r} has no occurrence {row['occurrence']} in {seed.name}")
        if row["source_type"] not in types or row["source_type"] == "none":
            probs.append(f"row {n}: bad source_type {row['source_type']!r}")
    print(f"{len(rows)} seed attributions:", dict(sorted(Counter(r["source_type"] for r in rows).items())))
    return probs


def main(argv: list[str] | None = None) -> int:
    """Check the CSV named on the command line (default: the external gold); 0 when valid.

    ``--seeds [CSV]`` checks ``labels/seed_sources.csv`` instead.
    """
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--seeds"]:
        seeds_path = Path(args[1]) if len(args) > 1 else REPO / "labels" / "seed_sources.csv"
        probs = check_seeds(seeds_path)
        for p in probs:
            print(f"{seeds_path.name}: {p}", file=sys.stderr)
        print("FAILED" if probs else "OK")
        return 1 if probs else 0
    path = Path(args[0]) if args else DEFAULT_CSV
    probs, rows = check(path)
    for p in probs:
        print(f"{path.name}: {p}", file=sys.stderr)
    if rows:
        report(rows)
    print("FAILED" if probs else "OK", f"({len(probs)} problems)" if probs else "")
    return 1 if probs else 0


if __name__ == "__main__":
    sys.exit(main())
