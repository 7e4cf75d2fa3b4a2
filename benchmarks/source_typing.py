"""Source typing against hand-labelled gold: the source type of every attribution in 58 PolNeAR dev articles.

Gold: ``labels/source_types.csv`` (article id, PolNeAR cue and source offsets,
type, batch; no article text), labelled by reading each article. Batch 1: the
40 dev articles with the fewest attributions plus three longer ones chosen
because they hold anonymous sources (PolNeAR dev has few); the typing rules
were refined while this batch existed, so its figures are optimistic. Batch 2:
the next seven dev articles by size, labelled after the rules were frozen;
``accuracy_fresh`` is measured on it alone. Batch 3: the next eight dev
articles by number of attributions, labelled before the extractor was run on
them and after a second round of rule changes (developed on batch 1 and
PolNeAR train); ``accuracy_batch3`` is measured on it alone. Each gold attribution is matched to
the predicted attribution whose source overlaps the gold source (else whose
cue overlaps the gold cue). Reported: accuracy over matched attributions,
coverage (share matched; ``coverage`` on batches 1 and 2, ``coverage_all`` on
all), end-to-end accuracy (unmatched count as wrong) and anonymous-person
recall (end to end).

External batch (when ``labels/source_types_external.csv`` is present): cues from
BASIL, Helsinki and FakeHealth labelled from the editor's definitions before the
typing rules were changed and kept frozen (offsets into the raw ``text`` of each
record). Reported as ``external_*``: accuracy over matched attributions, per-type
recall and precision, anonymous-person recall and precision, coverage, and the
confusion matrix (``python -m benchmarks.source_typing --confusion`` prints it).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict

import scorer
from benchmarks._common import require_shared, run_cli
from scorer.paths import REPO
from scorer.training.train_attribution import polnear_dir
from scorer.spans import Span

NAME = "source_typing"
GOLD = REPO / "labels" / "source_types.csv"
EXTERNAL = REPO / "labels" / "source_types_external.csv"
TYPES = ("named_person", "named_organization", "document_or_outlet", "unnamed_group", "anonymous_person", "none")


def load_gold() -> dict[str, list[dict[str, object]]]:
    """Gold rows grouped by article id."""
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    with GOLD.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            src = Span(int(row["source_start"]), int(row["source_end"])) if row["source_start"] else None
            out[row["article"]].append({"cue": Span(int(row["cue_start"]), int(row["cue_end"])),
                                        "source": src, "type": row["source_type"],
                                        "batch": row.get("batch") or "1"})
    return out


def measure(full: bool = False) -> dict[str, float]:
    """Accuracy, coverage and anonymous recall over the gold set."""
    require_shared()
    base = polnear_dir()
    if base is None:
        raise SystemExit("PolNeAR is absent")
    gold = load_gold()
    total = matched = correct = anon = anon_hit = anon_pred = anon_pred_ok = 0
    fresh_matched = fresh_correct = 0
    b3_matched = b3_correct = b3_total = 0
    early_total = early_matched = 0  # batches 1 and 2, the gold the coverage floor was set on
    for art_id, rows in gold.items():
        text = (base / "dev" / "text" / f"{art_id}.txt").read_text(encoding="utf-8")
        atts = scorer.analyse(text).attributions
        for row in rows:
            total += 1
            src, cue = row["source"], row["cue"]
            pred = None
            if src is not None:
                pred = next((a for a in atts if a.source is not None and a.source.overlaps(src)), None)
            if pred is None:
                pred = next((a for a in atts if a.cue is not None and a.cue.overlaps(cue)), None)
            if row["type"] == "anonymous_person":
                anon += 1
            b3_total += int(row["batch"] == "3")
            early_total += int(row["batch"] in ("1", "2"))
            if pred is None:
                continue
            matched += 1
            early_matched += int(row["batch"] in ("1", "2"))
            correct += int(pred.source_type == row["type"])
            if row["batch"] == "2":
                fresh_matched += 1
                fresh_correct += int(pred.source_type == row["type"])
            if row["batch"] == "3":
                b3_matched += 1
                b3_correct += int(pred.source_type == row["type"])
            if row["type"] == "anonymous_person":
                anon_hit += int(pred.source_type == "anonymous_person")
            if pred.source_type == "anonymous_person":
                anon_pred += 1
                anon_pred_ok += int(row["type"] == "anonymous_person")
    return {"attributions": float(total), "articles": float(len(gold)),
            "accuracy": round(correct / matched, 4) if matched else 0.0,
            "coverage": round(early_matched / early_total, 4) if early_total else 0.0,
            "coverage_all": round(matched / total, 4) if total else 0.0,
            "end_to_end_accuracy": round(correct / total, 4) if total else 0.0,
            "anonymous_recall": round(anon_hit / anon, 4) if anon else 0.0,
            "anonymous_precision": round(anon_pred_ok / anon_pred, 4) if anon_pred else 0.0,
            "anonymous_gold": float(anon),
            "accuracy_fresh": round(fresh_correct / fresh_matched, 4) if fresh_matched else 0.0,
            "fresh_matched": float(fresh_matched),
            "accuracy_batch3": round(b3_correct / b3_matched, 4) if b3_matched else 0.0,
            "batch3_matched": float(b3_matched),
            "batch3_end_to_end_accuracy": round(b3_correct / b3_total, 4) if b3_total else 0.0}


def _external_texts(root, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Raw ``text`` of every (corpus, article id) needed, read from the shared corpora."""
    out: dict[tuple[str, str], str] = {}
    for corpus in sorted({c for c, _ in keys}):
        path = root / "data" / "corpora" / corpus / "articles.jsonl"
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if (corpus, rec["id"]) in keys:
                        out[(corpus, rec["id"])] = rec.get("text") or ""
    return out


def external_confusion() -> tuple[dict[str, float], Counter[tuple[str, str]]]:
    """Figures and (gold, predicted) counts on the frozen external batch; empty when it is absent."""
    if not EXTERNAL.exists():
        return {}, Counter()
    root = require_shared()
    with EXTERNAL.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = _external_texts(root, {(r["corpus"], r["article"]) for r in rows})
    analyses = {}
    confusion: Counter[tuple[str, str]] = Counter()
    missed: Counter[str] = Counter()
    for row in rows:
        key = (row["corpus"], row["article"])
        if key not in analyses:
            analyses[key] = scorer.analyse(texts.get(key, "")).attributions
        atts = analyses[key]
        cue = Span(int(row["cue_start"]), int(row["cue_end"]))
        src = Span(int(row["source_start"]), int(row["source_end"])) if row["source_start"] else None
        pred = None
        if src is not None:
            pred = next((a for a in atts if a.source is not None and a.source.overlaps(src)), None)
        if pred is None:
            pred = next((a for a in atts if a.cue is not None and a.cue.overlaps(cue)), None)
        if pred is None:
            missed[row["source_type"]] += 1
            continue
        confusion[(row["source_type"], pred.source_type)] += 1
    matched = sum(confusion.values())
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    out = {"external_attributions": float(len(rows)), "external_matched": float(matched),
           "external_coverage": round(matched / len(rows), 4) if rows else 0.0,
           "external_accuracy": round(correct / matched, 4) if matched else 0.0,
           "external_end_to_end_accuracy": round(correct / len(rows), 4) if rows else 0.0}
    for t in TYPES:
        gold_t = sum(n for (g, _), n in confusion.items() if g == t)
        pred_t = sum(n for (_, p), n in confusion.items() if p == t)
        hit = confusion[(t, t)]
        if gold_t:
            out[f"external_recall_{t}"] = round(hit / gold_t, 4)
        if pred_t:
            out[f"external_precision_{t}"] = round(hit / pred_t, 4)
        if gold_t or missed[t]:
            out[f"external_gold_{t}"] = float(gold_t + missed[t])
    return out, confusion


def format_confusion(confusion: Counter[tuple[str, str]]) -> str:
    """The confusion matrix as a Markdown table (rows gold, columns predicted)."""
    short = {"named_person": "person", "named_organization": "org", "document_or_outlet": "doc",
             "unnamed_group": "group", "anonymous_person": "anon", "none": "none"}
    lines = ["| gold \\ predicted | " + " | ".join(short[t] for t in TYPES) + " |",
             "|---|" + "---|" * len(TYPES)]
    for g in TYPES:
        lines.append(f"| {short[g]} | " + " | ".join(str(confusion[(g, p)]) for p in TYPES) + " |")
    return "\n".join(lines)


def measure_all(full: bool = False) -> dict[str, float]:
    """The PolNeAR-gold figures plus the external batch's when it is present."""
    out = measure(full)
    out.update(external_confusion()[0])
    return out


if __name__ == "__main__":
    if "--confusion" in sys.argv:
        print(format_confusion(external_confusion()[1]))
        sys.exit(0)
    run_cli(NAME, measure_all, __doc__.splitlines()[0])
