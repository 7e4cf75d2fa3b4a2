"""Deterministic stratified sample of sentences for the newsgathering / aggregation gold set.

Why two strata: a rule's *recall* can only be measured on sentences drawn without regard
to any cue (``random``), while its *precision* and the rare kinds need many candidate
sentences (``net``). The net is a set of broad, deliberately over-inclusive keyword
patterns written for sampling only; it is not, and must not become, a detector.

Design (fixed seed, file order, no project code):

* ``random``: per corpus, ``RANDOM_PER_CORPUS`` sentences drawn uniformly from all of
  that corpus's sentences (``common.split_sentences``).
* ``net``: per net group (``NETS``), ``NET_PER_GROUP`` sentences matching the group,
  drawn round-robin across corpora (a shuffled queue per corpus), skipping sentences
  already drawn, so every group and every corpus is present.
* batch 2 (``net`` only): per narrower net group (``NETS_BATCH2``), ``BATCH2_PER_GROUP``
  sentences drawn the same way with a seed of its own, after batch 1 and never repeating
  it, to add positives of the kinds batch 1 found rarely. Batch 1 is unchanged by it.

Output columns: index, corpus, article, start, end, sampled_by, net group, batch
(and the sentence text with ``--text``).

Usage::

    python3 tools/labelling/sample_sentences.py              # print the draw (TSV)
    python3 tools/labelling/sample_sentences.py --text       # ... with sentence text
    python3 tools/labelling/sample_sentences.py --check labels/newsgathering_sentences.csv

``--check`` verifies that the CSV rows are exactly the drawn ones (same corpus, article,
offsets and stratum, no extras, none missing) and that every ``kinds`` value is valid.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from common import CORPORA, check_against_draw, read_corpus, split_sentences

SEED = 15_2
RANDOM_PER_CORPUS = 40
NET_PER_GROUP = 17
MAX_SENTENCE_CHARS = 1200  # longer "sentences" are unsplit page furniture; not drawn

KINDS = frozenset(
    "told_outlet interview direct_contact right_of_reply documents dateline contributor_line "
    "outlet_report first_reported media_reports credit_line none".split()
)

#: Over-inclusive sampling nets (group name, regex). Case-insensitive unless noted.
NETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("told", re.compile(r"\btold\b", re.I)),
    ("interview", re.compile(r"\binterview", re.I)),
    ("email_phone_statement", re.compile(r"\be-?mail|\bphone\b|\btelephone|\bstatement", re.I)),
    ("comment", re.compile(r"\bcomment", re.I)),
    ("respond_reached", re.compile(r"\brespon|\breached\b|\breturn(ed)? (\w+ )?(calls?|messages?|e-?mails?)", re.I)),
    ("documents_records", re.compile(r"\bdocuments?\b|\brecords?\b|\bobtained\b|\breviewed\b", re.I)),
    ("reported_reporting", re.compile(r"\breport(ed|ing)\b", re.I)),
    ("according_to", re.compile(r"\baccording to\b", re.I)),
    ("report_noun", re.compile(r"\breports?\b", re.I)),
    ("media", re.compile(r"\bmedia\b|\bnewspaper|\bpress\b", re.I)),
    ("contributed_by", re.compile(r"\bcontribut|\b(reporting|editing|writing) by\b", re.I)),
    ("credit", re.compile(r"\boriginally\b|\bvia\b|\bh/t\b|\bsource:|\bfirst (reported|published|appeared)|\brepublished", re.I)),
    # Case-sensitive: a capitalised place name (or agency) opening a paragraph, then a dash,
    # a parenthesised agency or a comma.
    ("dateline", re.compile(r"(?:^|\n)\s*[A-Z][A-Z .,'/-]{2,40}(?:\([A-Za-z .]+\))?\s*[—–-]|(?:^|\n)\s*\(?(?:AP|Reuters|AFP|CNN)\)?\s*[—–-]")),
)


#: Batch 2: narrower nets aimed at the kinds that batch 1 found rarely (right of reply,
#: direct contact, documents, scoops, unnamed media reports, credit lines), still written
#: to over-include. Drawn after batch 1 with its own seed, never repeating a batch-1 row.
BATCH2_SEED = 15_22
BATCH2_PER_GROUP = 12
NETS_BATCH2: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("decline_comment", re.compile(r"\bdeclin\w* (to )?comment|\bno comment\b|\brequests? for comment|\bcomment\w*\b.{0,40}\b(declin|refus)", re.I)),
    ("no_response", re.compile(r"\b(did not|didn't|has not|hasn't|have not|haven't|could not|couldn't|not) (immediately )?(respond|return|reply|answer|be reached)|\bunavailable for comment", re.I)),
    ("email_phone_to", re.compile(r"\b(in|by|via) (an? )?(e-?mail(ed)?|phone|telephone|text message)|\bemailed statement|\bstatement to\b", re.I)),
    ("told_named", re.compile(r"\btold (the |this )?[A-Z]|\btold (us|me)\b|\btold this (newspaper|reporter|paper|site|publication)")),
    ("obtained_reviewed", re.compile(r"\b(obtained|reviewed|seen|viewed|examined|analy[sz]ed) by\b|\b(records|documents|filings) (show|reviewed|obtained)", re.I)),
    ("scoop", re.compile(r"\bfirst (reported|revealed|disclosed)|\bbroke the (news|story)|\bscoop|\bexclusive(ly)?\b", re.I)),
    ("unnamed_reports", re.compile(r"\b(media|press|news) reports?\b|\breports (say|said|suggest)|\baccording to (local |state |some )?(media|reports)|\bit (was|has been|had been) reported", re.I)),
    ("credit_origin", re.compile(r"\boriginally (appeared|published|ran)|\brepublished|\bh/t\b|\bhat tip|^\s*(source|via|credit)\s*:|\bcourtesy of\b|\bwith permission\b", re.I | re.M)),
    ("agency_contrib", re.compile(r"\((AP|Reuters|AFP|CNN|Bloomberg|UPI)\)|\b(Reporting|Editing|Writing) by\b|\bAdditional reporting\b|\bcontributed (reporting|to this)", re.I)),
)


def _net_text(text: str, start: int, end: int) -> str:
    """The sentence text plus the paragraph-start context the dateline net needs."""
    prefix = "\n" if start == 0 or text[start - 1] == "\n" else ""
    return prefix + text[start:end]


def _net_draw(rng: random.Random, nets, per_group: int, per_corpus, take) -> None:
    """For each net group, take ``per_group`` matching sentences round-robin across corpora."""
    for group, pattern in nets:
        queues = {}
        for corpus in CORPORA:
            hits = [it for it in per_corpus[corpus] if pattern.search(it[3])]
            rng.shuffle(hits)
            queues[corpus] = hits
        got = 0
        while got < per_group and any(queues.values()):
            for corpus in CORPORA:
                while queues[corpus] and got < per_group:
                    if take(corpus, queues[corpus].pop(), "net", group):
                        got += 1
                        break


def draw() -> list[dict[str, object]]:
    """Return the drawn rows (corpus, article, start, end, sampled_by, net_group, batch) in draw order."""
    rng = random.Random(SEED)
    per_corpus: dict[str, list[tuple[str, int, int, str]]] = {}
    for corpus in CORPORA:
        rows = []
        for rec in read_corpus(corpus):
            for s in split_sentences(rec.text):
                if s.end - s.start <= MAX_SENTENCE_CHARS:
                    rows.append((rec.article, s.start, s.end, _net_text(rec.text, s.start, s.end)))
        per_corpus[corpus] = rows

    drawn: list[dict[str, object]] = []
    seen: set[tuple[str, str, int, int]] = set()

    batch = [1]

    def take(corpus: str, item: tuple[str, int, int, str], by: str, group: str) -> bool:
        key = (corpus, item[0], item[1], item[2])
        if key in seen:
            return False
        seen.add(key)
        drawn.append({"corpus": corpus, "article": item[0], "start": item[1], "end": item[2],
                      "sampled_by": by, "net_group": group, "batch": batch[0]})
        return True

    for corpus in CORPORA:
        for item in rng.sample(per_corpus[corpus], RANDOM_PER_CORPUS):
            take(corpus, item, "random", "")

    _net_draw(rng, NETS, NET_PER_GROUP, per_corpus, take)
    batch[0] = 2
    _net_draw(random.Random(BATCH2_SEED), NETS_BATCH2, BATCH2_PER_GROUP, per_corpus, take)
    return drawn


def check(path: Path) -> int:
    """Compare the labelled CSV at ``path`` with the draw; print problems, return an exit code."""
    want = {(str(r["corpus"]), str(r["article"]), int(r["start"]), int(r["end"])): (r["sampled_by"], str(r["batch"]))
            for r in draw()}

    def problem(row: dict[str, str]) -> str | None:
        kinds = row["kinds"].split("|")
        if not kinds or any(k not in KINDS for k in kinds) or ("none" in kinds and len(kinds) > 1):
            return f"bad kinds {row['kinds']!r}"
        return None

    return check_against_draw(path, want, lambda row: (row["corpus"], row["article"], int(row["start"]),
                                                       int(row["end"])), problem)


def main() -> int:
    """Print the draw, or check a labelled CSV against it."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text", action="store_true", help="also print the sentence text")
    ap.add_argument("--check", type=Path, metavar="CSV", help="verify a labelled CSV against the draw")
    args = ap.parse_args()
    if args.check:
        return check(args.check)
    texts = {}
    rows = draw()
    if args.text:
        wanted = {(r["corpus"], r["article"]) for r in rows}
        texts = {(rec.corpus, rec.article): rec.text for c in CORPORA for rec in read_corpus(c)
                 if (rec.corpus, rec.article) in wanted}
    for i, r in enumerate(rows):
        line = f"{i}\t{r['corpus']}\t{r['article']}\t{r['start']}\t{r['end']}\t{r['sampled_by']}\t{r['net_group']}\t{r['batch']}"
        if args.text:
            line += "\t" + " ".join(texts[(r["corpus"], r["article"])][int(r["start"]):int(r["end"])].split())
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
