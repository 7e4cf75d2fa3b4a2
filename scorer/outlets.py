"""Outlet level: scores of a corpus summarised per outlet, with outlet ratings shown beside them.

Media researchers rate sources from many articles (Baly et al. 2018); one
article's score is noisy evidence about its outlet, an outlet's mean over
several articles less so. For each outlet (its web domain, lowercase, no
``www.``; else the outlet name the record gives) this module reports the
number of articles, the mean score with a 95% bootstrap interval, and the
features that drive it: the model features whose contributions, averaged
over the outlet's articles, move its log-odds most (contributions are exact,
relative to the training-pool average, see :mod:`scorer.model`).

Where a rating table under ``../shared/data/ratings`` lists the outlet, its
entry is shown beside the score. Ratings are never a feature and never
change a score: they are what a reader would compare the score with.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

#: Rating tables read when present: name -> (file under the ratings folder, domain column, value column).
RATING_TABLES: dict[str, tuple[str, str, str]] = {
    "lin2023_pc1": ("domain-quality-ratings-lin2023/raw/data/domain_pc1.csv", "domain", "pc1"),
    "mbfc_factuality": ("mbfc-baly2018-2020/raw/data/acl2020/corpus.tsv", "source_url_normalized", "fact"),
}
#: Second-level labels under which the registrable domain has three labels (bbc.co.uk).
_SECOND_LEVELS = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"}
#: Features listed as an outlet's drivers.
TOP_DRIVERS = 3
UNKNOWN = "(unknown outlet)"


@dataclass
class OutletRow:
    """One outlet's summary."""

    outlet: str
    n: int
    mean: float
    low: float
    high: float
    drivers: list[tuple[str, float]]  # (feature, mean contribution in log-odds), strongest first
    ratings: dict[str, str] = field(default_factory=dict)


def normalise_host(domain: str | None) -> str | None:
    """Lowercase host without ``www.``, path or port."""
    if not domain:
        return None
    host = str(domain).strip().lower().split("/")[0].split(":")[0].rstrip(".")
    return (host[4:] if host.startswith("www.") else host) or None


def registrable(host: str) -> str:
    """Last two labels of a host (three under ``co.uk``-style second levels)."""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVELS:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def outlet_of(article: Any) -> str:
    """The outlet an article is grouped under: its domain, else the outlet name, else unknown."""
    host = normalise_host(getattr(article, "domain", None))
    return host or (str(getattr(article, "outlet", "") or "").strip() or UNKNOWN)


def load_ratings(root: Path | None) -> dict[str, dict[str, str]]:
    """``table -> {domain: value}`` for every table of :data:`RATING_TABLES` present under ``root``.

    An absent folder or table gives no entry (its column is then omitted).
    """
    out: dict[str, dict[str, str]] = {}
    if root is None or not Path(root).is_dir():
        return out
    for name, (rel, key, value) in RATING_TABLES.items():
        path = Path(root) / rel
        if not path.is_file():
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if path.suffix == ".tsv" else ",")
            table = {str(r.get(key) or "").strip().lower(): str(r.get(value) or "").strip() for r in reader}
        out[name] = {k: v for k, v in table.items() if k and v}
    return out


def rating_entry(outlet: str, table: dict[str, str]) -> str | None:
    """The table's value for an outlet: the host itself, else its registrable domain."""
    for cand in (outlet, registrable(outlet)):
        if cand in table:
            return table[cand]
    return None


def bootstrap_mean(values: np.ndarray, n: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the mean of ``values`` (resampling articles)."""
    if len(values) < 2:
        return float(values.mean()), float(values.mean())
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (n, len(values)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def summarise(scored: Iterable[tuple[str, float, dict[str, float]]], ratings: dict[str, dict[str, str]] | None = None,
              min_articles: int = 1, n_boot: int = 1000) -> list[OutletRow]:
    """Per-outlet rows from ``(outlet, score, contributions)`` triples, most articles first.

    Args:
        scored: one triple per scored article (contributions in log-odds, by feature).
        ratings: tables from :func:`load_ratings` (shown beside, never used in the score).
        min_articles: outlets with fewer articles are left out.
    """
    scores: dict[str, list[float]] = defaultdict(list)
    contribs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for outlet, score, contrib in scored:
        scores[outlet].append(float(score))
        for feat, value in contrib.items():
            contribs[outlet][feat] += float(value)
    rows = []
    for outlet, vals in scores.items():
        if len(vals) < min_articles:
            continue
        arr = np.asarray(vals)
        lo, hi = bootstrap_mean(arr, n=n_boot)
        mean_c = {f: v / len(vals) for f, v in contribs[outlet].items()}
        drivers = sorted(((f, v) for f, v in mean_c.items() if v != 0), key=lambda fv: -abs(fv[1]))[:TOP_DRIVERS]
        found = {t: rating_entry(outlet, table) for t, table in (ratings or {}).items()}
        rows.append(OutletRow(outlet, len(vals), float(arr.mean()), lo, hi, drivers,
                              {t: v for t, v in found.items() if v is not None}))
    return sorted(rows, key=lambda r: (-r.n, r.outlet))


def score_corpus_by_outlet(articles: Iterable[Any], model: Any = None) -> list[tuple[str, float, dict[str, float]]]:
    """``(outlet, score, contributions)`` of every article, scored alone with ``model`` (default: shipped)."""
    from scorer.scoring import score

    out = []
    for art in articles:
        res = score(art, model=model)
        if res.score is not None:
            out.append((outlet_of(art), float(res.score), dict(res.contributions)))
    return out


def _short(value: str) -> str:
    """A rating value for display: numbers to 3 decimals, words as given."""
    try:
        return f"{float(value):.3f}"
    except ValueError:
        return value


def to_rows(rows: list[OutletRow], tables: list[str]) -> list[dict[str, Any]]:
    """Flat dicts (for CSV or a printed table); one rating column per table in ``tables``."""
    out = []
    for r in rows:
        d: dict[str, Any] = {"outlet": r.outlet, "n": r.n, "mean_score": round(r.mean, 4),
                             "ci_low": round(r.low, 4), "ci_high": round(r.high, 4),
                             "drivers": "; ".join(f"{f} {v:+.2f}" for f, v in r.drivers)}
        for t in tables:
            d[t] = _short(r.ratings.get(t, ""))
        out.append(d)
    return out
