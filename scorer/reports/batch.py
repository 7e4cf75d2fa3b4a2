"""The batch report: what a corpus scored, how well (with labels), per outlet, and why each article scored so.

``batch_page(rows, metrics, ...)`` renders the page from batch rows (and
per-article details when given); ``write_batch_report`` is what
``scorer batch CORPUS --out report.html`` calls: it re-reads the corpus and
analyses each article again (in ``jobs`` processes) for the highlighted text
and the full contributions, then writes the page atomically.

Large corpora: each article is one ``<details>`` row whose body the browser
does not lay out until it is opened or scrolled to (``content-visibility``),
and the article text shown per article shrinks so the whole page stays within
``text_budget`` characters (about 30 MB at 20,000 articles).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from scorer.reports.articles import (detail_chunk, detail_from_row, glossary_css, links_html, marks_css,
                                     reuse_links)
from scorer.reports.common import attr_text, esc, filter_box, num, page, safe_link, score_badge, sort_button, sort_value
from scorer.reports import svg

#: Characters of article text the whole report may show (split evenly over the articles).
TEXT_BUDGET = 4_000_000
#: Below this many characters per article the text is left out (the contributions still explain the score).
MIN_TEXT = 300
#: Feature groups shown as sortable columns, in this order (others are summed into "other").
GROUPS = ("sourcing", "hedging", "transparency", "origin", "newsgathering", "aggregation", "reporting", "style",
          "provenance")


# ---------------------------------------------------------------- per outlet


def rating_entry(outlet: str) -> str | None:
    """Hook: the outlet's entry in a rating table, shown beside its scores (None: not known).

    Looks for ``scorer.outlets.rating_entry(outlet) -> str | None`` (the transfer work adds
    that module); until it exists, no rating is shown.
    """
    try:
        from scorer import outlets  # type: ignore[attr-defined]
    except ImportError:
        return None
    lookup = getattr(outlets, "rating_entry", None)
    try:
        value = lookup(outlet) if callable(lookup) else None
    except Exception:  # noqa: BLE001 - a rating lookup must never break the report
        return None
    return None if value is None else str(value)


def bootstrap_interval(scores: Sequence[float], n_boot: int = 1000, level: float = 0.95,
                       seed: int = 0) -> tuple[float, float, float]:
    """(mean, low, high): the mean score and its percentile bootstrap interval (seeded: same page every run)."""
    x = np.asarray(scores, dtype=float)
    if x.size == 0:
        return math.nan, math.nan, math.nan
    if x.size == 1:
        return float(x[0]), math.nan, math.nan
    rng = np.random.default_rng(seed)
    means = np.empty(n_boot)
    step = max(1, 2_000_000 // x.size)  # resample in blocks to bound memory
    for k in range(0, n_boot, step):
        m = min(step, n_boot - k)
        means[k:k + m] = x[rng.integers(0, x.size, size=(m, x.size))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(x.mean()), float(lo), float(hi)


def outlet_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per outlet: articles, mean score with its bootstrap interval, labelled share reliable, rating entry."""
    from scorer.labels import label_value

    scores: dict[str, list[float]] = {}
    labels: dict[str, list[int]] = {}
    for r in rows:
        if r.get("score") is None or r.get("error"):
            continue
        o = r.get("outlet") or "(unknown)"
        scores.setdefault(o, []).append(float(r["score"]))
        y = label_value(r.get("label"))
        if y is not None:
            labels.setdefault(o, []).append(y)
    out = []
    for o, s in sorted(scores.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        mean, lo, hi = bootstrap_interval(s)
        ys = labels.get(o, [])
        out.append({"outlet": o, "n": len(s), "mean": mean, "low": lo, "high": hi,
                    "reliable_share": (sum(ys) / len(ys)) if ys else None, "rating": rating_entry(o)})
    return out


def _outlet_table(per: list[dict[str, Any]]) -> str:
    head = ("<thead><tr><th>" + sort_button("outlet", "outlet") + "</th><th class='num'>" + sort_button("n", "articles", True)
            + "</th><th class='num'>" + sort_button("mean", "mean score", True) + "</th><th>95% interval (bootstrap)</th>"
            "<th class='num'>" + sort_button("share", "labelled reliable", True) + "</th><th>rating table</th></tr></thead>")
    body = []
    for r in per:
        ci = f"{r['low']:.2f} – {r['high']:.2f}" if math.isfinite(r["low"]) else "one article"
        body.append(f'<tr data-outlet="{attr_text(r["outlet"])}" data-n="{r["n"]}" data-mean="{sort_value(r["mean"])}" '
                    f'data-share="{sort_value(r["reliable_share"])}" data-text="{attr_text(r["outlet"], r["rating"])}">'
                    f'<td>{esc(r["outlet"])}</td><td class="num">{r["n"]}</td><td class="num">{score_badge(r["mean"])}</td>'
                    f'<td class="small">{esc(ci)}</td><td class="num">{esc(num(r["reliable_share"], 2))}</td>'
                    f'<td class="small">{esc(r["rating"] or "-")}</td></tr>')
    return (f'<div data-list class="outlets">{filter_box("filter outlets", len(per))}<table>{head}'
            f'<tbody class="rows">{"".join(body)}</tbody></table></div>')


# ---------------------------------------------------------------- summary charts


def _labelled(rows: Iterable[Mapping[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    from scorer.labels import label_value

    ys, ps = [], []
    for r in rows:
        y = label_value(r.get("label"))
        if y is not None and r.get("score") is not None and not r.get("error"):
            ys.append(y)
            ps.append(float(r["score"]))
    return np.array(ys, dtype=int), np.array(ps, dtype=float)


def charts_html(rows: Sequence[Mapping[str, Any]], metrics: Mapping[str, Any] | None) -> str:
    """Histogram of scores (by label when labelled); ROC and calibration curves when both labels occur."""
    from scorer.labels import label_value

    groups: dict[str, list[float]] = {}
    for r in rows:
        if r.get("score") is None or r.get("error"):
            continue
        y = label_value(r.get("label"))
        g = "reliable" if y == 1 else "unreliable" if y == 0 else "unlabelled"
        groups.setdefault(g, []).append(float(r["score"]))
    figs = [("histogram", svg.histogram({g: groups[g] for g in ("reliable", "unreliable", "unlabelled") if g in groups}),
             "How many articles got each score; split by label when labels were given.")]
    y, p = _labelled(rows)
    if len(set(y.tolist())) == 2:
        from sklearn.metrics import roc_curve

        fpr, tpr, _ = roc_curve(y, p)
        keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), 400)).astype(int))  # bounded size
        figs.append(("roc", svg.roc_curve(fpr[keep], tpr[keep], (metrics or {}).get("auc")),
                     "Share of reliable articles found (up) against unreliable ones let through (right), "
                     "as the threshold moves; the diagonal is guessing."))
        edges = np.linspace(0, 1, 11)
        idx = np.clip(np.digitize(p, edges[1:-1]), 0, 9)
        pts = [(float(p[idx == b].mean()), float(y[idx == b].mean()), int((idx == b).sum())) for b in range(10)
               if (idx == b).any()]
        figs.append(("calibration", svg.calibration(pts),
                     "Per score band, the share of articles labelled reliable: on the diagonal, a score of 0.7 "
                     "means 7 in 10 are reliable."))
    return '<div class="charts">' + "".join(f'<figure class="chart-{k}">{s}<figcaption>{esc(c)}</figcaption></figure>'
                                             for k, s, c in figs) + "</div>"


def metrics_html(metrics: Mapping[str, Any] | None) -> str:
    """The metrics table and confusion matrix (labelled corpora only)."""
    if not metrics:
        return ""
    names = {"n": "labelled articles", "auc": "ROC AUC", "accuracy": "accuracy (threshold 0.5)",
             "macro_f1": "macro-F1", "brier": "Brier score (lower is better)"}
    rows = "".join(f"<tr><th>{esc(v)}</th><td class='num'>{esc(num(metrics.get(k)))}</td></tr>"
                   for k, v in names.items() if k in metrics)
    cm = metrics.get("confusion")
    conf = ""
    if cm:
        conf = ("<table class='confusion'><caption class='small muted'>rows: label; columns: predicted</caption>"
                "<tr><th></th><th>predicted unreliable</th><th>predicted reliable</th></tr>"
                f"<tr><th>unreliable</th><td class='num'>{int(cm[0][0])}</td><td class='num'>{int(cm[0][1])}</td></tr>"
                f"<tr><th>reliable</th><td class='num'>{int(cm[1][0])}</td><td class='num'>{int(cm[1][1])}</td></tr></table>")
    return f'<div class="charts"><table class="metrics">{rows}</table>{conf}</div>'


# ---------------------------------------------------------------- article list


def _columns(groups: Sequence[str]) -> str:
    return f"3.6em 6em 9em minmax(12em,1fr){' 4.6em' * len(groups)}"  # score, label, outlet, title, groups


def articles_html(rows: Sequence[Mapping[str, Any]], details: Mapping[str, tuple[str, dict[str, float]]],
                  reuse_text: Mapping[str, str]) -> str:
    """The sortable, filterable list of articles; each opens to its detail.

    Kept small per article (it is repeated 20,000 times in a large report):
    sort keys are read from the cells (``c-<key>``), colours and feature
    meanings come from the page's CSS.
    """
    present = {g for _, sums in details.values() for g in sums}
    groups = [g for g in GROUPS if g in present] + (["other"] if present - set(GROUPS) else [])
    anchors = {str(r.get("id")): f"a{k}" for k, r in enumerate(rows)}
    head = ('<div class="head grid">' + sort_button("score", "score", True)
            + sort_button("label", "label") + sort_button("outlet", "outlet") + sort_button("title", "title")
            + "".join(f'<span class="cell-num">{sort_button("g-" + g, g, True, f"contribution of the {g} features (log-odds)", 4 + k)}</span>'
                      for k, g in enumerate(groups)) + "</div>")
    items = []
    for k, r in enumerate(rows):
        rid = str(r.get("id"))
        det, sums = details.get(rid, (None, {}))
        if det is None:
            det = f'<p class="err">{esc(r.get("error"))}</p>' if r.get("error") else detail_from_row(r)
        if "other" in groups:
            sums = dict(sums)
            sums["other"] = sum(v for g, v in sums.items() if g not in GROUPS)
        title = r.get("title") or ""
        links = links_html(reuse_links(reuse_text.get(rid), anchors), anchors)
        meta = " · ".join(esc(x) for x in (rid, r.get("weights") and f"{r.get('weights')} weights") if x)
        url = safe_link(r.get("url"), "original page") if r.get("url") else ""
        score = r.get("score")
        badge = score_badge(score).replace('class="badge', 'class="c-score badge', 1)
        cells = "".join(f'<i>{num(sums.get(g), 2) if g in sums else ""}</i>' for g in groups)
        items.append(f'<details class="row" id="{anchors[rid]}"><summary class="grid">'
                     f'{badge}<span class="c-label">{esc(r.get("label") or "")}'
                     f'</span><span class="c-outlet">{esc(r.get("outlet") or "")}</span><span class="c-title">'
                     f'{esc(title or rid)}{" <span class=err>(error)</span>" if r.get("error") else ""}</span>{cells}'
                     f'</summary><div class="detail"><div class="small muted meta">{meta}{" · " if url else ""}{url}</div>'
                     f'{links}{det}</div></details>')
    return (f'<div data-list class="list articles" style="--cols:{_columns(groups)}">'
            f'{filter_box("filter by id, title, outlet or label", len(rows))}'
            f'{head}<div class="rows">{"".join(items)}</div></div>')


# ---------------------------------------------------------------- page


def batch_page(rows: Sequence[Mapping[str, Any]], metrics: Mapping[str, Any] | None, *, title: str = "scorer batch report",
               corpus: str | None = None, model: str | None = None,
               details: Mapping[str, tuple[str, dict[str, float]]] | None = None,
               reuse: Sequence[Mapping[str, Any]] | None = None, date: str | None = None) -> str:
    """The whole batch report page (all text escaped)."""
    from scorer.notebook.views import legend_html

    details = details or {}
    scored = [r for r in rows if r.get("score") is not None and not r.get("error")]
    failed = sum(1 for r in rows if r.get("error"))
    labelled = (metrics or {}).get("n", 0)
    reuse_text = {str(r.get("id")): str(r.get("reuse") or "") for r in reuse or []}
    date = date or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mean = float(np.mean([float(r["score"]) for r in scored])) if scored else None
    facts = [("articles", len(rows)), ("scored", len(scored)), ("failed", failed), ("labelled", labelled),
             ("mean score", num(mean, 2)), ("sharing text", len(reuse_text)) if reuse is not None else None]
    body = [f"<header><h1>{esc(title)}</h1><p class='muted'>corpus <strong>{esc(corpus or '-')}</strong> · model "
            f"<strong>{esc(model or 'default')}</strong> · {esc(date)}</p><div class='facts'>"
            + "".join(f"<span><strong>{esc(v)}</strong> {esc(k)}</span>" for f in facts if f for k, v in [f]) + "</div>"
            "<p class='small muted'>Score: the probability the article is reliable, from how it reports (sourcing, "
            "hedging, disclosure), not whether its claims are true. Open an article to see why it scored so.</p></header>",
            "<h2>Scores</h2>", charts_html(rows, metrics), metrics_html(metrics)]
    per = outlet_rows(rows)
    if per:
        body += ["<h2>Per outlet</h2>", _outlet_table(per)]
    body += ["<h2>Articles</h2>", f"<style>{glossary_css()}{marks_css()}</style>",
             "<p class='small muted'>Open an article for why it scored so: the features that moved its score most, "
             "as contributions in log-odds (green towards reliable, red away), and its text with the evidence "
             "highlighted. One column per feature group: its summed contribution. Highlights:</p>", legend_html(),
             articles_html(rows, details, reuse_text)]
    return page(title, body)


def corpus_details(corpus: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]], *, model: str | None = None,
                   reuse: Sequence[Mapping[str, Any]] | None = None, jobs: int = 1,
                   text_budget: int = TEXT_BUDGET) -> dict[str, tuple[str, dict[str, float]]]:
    """Per scored article: its detail HTML and group contributions, from a fresh analysis (``jobs`` processes)."""
    from scorer.article import read_corpus

    wanted = {str(r.get("id")) for r in rows if r.get("score") is not None and not r.get("error")}
    if not wanted:
        return {}
    per_article = text_budget // max(1, len(wanted))
    max_chars = per_article if per_article >= MIN_TEXT else 0  # too many articles to show text within the size limit
    reuse_values = {str(r["id"]): {k: float(v) for k, v in r.items() if k.startswith("provenance_") and v is not None}
                    for r in reuse or []}
    def articles() -> Any:  # the first article of each id, as the batch scored it
        seen: set[str] = set()
        for a in read_corpus(corpus, on_error=lambda err: None):
            if a.id in wanted and a.id not in seen:
                seen.add(a.id)
                yield a


    out: dict[str, tuple[str, dict[str, float]]] = {}
    if jobs == 1:
        for chunk in _in_chunks(articles(), 64):
            out.update(detail_chunk(chunk, model, {a.id: reuse_values.get(a.id, {}) for a in chunk}, max_chars))
        return out
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, return_as="generator_unordered", pre_dispatch="2*n_jobs")
    for part in parallel(delayed(detail_chunk)(c, model, {a.id: reuse_values.get(a.id, {}) for a in c}, max_chars)
                         for c in _in_chunks(articles(), 64)):
        out.update(part)
    return out


def write_batch_report(out: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]],
                       metrics: Mapping[str, Any] | None, *, corpus: str | os.PathLike[str] | None = None,
                       model: str | None = None, reuse: Sequence[Mapping[str, Any]] | None = None,
                       jobs: int = 1, title: str | None = None, text_budget: int = TEXT_BUDGET) -> Path:
    """Render the batch report for ``rows`` (re-analysing ``corpus`` for details when given) and write it atomically."""
    from scorer.outputs import atomic_write_text

    details = corpus_details(corpus, rows, model=model, reuse=reuse, jobs=jobs,
                                                   text_budget=text_budget) if corpus is not None else {}
    name = Path(corpus).name if corpus is not None else None
    text = batch_page(rows, metrics, title=title or f"scorer batch: {name or 'report'}", corpus=str(corpus or "-"),
                      model=Path(model).name if model else None, details=details, reuse=reuse)
    return atomic_write_text(out, text)


def _in_chunks(items: Any, size: int) -> Any:
    """Lists of up to ``size`` consecutive items."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
