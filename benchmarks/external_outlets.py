"""Unseen outlets: the shipped model's scores against outlet quality ratings (weak labels, report only).

Articles come from the two unlabelled corpora in ../shared, ``basil`` (Fox, NYT,
HuffPost) and ``articlecomparisons-helsinki`` (~75 outlets, one event, one day),
read with ``scorer.read_corpus``. Helsinki records are scraped page text (menus,
"Advertisement", sign-up boxes, bylines), cleaned by ``read_corpus`` as
``scorer score page.txt`` cleans a text page; BASIL records are already body
paragraphs and are read with ``clean_records=False``. ``stability.*`` compares
the scores of the same Helsinki articles read raw and cleaned. Texts
under ``training_data.MIN_WORDS`` words after that are dropped, as in training.

Each article's domain is normalised (lowercase, no ``www.``), then looked up in
``domain-quality-ratings-lin2023`` (``pc1``, 0 = lowest, 1 = highest quality):
the host itself when the table lists it, else its registrable domain (last two
labels, last three under ``co.uk``-style second levels). An article is dropped
when its outlet is in the training manifest (``labels/training_manifest.csv``,
column ``group``), compared both as given and by registrable domain, and after
mapping known renames (:data:`ALIASES`: HuffPost was ``huffingtonpost.com`` in
training) -- so every outlet kept is unseen. Articles without a rating are dropped.

Every article is scored with ``scorer.score`` (probability reliable, shipped
model, article alone: no corpus reuse). The length baseline is log word count
(higher = longer = more reliable, the direction length takes in training).
Reported for both: Spearman rho with the outlet rating over articles; Spearman
rho of outlet mean score vs rating over outlets with >= ``MIN_OUTLET_ARTICLES``
articles; ROC AUC separating articles of outlets rated >= ``HIGH`` from those
rated < ``LOW`` when each side has >= ``MIN_CLASS_ARTICLES`` articles (else NaN);
95% intervals for the article rho and the AUC from resampling whole outlets
(articles of one outlet share one rating, so they are not independent). The
cut-offs are fixed in advance (the Lin et al. files state no threshold of their
own). Outlet ratings are a prior about the outlet, not a measurement of each
article, so these are weak-label figures; nothing is tuned on them and there is
no floor file.

Run: ``python -m benchmarks.external_outlets [--full]``. Without ``--full`` a
fixed random sample of ``SAMPLE`` kept articles (seed 0) is scored.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import require_shared, run_cli
from scorer.paths import REPO

NAME = "external_outlets"
NEEDS_SHARED = True
CORPORA = ("basil", "articlecomparisons-helsinki")
#: Corpora whose records are scraped page text, cleaned as ``scorer score`` cleans a text page.
CLEANED = {"articlecomparisons-helsinki"}
RATINGS = Path("data/ratings/domain-quality-ratings-lin2023/raw/data/domain_pc1.csv")
MANIFEST = REPO / "labels" / "training_manifest.csv"
#: Same outlet under another domain: a rename is not an unseen outlet.
ALIASES = {"huffpost.com": "huffingtonpost.com"}
#: Second-level labels under which the registrable domain has three labels (bbc.co.uk).
_SECOND_LEVELS = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"}
HIGH, LOW = 0.7, 0.5
MIN_OUTLET_ARTICLES = 3
MIN_CLASS_ARTICLES = 20
SAMPLE = 200
#: Outlet-bootstrap resamples for the confidence intervals.
BOOTSTRAP = 1000
MODEL_SHA = REPO / "scorer" / "models" / "default.skops.sha256"


# ---------------------------------------------------------------- domains


def normalise(domain: str | None) -> str | None:
    """Lowercase host without ``www.`` (and without any path or port)."""
    if not domain:
        return None
    host = domain.strip().lower().split("/")[0].split(":")[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host or None


def registrable(host: str) -> str:
    """The registrable domain of a host by a simple rule: last two labels, three under co.uk-style levels."""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVELS:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def outlet_key(host: str) -> str:
    """The outlet a host belongs to: its registrable domain, renames mapped."""
    reg = registrable(ALIASES.get(host, host))
    return ALIASES.get(reg, reg)


def load_ratings(root: Path) -> dict[str, float]:
    """domain -> Lin et al. pc1 (entries with a path, e.g. ``yahoo.com/news``, are never matched by a host)."""
    with open(root / RATINGS, encoding="utf-8", newline="") as fh:
        return {r["domain"].strip().lower(): float(r["pc1"]) for r in csv.DictReader(fh) if r["pc1"]}


def rating_of(host: str, ratings: dict[str, float]) -> tuple[str, float] | None:
    """(rated domain, pc1): the host itself when rated, else its registrable domain."""
    for cand in (host, registrable(host)):
        if cand in ratings:
            return cand, ratings[cand]
    return None


def training_outlets(path: Path = MANIFEST) -> set[str]:
    """Outlets in the training manifest, as given and as :func:`outlet_key`."""
    with open(path, encoding="utf-8", newline="") as fh:
        groups = {normalise(r["group"]) for r in csv.DictReader(fh)}
    groups.discard(None)
    return groups | {outlet_key(g) for g in groups}


def seen_in_training(host: str, seen: set[str]) -> bool:
    return host in seen or outlet_key(host) in seen


# ---------------------------------------------------------------- articles


@dataclass
class Item:
    article: object  # scorer.Article
    corpus: str
    host: str
    outlet: str  # the rated domain
    rating: float
    words: int


def load_items(root: Path, clean: bool = True) -> tuple[list[Item], dict[str, int]]:
    """Kept articles, and counts of what was dropped and why.

    ``clean=False`` scores Helsinki's raw page text (for the stability check).
    """
    import scorer
    from scorer.article import NO_BODY
    from scorer.training_data import MIN_WORDS, corpus_path

    ratings = load_ratings(root)
    seen = training_outlets()
    drops: dict[str, int] = defaultdict(int)
    items: list[Item] = []
    for corpus in CORPORA:
        for art in scorer.read_corpus(corpus_path(corpus, root), clean_records=clean and corpus in CLEANED,
                                      on_error=lambda e: drops.__setitem__("read_error", drops["read_error"] + 1)):
            drops["read"] += 1
            host = normalise(art.domain)
            if host is None:
                drops["no_domain"] += 1
                continue
            if seen_in_training(host, seen):
                drops["training_outlet"] += 1
                continue
            rated = rating_of(host, ratings)
            if rated is None:
                drops["unrated"] += 1
                continue
            words = len(art.text.split())
            if words < MIN_WORDS or art.extra.get(NO_BODY):  # no article body found on the page
                drops["short"] += 1
                continue
            items.append(Item(art, corpus, host, rated[0], rated[1], words))
    return items, dict(drops)


# ---------------------------------------------------------------- figures


def _spearman(x: list[float], y: list[float]) -> float:
    from scipy.stats import spearmanr

    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return float("nan")
    return float(spearmanr(x, y).statistic)


def figures(scores: list[float], items: list[Item], prefix: str) -> dict[str, float]:
    """Article- and outlet-level Spearman and the high/low AUC of one score."""
    from sklearn.metrics import roc_auc_score

    ratings = [it.rating for it in items]
    out = {f"{prefix}spearman_article": _spearman(scores, ratings)}
    by_outlet: dict[str, list[float]] = defaultdict(list)
    for s, it in zip(scores, items):
        by_outlet[it.outlet].append(s)
    rating = {it.outlet: it.rating for it in items}
    big = [o for o, v in by_outlet.items() if len(v) >= MIN_OUTLET_ARTICLES]
    out[f"{prefix}spearman_outlet"] = _spearman([sum(by_outlet[o]) / len(by_outlet[o]) for o in big],
                                                [rating[o] for o in big])
    pairs = [(s, 1 if it.rating >= HIGH else 0) for s, it in zip(scores, items) if it.rating >= HIGH or it.rating < LOW]
    n_high = sum(y for _, y in pairs)
    n_low = len(pairs) - n_high
    ok = n_high >= MIN_CLASS_ARTICLES and n_low >= MIN_CLASS_ARTICLES
    out[f"{prefix}auc_high_vs_low"] = float(roc_auc_score([y for _, y in pairs], [s for s, _ in pairs])) if ok \
        else float("nan")
    out.update(_outlet_bootstrap(scores, items, prefix, ok))
    return out


def _outlet_bootstrap(scores: list[float], items: list[Item], prefix: str, with_auc: bool) -> dict[str, float]:
    """95% percentile intervals of the article-level rho and the AUC, resampling whole outlets (seed 0).

    Articles of one outlet share its rating, so they are not independent
    evidence; resampling outlets shows how much the figures hang on which
    outlets happen to be in the corpus.
    """
    import numpy as np
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        by_outlet[it.outlet].append(i)
    groups = list(by_outlet.values())
    s = np.asarray(scores, dtype=float)
    r = np.asarray([it.rating for it in items])
    rng = np.random.default_rng(0)
    rhos, aucs = [], []
    for _ in range(BOOTSTRAP):
        idx = np.concatenate([groups[g] for g in rng.integers(0, len(groups), len(groups))])
        if len(np.unique(r[idx])) > 1 and len(np.unique(s[idx])) > 1:
            rhos.append(spearmanr(s[idx], r[idx]).statistic)
        if with_auc:
            sel = idx[(r[idx] >= HIGH) | (r[idx] < LOW)]
            y = (r[sel] >= HIGH).astype(int)
            if 0 < y.sum() < len(y):
                aucs.append(roc_auc_score(y, s[sel]))
    nan = float("nan")
    out = {f"{prefix}spearman_article_ci_low": float(np.percentile(rhos, 2.5)) if rhos else nan,
           f"{prefix}spearman_article_ci_high": float(np.percentile(rhos, 97.5)) if rhos else nan}
    out[f"{prefix}auc_high_vs_low_ci_low"] = float(np.percentile(aucs, 2.5)) if aucs else nan
    out[f"{prefix}auc_high_vs_low_ci_high"] = float(np.percentile(aucs, 97.5)) if aucs else nan
    return out


def model_sha256() -> tuple[str, str | None]:
    """(sha256 of the model file scored with, the committed .sha256 value)."""
    from scorer.linear import DEFAULT_MODEL

    actual = hashlib.sha256(Path(DEFAULT_MODEL).read_bytes()).hexdigest()
    stated = MODEL_SHA.read_text().split()[0] if MODEL_SHA.exists() else None
    return actual, stated


def measure(full: bool = False) -> dict[str, float]:
    """Counts, Spearman (article, outlet) and high/low AUC for the model and for log word count."""
    import scorer

    root = require_shared()
    items, drops = load_items(root)
    if not full and len(items) > SAMPLE:
        items = sorted(random.Random(0).sample(items, SAMPLE), key=lambda it: (it.corpus, it.article.id))
    scores = [float(scorer.score(it.article).score) for it in items]
    lengths = [math.log1p(it.words) for it in items]
    per_outlet: dict[str, int] = defaultdict(int)
    for it in items:
        per_outlet[it.outlet] += 1
    n_high = sum(1 for it in items if it.rating >= HIGH)
    n_low = sum(1 for it in items if it.rating < LOW)
    out: dict[str, float] = {
        "articles": float(len(items)),
        "outlets": float(len(per_outlet)),
        "outlets_min3": float(sum(1 for n in per_outlet.values() if n >= MIN_OUTLET_ARTICLES)),
        "articles_high": float(n_high),
        "articles_low": float(n_low),
        "outlets_high": float(len({it.outlet for it in items if it.rating >= HIGH})),
        "outlets_low": float(len({it.outlet for it in items if it.rating < LOW})),
        "dropped_training_outlet": float(drops.get("training_outlet", 0)),
        "dropped_unrated": float(drops.get("unrated", 0)),
        "dropped_short": float(drops.get("short", 0)),
    }
    for corpus in CORPORA:
        out[f"articles_{corpus.rsplit('-', 1)[-1]}"] = float(sum(1 for it in items if it.corpus == corpus))
    out.update(figures(scores, items, "model."))
    out.update(figures(lengths, items, "length."))
    out.update(stability(root, items, scores))
    out = {k: (round(v, 4) if not math.isnan(v) else v) for k, v in out.items()}
    _print_table(out, items, scores)
    return out


def stability(root: Path, items: list[Item], scores: list[float]) -> dict[str, float]:
    """Scores of the same Helsinki articles read raw (page text as scraped) against cleaned.

    ``stability.spearman_raw_vs_clean`` (rank agreement), ``stability.mean_abs_diff``
    (mean absolute change of the probability), and the model's figures on the
    raw texts (``raw.*``), over the kept articles.
    """
    import numpy as np
    import scorer

    raw_by_id = {it.article.id: it for it in load_items(root, clean=False)[0]}
    keep = [(s, it, raw_by_id[it.article.id]) for s, it in zip(scores, items) if it.article.id in raw_by_id]
    clean_s = [s for s, _, _ in keep]
    raw_s = [float(scorer.score(r.article).score) for _, _, r in keep]
    out = {"stability.articles": float(len(keep)),
           "stability.spearman_raw_vs_clean": _spearman(raw_s, clean_s),
           "stability.mean_abs_diff": float(np.mean(np.abs(np.subtract(raw_s, clean_s)))) if keep else float("nan")}
    raw_figs = figures(raw_s, [it for _, it, _ in keep], "raw.")
    out.update({k: v for k, v in raw_figs.items() if "_ci_" not in k})
    return out


def _print_table(out: dict[str, float], items: list[Item], scores: list[float]) -> None:
    actual, stated = model_sha256()
    err = sys.stderr
    print(f"model file sha256 {actual}" + ("" if actual == stated else f"  (differs from committed {stated})"),
          file=err)
    print(f"{int(out['articles'])} articles from {int(out['outlets'])} unseen outlets "
          f"({int(out['outlets_min3'])} with >= {MIN_OUTLET_ARTICLES}); rated >= {HIGH}: {int(out['articles_high'])} "
          f"articles / {int(out['outlets_high'])} outlets, < {LOW}: {int(out['articles_low'])} / "
          f"{int(out['outlets_low'])}", file=err)
    print(f"{'':8s} {'rho article [95% CI]':>22s} {'rho outlet':>11s} {'AUC hi/lo [95% CI]':>21s}", file=err)
    for who in ("model", "length"):
        g = lambda k: out[f"{who}.{k}"]  # noqa: E731
        print(f"{who:8s} {g('spearman_article'):6.3f} [{g('spearman_article_ci_low'):6.3f},"
              f"{g('spearman_article_ci_high'):6.3f}] {g('spearman_outlet'):11.3f} "
              f"{g('auc_high_vs_low'):6.3f} [{g('auc_high_vs_low_ci_low'):5.3f},{g('auc_high_vs_low_ci_high'):5.3f}]",
              file=err)
    print(f"(95% CIs: {BOOTSTRAP} resamples of whole outlets; rho outlet: outlets with >= {MIN_OUTLET_ARTICLES} "
          "articles)", file=err)
    by_outlet: dict[str, list[float]] = defaultdict(list)
    for s, it in zip(scores, items):
        by_outlet[it.outlet].append(s)
    rating = {it.outlet: it.rating for it in items}
    print(f"\n{'outlet':28s} {'n':>4s} {'pc1':>6s} {'mean score':>11s}", file=err)
    for o in sorted(by_outlet, key=lambda o: -len(by_outlet[o])):
        if len(by_outlet[o]) >= MIN_OUTLET_ARTICLES:
            v = by_outlet[o]
            print(f"{o:28s} {len(v):4d} {rating[o]:6.3f} {sum(v) / len(v):11.3f}", file=err)


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
