"""A persistent archive of articles that incoming articles are checked against for reuse.

::

    from scorer.archive import Archive, build
    build("archive.sqlite", scorer.read_corpus("wire/"))        # a new index
    with Archive("archive.sqlite") as index:
        index.add(scorer.read_corpus("today/"))                 # one transaction
        report = scorer.provenance.find_reuse(articles, index=index)
        result = scorer.score("incoming.html", index=index)

Storage is :mod:`scorer.archive.store` (one SQLite file); candidate partners of a corpus
are found by :mod:`scorer.archive.query` with the same rules as a corpus run.
"""

from scorer.archive.store import SCHEMA_VERSION, Archive, Entry, build

__all__ = ["Archive", "Entry", "SCHEMA_VERSION", "build"]
