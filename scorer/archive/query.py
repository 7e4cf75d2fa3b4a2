"""Candidate pairs between a corpus run and an archive index, by the corpus run's own rules.

An archived article becomes a candidate partner of a corpus article exactly when it would
have been one had both been in the same corpus (:mod:`scorer.provenance.index`): at least
:data:`~scorer.provenance.index.MIN_SHARED` shared index keys making at least
:data:`~scorer.provenance.index.MIN_KEY_SHARE` of the smaller article's keys (keys held by
more than ``max_df`` articles skipped), or one shared MinHash LSH band. Alignment,
direction and clusters are then the corpus run's, unchanged, so a pair comes out the same
whether both articles were in one run or one of them was archived.
"""

from __future__ import annotations

from typing import Sequence

from scorer.archive.store import Archive, Entry, band_keys
from scorer.provenance.fingerprint import Sketch
from scorer.provenance.index import MIN_KEY_SHARE, MIN_SHARED, MIN_SHARED_ALONE, default_max_df


def matches(archive: Archive, sk: Sketch, max_df: int) -> set[int]:
    """Archived articles (internal numbers) that are candidate partners of one sketched article."""
    keys = [int(k) for k in sk.keys]
    out: set[int] = set()
    if keys:
        counts = archive.key_counts(keys)
        usable = [k for k in keys if 0 < counts.get(k, 0) and counts[k] + 1 <= max_df]
        if usable:
            for doc, (shared, n_keys) in archive.key_hits(usable).items():
                if (shared >= MIN_SHARED and shared >= MIN_KEY_SHARE * min(len(keys), n_keys)) or shared >= MIN_SHARED_ALONE:
                    out.add(doc)
    out |= archive.band_hits(band_keys(sk.minhash))
    return out


def archive_partners(archive: Archive, sketches: Sequence[Sketch], *, max_df: int | None = None,
                     progress: bool = False) -> tuple[list[tuple[str, str]], dict[str, Entry]]:
    """Candidate pairs (archived id, corpus id) for a corpus, and the archived articles involved.

    Archived articles whose id is also in the corpus are left out: the corpus copy is the one compared.
    """
    corpus_ids = {s.id for s in sketches}
    max_df = max_df or default_max_df(len(archive) + len(sketches))
    items = sketches
    if progress:
        from tqdm import tqdm

        items = tqdm(sketches, desc="querying the index", unit="", leave=False, mininterval=0.5)
    pairs: list[tuple[str, str]] = []
    entries: dict[str, Entry] = {}
    for sk in items:
        for doc in sorted(matches(archive, sk, max_df)):
            entry = archive.entry(doc)
            if entry.id in corpus_ids:
                continue
            entries[entry.id] = entry
            pairs.append((entry.id, sk.id))
    return pairs, entries


def archived_texts(archive: Archive, report) -> dict[str, str]:
    """Texts of the archived articles in a report (for showing their passages)."""
    out = {}
    for aid, meta in report.meta.items():
        if meta.archived:
            doc = archive.doc_of(aid)
            if doc is not None:
                out[aid] = archive.entry(doc).text
    return out
