"""The archive index: one SQLite file holding what provenance needs of every archived article.

Per article: id, outlet (canonical), url, date, title, its sketch (index keys and
MinHash signature), the LSH band keys of the signature, its text (zlib-compressed, for
alignment and for showing passages) and its own origin statements. Two indexed tables
turn a query into a few B-tree look-ups: ``keys`` (sampled bigram hash -> article) and
``bands`` (LSH band hash -> article), the same two candidate channels a corpus run joins
on (:mod:`scorer.provenance.index`).

Concurrency and safety: WAL mode, so any number of readers work while one writer adds;
every ``add`` is a single transaction, so an interrupted add (Ctrl-C, SIGKILL, power
loss) leaves the index exactly as it was. The schema is versioned; an index written by
another schema version is refused with one line.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from scorer.signals.origin import OriginStatement
from scorer.article import Article
from scorer.errors import InputError
from scorer.provenance.direction import ArticleMeta, parse_date
from scorer.provenance.fingerprint import Sketch
from scorer.provenance.index import band_keys
from scorer.spans import Span

#: Version of the tables below and of the sketches in them; an index of another version is refused.
#: 2: the index keys include winnowed bigram hashes (:data:`scorer.provenance.fingerprint.WINNOW`),
#: so an index of version 1 would miss what a new query's keys are meant to find.
SCHEMA_VERSION = 2
#: Articles written per progress step inside the one add transaction.
BATCH = 500
#: Page cache of a connection, in KiB (SQLite's default is 2,000).
CACHE_KIB = 512 * 1024

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    outlet TEXT, url TEXT, date TEXT, title TEXT,
    n_keys INTEGER NOT NULL,
    n_bigrams INTEGER NOT NULL,
    keys BLOB NOT NULL,
    minhash BLOB NOT NULL,
    text BLOB NOT NULL,
    origin TEXT NOT NULL,
    derived TEXT NOT NULL
);
CREATE TABLE keys (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE bands (band INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (band, doc)) WITHOUT ROWID;
"""


@dataclass
class Entry:
    """One archived article as a query sees it: metadata, text and (on demand) sketch."""

    doc: int
    id: str
    outlet: str | None
    url: str | None
    date: str | None
    title: str | None
    text: str
    meta: ArticleMeta


def _origin_json(origin: list[OriginStatement]) -> str:
    return json.dumps([[o.span.start, o.span.end, o.kind, o.outlet, o.text] for o in origin])


def _origin_of(value: str) -> list[OriginStatement]:
    return [OriginStatement(Span(s, e), kind, outlet, text) for s, e, kind, outlet, text in json.loads(value)]


class Archive:
    """An open archive index (see the module docstring). Use as a context manager or ``close()``."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise InputError(self.path, "no such index (make one with `scorer index build CORPUS --index PATH`)")
        try:
            self.db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # a page cache that holds the key and band B-trees of a large add (the default 2 MB
            # made every insert into the big random-keyed tables a disk round trip): memory
            # is only taken as pages are touched
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, f"not a scorer index ({exc})") from None
        if not tables and create:
            self.db.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            tables = {"meta"}
        if "meta" not in tables:
            self.db.close()
            raise InputError(self.path, "not a scorer index (no meta table)")
        row = self.db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
        if row is None or row[0] != str(SCHEMA_VERSION):
            self.db.close()
            raise InputError(self.path, f"index schema version {row[0] if row else '?'}; this scorer reads version "
                                        f"{SCHEMA_VERSION} (rebuild it with `scorer index build`)")
        self._texts: dict[int, Entry] = {}

    # ------------------------------------------------------------ life cycle

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def add(self, articles: Iterable[Article], *, progress: bool = False, total: int | None = None,
            workers: int = 1, client: Any = None) -> tuple[int, int]:
        """Add articles in one transaction; (added, left out: empty or id already archived).

        Either every article is added or none: an interruption before the commit leaves
        the index as it was (SQLite rolls the transaction back when it next opens).
        ``workers`` > 1 sketches in that many forked processes while this one writes; a
        ``dask.distributed`` ``client`` sketches on its cluster's workers instead.
        """
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            seen = {r[0] for r in cur.execute("SELECT id FROM articles")}
            left_out = [0]

            def fresh() -> Iterator[Article]:
                for art in articles:
                    if not art.text or art.id in seen:
                        left_out[0] += 1
                        continue
                    seen.add(art.id)
                    yield art

            added = 0
            for art, sk, meta in _prepared(fresh(), workers, progress, total, client):
                self._insert(cur, art, sk, meta)
                added += 1
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return added, left_out[0]

    def _insert(self, cur: sqlite3.Cursor, art: Article, sk: Sketch, meta: ArticleMeta) -> None:
        """Rows of one article (inside the caller's transaction)."""
        cur.execute(
            "INSERT INTO articles (id, outlet, url, date, title, n_keys, n_bigrams, keys, minhash, text, origin, derived)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (art.id, meta.outlet, art.url, meta.date.isoformat() if meta.date else None, meta.title, len(sk.keys),
             sk.n_bigrams, sk.keys.astype(np.uint32).tobytes(), sk.minhash.astype(np.uint64).tobytes(),
             zlib.compress(art.text.encode("utf-8"), 6), _origin_json(meta.origin), json.dumps(meta.derived_from)))
        doc = cur.lastrowid
        cur.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", ((int(k), doc) for k in sk.keys))
        cur.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", ((b, doc) for b in band_keys(sk.minhash)))

    # ------------------------------------------------------------ reading

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def info(self) -> dict:
        """Articles, outlets, date range and size on disk."""
        n, outlets, first, last = self.db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT outlet), MIN(date), MAX(date) FROM articles").fetchone()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {"path": str(self.path), "schema": SCHEMA_VERSION, "articles": n, "outlets": outlets,
                "first_date": first, "last_date": last, "bytes": size}

    def key_counts(self, keys: list[int]) -> dict[int, int]:
        """Archived articles holding each key (absent keys are left out)."""
        out: dict[int, int] = {}
        for part in _chunks(keys, 500):
            q = f"SELECT key, COUNT(*) FROM keys WHERE key IN ({','.join('?' * len(part))}) GROUP BY key"
            out.update(self.db.execute(q, part).fetchall())
        return out

    def key_hits(self, keys: list[int]) -> dict[int, tuple[int, int]]:
        """Per archived article holding some of ``keys``: (shared keys, its own number of keys)."""
        out: dict[int, tuple[int, int]] = {}
        for part in _chunks(keys, 500):
            q = (f"SELECT k.doc, COUNT(*), a.n_keys FROM keys k JOIN articles a ON a.doc = k.doc "
                 f"WHERE k.key IN ({','.join('?' * len(part))}) GROUP BY k.doc")
            for doc, shared, n in self.db.execute(q, part):
                prev = out.get(doc, (0, n))[0]
                out[doc] = (prev + shared, n)
        return out

    def band_hits(self, bands: list[int]) -> set[int]:
        """Archived articles sharing at least one LSH band key."""
        q = f"SELECT DISTINCT doc FROM bands WHERE band IN ({','.join('?' * len(bands))})"
        return {r[0] for r in self.db.execute(q, bands)}

    def entry(self, doc: int) -> Entry:
        """One archived article by its internal number (cached: candidates recur within a run)."""
        hit = self._texts.get(doc)
        if hit is not None:
            return hit
        row = self.db.execute("SELECT id, outlet, url, date, title, text, origin, derived FROM articles WHERE doc=?",
                              (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        aid, outlet, url, date, title, blob, origin, derived = row
        meta = ArticleMeta(aid, outlet, parse_date(date), _origin_of(origin), json.loads(derived), title, url, archived=True)
        entry = Entry(doc, aid, outlet, url, date, title, zlib.decompress(blob).decode("utf-8"), meta)
        if len(self._texts) > 10_000:
            self._texts.clear()
        self._texts[doc] = entry
        return entry

    def doc_of(self, article_id: str) -> int | None:
        """Internal number of an archived article id (None when not archived)."""
        row = self.db.execute("SELECT doc FROM articles WHERE id=?", (article_id,)).fetchone()
        return None if row is None else int(row[0])


def _prepare_one(art: Article) -> tuple[Article, Sketch, ArticleMeta]:
    """Sketch and metadata of one article (runs in a worker process)."""
    from scorer.provenance.meta import prepare

    sk, meta = prepare(art)
    return art, sk, meta


def _prepared(articles: Iterable[Article], workers: int, progress: bool, total: int | None, client: Any = None
              ) -> Iterator[tuple[Article, Sketch, ArticleMeta]]:
    """(article, sketch, metadata) in input order: in this process, on forked workers or on a Dask cluster."""
    from scorer.workers import ordered_map, ordered_map_on

    results: Iterator = (ordered_map_on(client, _prepare_one, articles) if client is not None
                         else ordered_map(_prepare_one, articles, workers))
    if progress:
        from tqdm import tqdm

        results = iter(tqdm(results, total=total, desc="indexing", unit=" articles", mininterval=0.5))
    yield from results


def _chunks(items: list, size: int) -> Iterator[list]:
    for k in range(0, len(items), size):
        yield items[k:k + size]


def build(path: str | os.PathLike[str], articles: Iterable[Article], *, progress: bool = False,
          total: int | None = None, replace: bool = False, workers: int = 1, client: Any = None) -> tuple[int, int]:
    """A new index at ``path`` from ``articles``, written to a temporary file and renamed into place.

    An existing file is refused unless ``replace``; an interrupted build leaves no index behind.
    """
    path = Path(path)
    if path.exists() and not replace:
        raise InputError(path, "already exists (add to it with `scorer index add`, or pass --force to rebuild)")
    if not path.resolve().parent.is_dir():
        raise InputError(path, "folder does not exist")
    tmp = path.with_name(f".{path.name}.building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    try:
        with Archive(tmp, create=True) as archive:
            # a new file renamed into place at the end needs no journal: a failed build
            # leaves nothing behind whatever state the temporary file is in
            archive.db.execute("PRAGMA journal_mode=OFF")
            archive.db.execute("PRAGMA synchronous=OFF")
            counts = archive.add(articles, progress=progress, total=total, workers=workers, client=client)
            archive.db.execute("PRAGMA journal_mode=WAL")  # what every later reader and add expects
        for p in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        os.replace(tmp, path)
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
    return counts
