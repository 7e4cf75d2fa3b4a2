"""The labelled training pool: which corpora, which labels, no duplicates across splits.

The pool is read from ``../shared/data/corpora`` by path (never copied). It
holds three article-level labelled sets:

* ``misinfotext-sfu`` subset ``buzzfeedUSE`` (BuzzFeed journalists' ratings),
* ``fakenewsnet-v1`` (fact-checker fake/real, BuzzFeed and PolitiFact),
* ``fakehealth`` subset ``HealthStory`` (HealthNewsReview expert stars).

Labels are mapped to ``reliable`` (1) / ``unreliable`` (0) by the table in
``labels/label_mapping.csv``; ``mixed`` ("mixture of true and false") counts as
unreliable and ``no_factual_content`` is left out (see that file for why).

FakeNewsNet and BuzzFeedUSE share articles. :func:`duplicate_clusters` finds
them by URL, identical normalised text and near-identical text (word-shingle
Jaccard), keeps one copy per cluster (or drops a cluster whose labels
disagree), and :func:`outlet_groups` joins every remaining article to the
outlet-domain group of anything it duplicates, so copies can never sit on
both sides of a cross-validation split.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scorer.article import Article, read_corpus
from scorer.errors import InputError
from scorer.paths import REPO, shared_dir

#: The labelled corpora used for training, as (corpus folder, subset) pairs.
TRAINING_SETS: tuple[tuple[str, str], ...] = (
    ("misinfotext-sfu", "buzzfeedUSE"),
    ("fakenewsnet-v1", "buzzfeed"),
    ("fakenewsnet-v1", "politifact"),
    ("fakehealth", "HealthStory"),
)
#: Which copy of a duplicate to keep, best first: FakeNewsNet keeps the original
#: quote marks, which BuzzFeedUSE's preprocessing turned into "?".
KEEP_PRIORITY = ("fakenewsnet-v1", "fakehealth", "misinfotext-sfu")
#: Evaluation "corpus" of each training set; the two political sets form one.
EVAL_CORPUS = {"misinfotext-sfu": "political", "fakenewsnet-v1": "political", "fakehealth": "fakehealth"}
LABEL_MAPPING_FILE = REPO / "labels" / "label_mapping.csv"
#: Near-duplicate threshold on word 5-gram shingle Jaccard similarity.
NEAR_DUP_JACCARD = 0.5
#: Texts shorter than this (in words) are paywall, cookie or error pages, not articles.
MIN_WORDS = 50
#: Shingles seen in more documents than this are boilerplate, not evidence of copying.
_COMMON_SHINGLE = 25


def load_label_mapping(path: Path = LABEL_MAPPING_FILE) -> dict[tuple[str, str, str], str]:
    """``(corpus, subset, normalised label) -> training label`` from the committed mapping table.

    The training label is ``reliable``, ``unreliable`` or ``exclude``.
    """
    mapping: dict[tuple[str, str, str], str] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            mapping[(row["corpus"], row["subset"], row["label"])] = row["training_label"]
    return mapping


def corpus_path(corpus: str, root: Path | None = None) -> Path:
    """The ``articles.jsonl`` of one shared corpus.

    Raises:
        InputError: the shared data folder is absent.
    """
    base = root or shared_dir()
    if base is None:
        raise InputError("../shared", "shared data folder is absent (set SCORER_SHARED)")
    return base / "data" / "corpora" / corpus / "articles.jsonl"


# ---------------------------------------------------------------- corpus repairs

_DOUBLED_QUOTE = re.compile(r'""')
_Q_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\?(?=[A-Za-z])")
_Q_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))\?(?=[A-Za-z0-9$])", re.MULTILINE)
_Q_CLOSE = re.compile(r"(?<=[,.!;:])\?")


def repair_misinfotext(text: str) -> str:
    """Undo MisInfoText's preprocessing where it is unambiguous.

    The corpus turned curly quotes and apostrophes into ``?`` and doubled
    straight quotes (``""``); left alone, quotation features would read
    "no quotes" in every such article, a corpus artifact rather than a
    property of the reporting. ``She?s`` becomes ``She's``, ``?word`` after a
    space an opening quote, ``?`` right after ``, . ! ; :`` a closing quote;
    a ``?`` after a word and before a space stays (it may be a real question).
    """
    text = _DOUBLED_QUOTE.sub('"', text)
    text = _Q_APOSTROPHE.sub("'", text)
    text = _Q_OPEN.sub('"', text)
    return _Q_CLOSE.sub('"', text)


#: Per-corpus text repairs applied when the training pool is read.
REPAIRS = {"misinfotext-sfu": repair_misinfotext}


# ---------------------------------------------------------------- duplicates

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    """Lower-case word tokens, dropping the possessive 's' BuzzFeedUSE removed elsewhere."""
    return [t for t in _WORD.findall(text.lower()) if t != "s"]


def _shingles(tokens: list[str], n: int = 5) -> set[int]:
    return {zlib.crc32(" ".join(tokens[i:i + n]).encode()) for i in range(max(1, len(tokens) - n + 1))}


def _normalise_url(url: str | None) -> str | None:
    if not url:
        return None
    u = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    u = re.sub(r"#.*$", "", u)
    u = re.sub(r"[?&]utm_[^&]*", "", u).rstrip("/?")
    return u or None


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def duplicate_clusters(articles: list[Article], threshold: float = NEAR_DUP_JACCARD) -> list[int]:
    """Cluster id per article: articles sharing a URL, normalised text or most shingles share one.

    Near-identical texts are found through an inverted shingle index, so the
    cost grows with the number of shared passages rather than with all pairs.
    """
    n = len(articles)
    uf = _UnionFind(n)
    by_key: dict[str, int] = {}
    token_lists = [_tokens(a.text) for a in articles]
    for i, art in enumerate(articles):
        keys = [f"url:{_normalise_url(art.url)}" if _normalise_url(art.url) else None,
                "text:" + " ".join(token_lists[i]) if token_lists[i] else None]
        for key in keys:
            if key is None:
                continue
            if key in by_key:
                uf.union(by_key[key], i)
            else:
                by_key[key] = i
    shingle_sets = [_shingles(t) if len(t) >= 20 else set() for t in token_lists]
    index: dict[int, list[int]] = defaultdict(list)
    for i, sh in enumerate(shingle_sets):
        for s in sh:
            index[s].append(i)
    for i, sh in enumerate(shingle_sets):
        shared: dict[int, int] = defaultdict(int)
        for s in sh:
            docs = index[s]
            if len(docs) > _COMMON_SHINGLE:
                continue
            for j in docs:
                if j > i:
                    shared[j] += 1
        for j, k in shared.items():
            if k / (len(sh) + len(shingle_sets[j]) - k) >= threshold:
                uf.union(i, j)
    return [uf.find(i) for i in range(n)]


def outlet_groups(domains: list[str | None], ids: list[str], clusters: list[int] | None = None) -> list[str]:
    """Cross-validation group per article: its outlet domain, joined across duplicate clusters.

    An article without a domain forms its own group (``"id:<id>"``). When
    ``clusters`` is given, every article in a duplicate cluster takes the group
    of the cluster's first domain, so copies always fall on the same side.
    """
    n = len(ids)
    uf = _UnionFind(n)
    first_by_domain: dict[str, int] = {}
    for i, dom in enumerate(domains):
        if dom:
            if dom in first_by_domain:
                uf.union(first_by_domain[dom], i)
            else:
                first_by_domain[dom] = i
    if clusters is not None:
        first_by_cluster: dict[int, int] = {}
        for i, c in enumerate(clusters):
            if c in first_by_cluster:
                uf.union(first_by_cluster[c], i)
            else:
                first_by_cluster[c] = i
    names: dict[int, str] = {}
    for i in range(n):
        root = uf.find(i)
        if root not in names:
            names[root] = domains[root] or f"id:{ids[root]}"
    return [names[uf.find(i)] for i in range(n)]


# ---------------------------------------------------------------- the pool


@dataclass
class TrainingPool:
    """Deduplicated, labelled training articles with their CV groups."""

    articles: list[Article]
    y: np.ndarray  # 1 = reliable, 0 = unreliable
    corpus: np.ndarray  # source corpus folder name
    eval_corpus: np.ndarray  # "political" or "fakehealth"
    groups: np.ndarray  # outlet-domain group (joined over duplicates)
    dropped: dict[str, int] = field(default_factory=dict)

    def manifest(self) -> pd.DataFrame:
        """Corpus, article id, label and group per training article (no text)."""
        return pd.DataFrame({
            "corpus": self.corpus,
            "subset": [a.extra.get("subset", "") for a in self.articles],
            "id": [a.id for a in self.articles],
            "label": np.where(self.y == 1, "reliable", "unreliable"),
            "group": self.groups,
        })

    def subset(self, mask: np.ndarray) -> "TrainingPool":
        """The pool restricted to ``mask`` (a boolean array)."""
        idx = np.flatnonzero(mask)
        return TrainingPool([self.articles[i] for i in idx], self.y[idx], self.corpus[idx],
                            self.eval_corpus[idx], self.groups[idx], dict(self.dropped))

    def __len__(self) -> int:
        return len(self.articles)


def read_labelled(corpus_files: list[Path], mapping: dict[tuple[str, str, str], str] | None = None,
                  sets: tuple[tuple[str, str], ...] | None = TRAINING_SETS) -> tuple[list[Article], list[int], dict[str, int]]:
    """Read labelled corpora, keeping articles whose label maps to reliable/unreliable.

    ``sets`` restricts to (corpus, subset) pairs; None keeps every subset.
    Returns the articles, their 0/1 labels and counts of what was left out.
    """
    mapping = mapping if mapping is not None else load_label_mapping()
    articles: list[Article] = []
    labels: list[int] = []
    dropped: dict[str, int] = defaultdict(int)
    allowed = set(sets) if sets is not None else None
    for path in corpus_files:
        for art in read_corpus(path, on_error=lambda err: dropped.__setitem__("unreadable", dropped["unreadable"] + 1)):
            corpus = str(art.extra.get("corpus") or Path(path).parent.name)
            art.extra["corpus"] = corpus
            if allowed is not None and (corpus, str(art.extra.get("subset"))) not in allowed:
                dropped["other_subset"] += 1
                continue
            key = (corpus, str(art.extra.get("subset")), art.label or "")
            target = mapping.get(key, "exclude") if art.label else "exclude"
            if target == "exclude":
                dropped[f"label_{art.label or 'none'}"] += 1
                continue
            if corpus in REPAIRS:
                art.text = REPAIRS[corpus](art.text)
            if len(art.text.split()) < MIN_WORDS:
                dropped["too_short"] += 1
                continue
            articles.append(art)
            labels.append(1 if target == "reliable" else 0)
    return articles, labels, dict(dropped)


def build_pool(articles: list[Article], labels: list[int], dropped: dict[str, int] | None = None) -> TrainingPool:
    """Deduplicate labelled articles and attach outlet groups.

    One copy per duplicate cluster is kept (by :data:`KEEP_PRIORITY`); a
    cluster whose copies carry different labels is dropped entirely, since
    no label can be trusted for it. The kept copy inherits a domain from its
    duplicates when it has none.
    """
    dropped = dict(dropped or {})
    clusters = duplicate_clusters(articles)
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(clusters):
        members[c].append(i)
    keep: list[int] = []
    for c, idx in members.items():
        if len({labels[i] for i in idx}) > 1:
            dropped["duplicate_label_conflict"] = dropped.get("duplicate_label_conflict", 0) + len(idx)
            continue
        rank = {name: r for r, name in enumerate(KEEP_PRIORITY)}
        best = min(idx, key=lambda i: (rank.get(str(articles[i].extra.get("corpus")), 99), i))
        if not articles[best].domain:
            donor = next((articles[i].domain for i in idx if articles[i].domain), None)
            if donor:
                articles[best].extra["domain"] = donor
        keep.append(best)
        if len(idx) > 1:
            dropped["duplicate_copies"] = dropped.get("duplicate_copies", 0) + len(idx) - 1
    keep.sort()
    kept = [articles[i] for i in keep]
    corpus = np.array([str(a.extra.get("corpus")) for a in kept])
    groups = outlet_groups([a.domain for a in kept], [a.id for a in kept])
    return TrainingPool(
        articles=kept,
        y=np.array([labels[i] for i in keep], dtype=int),
        corpus=corpus,
        eval_corpus=np.array([EVAL_CORPUS.get(c, c) for c in corpus]),
        groups=np.array(groups),
        dropped=dropped,
    )


def load_pool(corpus_files: list[str | Path] | None = None) -> TrainingPool:
    """The default training pool (or one built from the given ``articles.jsonl`` files).

    Raises:
        InputError: the shared data is absent or a corpus file is missing.
    """
    if corpus_files is None:
        names = sorted({c for c, _ in TRAINING_SETS})
        paths = [corpus_path(c) for c in names]
        sets: tuple[tuple[str, str], ...] | None = TRAINING_SETS
    else:
        paths = [Path(p) / "articles.jsonl" if Path(p).is_dir() else Path(p) for p in corpus_files]
        sets = TRAINING_SETS
    for p in paths:
        if not p.exists():
            raise InputError(p, "no such corpus file")
    articles, labels, dropped = read_labelled(paths, sets=sets)
    if not articles:
        raise InputError(", ".join(map(str, paths)), "no article with a usable reliable/unreliable label")
    return build_pool(articles, labels, dropped)


def balanced_weights(y: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """Sample weights that balance the classes 50/50 inside each corpus.

    A model then cannot learn corpus base rates (knowing only the corpus
    scores 0.5 on every article). Each corpus keeps a total weight in
    proportion to its size, so a handful of articles from one corpus in a
    subset (say, the few political stories that read as health stories) do
    not get the weight of a whole corpus. The weights average to 1.
    """
    w = np.zeros(len(y), dtype=float)
    for c in np.unique(corpus):
        in_c = corpus == c
        classes = np.unique(y[in_c])
        for k in classes:
            cell = in_c & (y == k)
            w[cell] = in_c.sum() / (len(classes) * cell.sum())
    return w * len(y) / w.sum() if w.sum() else w
