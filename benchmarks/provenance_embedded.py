"""Embedded partial reuse: a few donor sentences, lightly edited, inside a longer article of another outlet.

The hard case of real newsrooms (wire or press-release paragraphs inside a longer local
story). Donors and hosts are real articles (``fakehealth``; hosts of 600-2,000 words,
never the donor). Each planted host receives 2-6 consecutive sentences of its donor, in
one of two modes, inserted at a paragraph boundary:

* ``exact``  -- the sentences unchanged (expected kind: ``partial``);
* ``edited`` -- every sentence lightly edited: the clauses around its first comma swapped
  (half of the time, never in a sentence with quotation marks), each number changed, one or
  two lower-case words dropped
  (expected kind: ``paraphrase``, as no sentence is left word for word).

Negatives: BASIL's same-event pairs, in the same corpus. Metrics: recall (the donor-host
pair reported as reuse), kind accuracy on the planted pairs, recall per mode and per
number of sentences, and the share of BASIL same-event pairs flagged.

Targets (issue 17): recall >= .95, same-event flagged <= 2%, kind accuracy >= .90.

Run: ``python -m benchmarks.provenance_embedded [--full] [--seed N]`` (CI: 60 planted hosts;
full: 300). The planting seed :data:`TEST_SEED` is the held-out test split the floors are
set on; develop and tune on other seeds (``--seed 11``, ``--seed 12``), never on it.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from functools import partial

from benchmarks._common import require_shared, run_cli
from benchmarks.provenance_planted import basil_events, independent, load_records, paragraphs, sentences

NAME = "provenance_embedded"
NEEDS_SHARED = True
MODES = ("exact", "edited")
EXPECTED = {"exact": "partial", "edited": "paraphrase"}
#: The planting seed of the held-out figures (CI gate, docs); tune only on other seeds.
TEST_SEED = 5


def light_edit(sentence: str, rng: random.Random) -> str:
    """Swap the clauses around the first comma (half of the time), change numbers, drop 1-2 words."""
    s = sentence.strip()
    end = s[-1] if s[-1:] in ".!?" else ""
    body = s[:-1] if end else s
    if "," in body and rng.random() < 0.5 and not re.search("[\"“”]", body):  # never split a quotation
        left, right = body.split(",", 1)
        if len(left.split()) >= 3 and len(right.split()) >= 3:
            body = right.strip()[:1].upper() + right.strip()[1:] + ", " + left[:1].lower() + left[1:]
    body = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), body)
    words = body.split()
    droppable = [k for k, w in enumerate(words) if k > 0 and w.isalpha() and w.islower()]
    for k in sorted(rng.sample(droppable, min(len(droppable), rng.randint(1, 2))), reverse=True):
        del words[k]
    return " ".join(words) + end


def plant(records: list[dict], n: int, seed: int = TEST_SEED) -> tuple[list[dict], dict[tuple[str, str], tuple[str, int]]]:
    """Donors and planted hosts; and the planted pairs -> (mode, sentences moved)."""
    rng = random.Random(seed)
    pool = records[:]
    rng.shuffle(pool)
    pool = independent(pool[: int(2.6 * n) + 20])
    hosts = [r for r in pool if 600 <= len(r["text"].split()) <= 2000]
    donors = [r for r in pool if r not in hosts[:n]]
    if len(hosts) < n or len(donors) < n:
        raise SystemExit(f"not enough articles: {len(hosts)} hosts and {len(donors)} donors for {n}")
    corpus: list[dict] = []
    truth: dict[tuple[str, str], tuple[str, int]] = {}
    for k in range(n):
        donor, host = donors[k], hosts[k]
        sents = [s for p in paragraphs(donor["text"]) for s in sentences(p) if len(s.split()) >= 8]
        size = rng.randint(2, 6)
        start = rng.randrange(0, max(1, len(sents) - size))
        block = sents[start:start + size]
        mode = MODES[k % 2]
        if mode == "edited":
            block = [light_edit(s, rng) for s in block]
        hp = paragraphs(host["text"])
        at = rng.randrange(1, max(2, len(hp)))
        did, hid = f"donor/{donor['id']}", f"host/{host['id']}"
        corpus.append({"id": did, "text": donor["text"]})
        corpus.append({"id": hid, "text": "\n\n".join(hp[:at] + [" ".join(block)] + hp[at:])})
        truth[tuple(sorted((did, hid)))] = (mode, len(block))
    return corpus, truth


def evaluate(report, truth: dict[tuple[str, str], tuple[str, int]], same_event: set[tuple[str, str]]) -> dict[str, float]:
    """Recall, kind accuracy (overall, per mode, per size) and same-event false alarms."""
    from scorer.provenance.clusters import REUSE_KINDS

    reported = {tuple(sorted((p.a, p.b))): p.kind for p in report.pairs if p.kind in REUSE_KINDS}
    out: dict[str, float] = {}
    pairs = list(truth)
    out["recall"] = round(sum(p in reported for p in pairs) / len(pairs), 4)
    out["kind_accuracy"] = round(sum(reported.get(p) == EXPECTED[truth[p][0]] for p in pairs) / len(pairs), 4)
    for mode in MODES:
        sel = [p for p in pairs if truth[p][0] == mode]
        out[f"{mode}_recall"] = round(sum(p in reported for p in sel) / max(1, len(sel)), 4)
        out[f"{mode}_kind_correct"] = round(sum(reported.get(p) == EXPECTED[mode] for p in sel) / max(1, len(sel)), 4)
    for size in range(2, 7):
        sel = [p for p in pairs if truth[p][1] == size]
        if sel:
            out[f"recall_{size}_sentences"] = round(sum(p in reported for p in sel) / len(sel), 4)
    flagged = sum(1 for pair in same_event if pair in reported)
    out["same_event_flagged"] = round(flagged / max(1, len(same_event)), 4)
    out["same_event_not_flagged"] = round(1 - out["same_event_flagged"], 4)
    # pairs of unrelated fakehealth articles (donors and hosts of different plantings) reported
    # as reuse: a second false-alarm count, on articles of one topic (health news)
    out["unplanted_pairs_reported"] = float(sum(1 for p in reported if p not in truth and p not in same_event))
    return out


def measure(full: bool = False, seed: int = TEST_SEED) -> dict[str, float]:
    """Plant (60 in CI, 300 in full) with ``seed``, run ``find_reuse`` with BASIL as negatives, score it."""
    import scorer
    from scorer.provenance import find_reuse

    root = require_shared()
    records = load_records(root / "data/corpora/fakehealth/articles.jsonl", min_words=150, min_paragraphs=4)
    corpus, truth = plant(records, 300 if full else 60, seed)
    basil, same_event = basil_events(root)
    arts = [scorer.article.article_from_record(r, "embedded") for r in corpus + basil]
    report = find_reuse(arts, workers=2 if full else 1)
    return evaluate(report, truth, same_event)


def main() -> None:
    """The standard benchmark command line plus ``--seed`` (the planting seed; default the test seed)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--seed", type=int, default=TEST_SEED)
    args, rest = parser.parse_known_args()
    sys.argv[1:] = rest
    run_cli(NAME, partial(measure, seed=args.seed), __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
