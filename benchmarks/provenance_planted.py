"""Planted reuse (PAN-style): known copies made from real articles, plus independent same-event coverage.

Sources and host articles are real health-news articles (``fakehealth``). Each
planted article derives from one source by one transformation:

* ``verbatim``  -- the whole source, with a new byline line on top (expected kind: verbatim);
* ``partial``   -- 2-4 consecutive paragraphs of the source inserted into another real
  article (expected: partial);
* ``reorder``   -- the source's sentences shuffled (expected: verbatim);
* ``spin``      -- words swapped for synonyms from ``benchmarks/data/spin_synonyms.tsv``, a
  table distinct from the detector's own (expected: paraphrase);
* ``edit``      -- sentence-level paraphrase by deleting and inserting words, merging and
  dropping sentences (expected: paraphrase);
* ``spin_edit`` -- both: every word of the spin table swapped, then the edits (expected:
  paraphrase). The spinner alone replaces about 14% of the words and changes about 70%
  of the sentences; combined with the edits no sentence is left intact.

Negatives: BASIL's 100 events, each covered by three outlets (300 pairs), in the same
corpus. Metrics: precision, recall and F1 per output kind on the planted part (any
reported pair there that was not planted, or has the wrong kind, is an error), recall
per transformation, and separately the share of BASIL same-event pairs flagged as
reuse (a few of those are real: an outlet quoting another's paragraphs at length).

Run: ``python -m benchmarks.provenance_planted [--full]``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from benchmarks._common import require_shared, run_cli

NAME = "provenance_planted"
NEEDS_SHARED = True
TRANSFORMS = ("verbatim", "partial", "reorder", "spin", "edit", "spin_edit")
EXPECTED = {"verbatim": "verbatim", "partial": "partial", "reorder": "verbatim", "spin": "paraphrase",
            "edit": "paraphrase", "spin_edit": "paraphrase"}
KINDS = ("verbatim", "partial", "paraphrase")
_FILLERS = ("also", "indeed", "reportedly", "then", "still", "now", "in fact", "notably", "in addition")


def load_records(path: Path, min_words: int = 250, min_paragraphs: int = 8) -> list[dict]:
    """Articles of a shared corpus long enough to plant from, as plain dicts."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = rec.get("text") or ""
            if len(text.split()) >= min_words and text.count("\n\n") >= min_paragraphs - 1:
                out.append(rec)
    return out


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (blank-line separated)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph (the project's splitter, so a moved sentence is a whole sentence)."""
    from scorer.segment import segment

    return [sp.of(text).strip() for sp in segment(text)[1] if sp.of(text).strip()]


def load_spin_table(path: Path | None = None) -> dict[str, list[str]]:
    """word -> its alternatives, from the benchmark's own synonym table."""
    path = path or Path(__file__).resolve().parent / "data" / "spin_synonyms.tsv"
    table: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        group = [w.strip() for w in line.split("\t") if w.strip()]
        for w in group:
            table.setdefault(w.lower(), [x for x in group if x != w])
    return table


def spin(text: str, rng: random.Random, table: dict[str, list[str]], rate: float = 0.8) -> str:
    """Swap words for synonyms, keeping capitalisation, names and numbers (what spinners do)."""
    def repl(m: re.Match[str]) -> str:
        word = m.group()
        alts = table.get(word.lower())
        if not alts or rng.random() > rate:
            return word
        new = rng.choice(alts)
        return new[:1].upper() + new[1:] if word[:1].isupper() else new
    return re.sub(r"[A-Za-z]+(?: to| of| as)?", repl, text)


def edit_paraphrase(text: str, rng: random.Random) -> str:
    """Delete and insert words in each sentence, merge some neighbours, drop a few sentences."""
    out_paras = []
    for para in paragraphs(text):
        sents = sentences(para)
        new: list[str] = []
        for s in sents:
            if rng.random() < 0.1 and len(sents) > 1:
                continue
            words = s.split()
            keep = [w for k, w in enumerate(words)
                    if k == 0 or w[:1].isupper() or any(c.isdigit() for c in w) or rng.random() > 0.15]
            if len(keep) > 3 and rng.random() < 0.6:
                keep.insert(rng.randrange(1, len(keep)), rng.choice(_FILLERS))
            sent = " ".join(keep)
            if new and rng.random() < 0.25:
                prev = new.pop().rstrip(".!?")
                sent = f"{prev}, and {sent[:1].lower() + sent[1:]}"
            new.append(sent)
        if new:
            out_paras.append(" ".join(new))
    return "\n\n".join(out_paras)


def reorder(text: str, rng: random.Random) -> str:
    """All sentences shuffled, regrouped three to a paragraph."""
    sents = [s for p in paragraphs(text) for s in sentences(p)]
    rng.shuffle(sents)
    return "\n\n".join(" ".join(sents[k:k + 3]) for k in range(0, len(sents), 3))


def partial(source: str, host: str, rng: random.Random) -> str:
    """2-4 consecutive source paragraphs (at least 60 words) inserted into the host article."""
    ps, hs = paragraphs(source), paragraphs(host)
    for _ in range(20):
        n = rng.randint(2, 4)
        start = rng.randrange(0, max(1, len(ps) - n))
        block = ps[start:start + n]
        if sum(len(p.split()) for p in block) >= 60:
            break
    at = rng.randrange(1, max(2, len(hs)))
    return "\n\n".join(hs[:at] + block + hs[at:])


def independent(records: list[dict]) -> list[dict]:
    """Drop articles that already share text with another one (press-release twins), so that the
    only reuse in the planted corpus is the planted reuse."""
    import scorer
    from scorer.provenance import find_reuse
    from scorer.provenance.clusters import REUSE_KINDS

    arts = [scorer.article.article_from_record(r, "pool") for r in records]
    report = find_reuse(arts)
    tainted = {x for p in report.pairs if p.kind in REUSE_KINDS for x in (p.a, p.b)}
    return [r for r in records if r["id"] not in tainted]


def plant(records: list[dict], n_per_kind: int, seed: int = 7) -> tuple[list[dict], dict[tuple[str, str], str]]:
    """A corpus of sources, planted derivatives and hosts; and the planted pairs -> transformation."""
    rng = random.Random(seed)
    need = n_per_kind * (len(TRANSFORMS) + 1)
    pool = records[:]
    rng.shuffle(pool)
    pool = independent(pool[: int(need * 1.3) + 10])
    if len(pool) < need:
        raise SystemExit(f"not enough source articles: need {need}, have {len(pool)}")
    table = load_spin_table()
    corpus: list[dict] = []
    truth: dict[tuple[str, str], str] = {}
    k = 0
    for t in TRANSFORMS:
        for _ in range(n_per_kind):
            src = pool[k]
            k += 1
            text = src["text"]
            if t == "verbatim":
                new = "By Staff Writer\n\n" + text
            elif t == "partial":
                host = pool[n_per_kind * len(TRANSFORMS) + (k % n_per_kind)]  # hosts: the reserved last slice
                new = partial(text, host["text"], rng)
            elif t == "reorder":
                new = reorder(text, rng)
            elif t == "spin":
                new = spin(text, rng, table)
            elif t == "spin_edit":
                new = edit_paraphrase(spin(text, rng, table, rate=1.0), rng)
            else:
                new = edit_paraphrase(text, rng)
            sid, did = f"src/{src['id']}", f"{t}/{src['id']}"
            corpus.append({"id": sid, "text": text, "title": src.get("title")})
            corpus.append({"id": did, "text": new})
            truth[tuple(sorted((sid, did)))] = t
    return corpus, truth


def evaluate(report, truth: dict[tuple[str, str], str], same_event: set[tuple[str, str]]) -> dict[str, float]:
    """Precision/recall/F1 per output kind, recall per transformation, same-event false-alarm rate."""
    from scorer.provenance.clusters import REUSE_KINDS

    reported = {tuple(sorted((p.a, p.b))): p.kind for p in report.pairs if p.kind in REUSE_KINDS}
    # kinds are scored on the planted part; the BASIL part is scored by its own false-alarm rate
    found = {pair: k for pair, k in reported.items() if not any(x.startswith("basil/") for x in pair)}
    out: dict[str, float] = {}
    for kind in KINDS:
        tp = sum(1 for pair, k in found.items() if k == kind and EXPECTED.get(truth.get(pair, ""), None) == kind)
        fp = sum(1 for pair, k in found.items() if k == kind) - tp
        fn = sum(1 for pair, t in truth.items() if EXPECTED[t] == kind and found.get(pair) != kind)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        out[f"{kind}_precision"] = round(p, 4)
        out[f"{kind}_recall"] = round(r, 4)
        out[f"{kind}_f1"] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
    for t in TRANSFORMS:
        pairs = [pair for pair, tt in truth.items() if tt == t]
        out[f"{t}_detected"] = round(sum(1 for pair in pairs if pair in found) / len(pairs), 4)
        out[f"{t}_kind_correct"] = round(sum(1 for pair in pairs if found.get(pair) == EXPECTED[t]) / len(pairs), 4)
    flagged = sum(1 for pair in same_event if pair in reported)
    out["same_event_flagged"] = round(flagged / max(1, len(same_event)), 4)
    out["same_event_not_flagged"] = round(1 - out["same_event_flagged"], 4)
    out["unplanted_pairs_reported"] = float(sum(1 for pair in reported if pair not in truth and pair not in same_event))
    return out


def basil_events(root: Path) -> tuple[list[dict], set[tuple[str, str]]]:
    """BASIL articles and the same-event pairs (ids share the event part before the last '_')."""
    recs = [json.loads(line) for line in open(root / "data/corpora/basil/articles.jsonl", encoding="utf-8")]
    events: dict[str, list[str]] = {}
    for r in recs:
        events.setdefault(r["id"].rsplit("_", 1)[0], []).append(r["id"])
    pairs = {tuple(sorted((a, b))) for ids in events.values() for i, a in enumerate(ids) for b in ids[i + 1:]}
    return recs, pairs


def measure(full: bool = False) -> dict[str, float]:
    """Build the planted corpus (40 per transformation in CI, 200 in full) and score ``find_reuse``."""
    import scorer
    from scorer.provenance import find_reuse

    root = require_shared()
    records = load_records(root / "data/corpora/fakehealth/articles.jsonl")
    n = 200 if full else 40
    corpus, truth = plant(records, n)
    basil, same_event = basil_events(root)
    arts = [scorer.article.article_from_record(r, "planted") for r in corpus + basil]
    report = find_reuse(arts, workers=2 if full else 1)
    return evaluate(report, truth, same_event)


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
