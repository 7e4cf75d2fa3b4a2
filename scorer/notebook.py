"""Notebook views: an article with its evidence highlighted, contributions as a chart, results side by side.

Every object here has ``_repr_html_``, so it renders when it is the last
expression of a Jupyter cell::

    import scorer
    from scorer import notebook as nb
    result = scorer.score("seeds/004_c5f29e39a883f2f0.txt")
    nb.show(result)                  # score, contribution bars, legend, highlighted text
    nb.highlight(result)             # the text alone, evidence in colour
    nb.contributions_chart(result)   # matplotlib bar chart (log-odds)
    nb.compare(results)              # several results side by side
    nb.provenance_graph(report)      # who reused whom (scorer.provenance.find_reuse)

Evidence comes straight from the analysis (:class:`~scorer.analysis.Analysis`)
and, when a :class:`~scorer.provenance.ReuseReport` is given, from the reused
passages it found; every highlight is a character range of the article text,
so what is coloured is exactly what the tool found. Article text and metadata
are untrusted: every piece is passed through :func:`html.escape` before it
reaches the page. Plotting needs matplotlib (the ``notebooks`` extra); the
HTML views do not.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from scorer.analysis import Analysis
from scorer.scoring import CONTRIBUTION_UNIT, ScoreResult

if TYPE_CHECKING:  # pragma: no cover
    from scorer.provenance import ReuseReport


# ---------------------------------------------------------------- categories


@dataclass(frozen=True)
class Category:
    """One kind of evidence: how it is named in the legend and how it is drawn."""

    name: str
    label: str
    colour: str
    description: str


#: Evidence kinds, in drawing priority (an earlier one wins the background where spans overlap).
CATEGORIES: dict[str, Category] = {c.name: c for c in (
    Category("anonymous", "anonymous source", "#f6a5a5",
             "a source the article does not name ('a senior official'), or the reason given for it"),
    Category("vague", "unnamed group", "#ffd08a", "a group cited without names ('analysts', 'Western officials')"),
    Category("named", "named source", "#a8e0b5", "a named person, organisation, document or outlet cited"),
    Category("hedge", "hedge", "#fff176", "a hedge cue ('may', 'reportedly', 'appears to')"),
    Category("origin", "stated origin", "#9fd0f5", "a statement of where the text came from (wire byline, credits)"),
    Category("reused", "reused passage", "#e4d4f7", "text found in another article of the corpus (underlined)"),
)}
#: Colour of the underline that marks reused passages (drawn under the other highlights).
REUSED_LINE = "#7b2cbf"
_SOURCE_CATEGORY = {"named_person": "named", "named_organization": "named", "document_or_outlet": "named",
                    "unnamed_group": "vague", "anonymous_person": "anonymous"}
_POS, _NEG = "#2e8b57", "#c0392b"


def esc(value: Any) -> str:
    """HTML-escape anything (quotes included); None becomes an empty string."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class Mark:
    """One highlighted range ``[start, end)`` of the article text, its category and a note for the tooltip."""

    start: int
    end: int
    category: str
    note: str


# ---------------------------------------------------------------- evidence -> marks


def _analysis_of(item: ScoreResult | Analysis) -> Analysis:
    analysis = item.analysis if isinstance(item, ScoreResult) else item
    if not isinstance(analysis, Analysis):
        from scorer.errors import InputError

        rid = getattr(item, "id", "?")
        raise InputError(str(rid), "this result carries no analysis to highlight; score it with scorer.score(...)")
    return analysis


def _article_id(item: ScoreResult | Analysis) -> str | None:
    if isinstance(item, ScoreResult):
        return item.id
    return item.article.id if item.article is not None else None


def evidence_marks(item: ScoreResult | Analysis, reuse: "ReuseReport | None" = None,
                   categories: Iterable[str] | None = None) -> list[Mark]:
    """Every piece of evidence in one article as :class:`Mark` ranges, sorted by position.

    Sources are marked on the words naming them ("John Kirby", "a senior
    official"), hedges on their cue, origin statements on the statement, and
    reused passages (from ``reuse``, a report over a corpus containing this
    article) on the whole passage. ``categories`` keeps only those kinds.
    """
    analysis = _analysis_of(item)
    text = analysis.text
    keep = set(CATEGORIES) if categories is None else set(categories)
    unknown = keep - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown evidence categories: {', '.join(sorted(unknown))}; known: {', '.join(CATEGORIES)}")
    marks: list[Mark] = []
    for att in analysis.attributions:
        cat = _SOURCE_CATEGORY.get(att.source_type)
        if cat is None or att.source is None or cat not in keep:
            continue
        cue = att.cue.of(text) if att.cue is not None else "?"
        resolved = f" (= {att.resolved_source})" if att.resolved_source else ""
        how = "direct quote" if att.direct else "reported speech"
        marks.append(Mark(att.source.start, att.source.end, cat,
                          f"{CATEGORIES[cat].label}: {att.source_type}{resolved}, cue '{cue}', {how}"))
        if att.anonymity_reason is not None and "anonymous" in keep:
            marks.append(Mark(att.anonymity_reason.start, att.anonymity_reason.end, "anonymous",
                              "reason given for anonymity"))
    if "hedge" in keep:
        for h in analysis.hedges:
            marks.append(Mark(h.cue.start, h.cue.end, "hedge", f"hedge ({h.kind or 'cue'})"))
    if "origin" in keep:
        for o in analysis.origin:
            outlet = f", names {o.outlet}" if o.outlet else ""
            marks.append(Mark(o.span.start, o.span.end, "origin", f"stated origin: {o.kind}{outlet}"))
    rid = _article_id(item)
    if reuse is not None and rid is not None and "reused" in keep:
        for e in reuse.evidence_for(rid):
            other = f"{e.other_id}" + (f" ({e.other_outlet})" if e.other_outlet else "")
            marks.append(Mark(e.span.start, e.span.end, "reused",
                              f"reused passage ({e.kind}, similarity {e.similarity:.2f}) shared with {other}; "
                              f"direction: {e.direction.replace('_', ' ')}"))
    n = len(text)
    marks = [Mark(max(0, min(m.start, n)), max(0, min(m.end, n)), m.category, m.note) for m in marks]
    return sorted(marks, key=lambda m: (m.start, m.end, list(CATEGORIES).index(m.category)))


def _segment_style(cats: set[str]) -> str:
    """Inline style for a run of text covered by ``cats`` (inline so it survives any notebook viewer)."""
    order = [c for c in CATEGORIES if c in cats]
    top = next((c for c in order if c != "reused"), None)
    style = []
    if top is not None:
        style.append(f"background:{CATEGORIES[top].colour}")
    elif "reused" in cats:
        style.append(f"background:{CATEGORIES['reused'].colour}")
    if "reused" in cats:
        style.append(f"border-bottom:3px solid {REUSED_LINE}")
    style.append("border-radius:2px")
    return ";".join(style)


def render_marks(text: str, marks: Sequence[Mark]) -> str:
    """Escaped ``text`` with each covered run wrapped in a ``<span>`` naming its categories.

    Overlapping marks are split at every boundary, so each run of text has one
    element whose ``data-start``/``data-end`` are its offsets in ``text`` and
    whose classes (``sc-<category>``) list every kind of evidence covering it.
    A zero-length mark (an origin detected from page metadata) becomes a small
    badge at its position.
    """
    n = len(text)
    ranged = [m for m in marks if m.end > m.start]
    badges: dict[int, list[Mark]] = {}
    for m in marks:
        if m.end <= m.start:
            badges.setdefault(min(max(m.start, 0), n), []).append(m)
    cuts = sorted({0, n, *badges, *(m.start for m in ranged), *(m.end for m in ranged)})
    starts = sorted(ranged, key=lambda m: m.start)
    out: list[str] = []
    active: list[Mark] = []
    k = 0
    for a, b in zip(cuts, cuts[1:] + [n]):
        for m in badges.get(a, []):
            out.append(f'<span class="sc-badge sc-{m.category}" data-start="{a}" data-end="{a}" '
                       f'title="{esc(m.note)}" style="background:{CATEGORIES[m.category].colour};'
                       f'font-size:.8em;padding:0 .3em;border-radius:3px">{esc("⟵ " + m.note)}</span>')
        if b <= a:
            continue
        while k < len(starts) and starts[k].start <= a:
            active.append(starts[k])
            k += 1
        active = [m for m in active if m.end > a]
        covering = [m for m in active if m.start <= a and m.end >= b]
        chunk = esc(text[a:b])
        if not covering:
            out.append(chunk)
            continue
        cats = {m.category for m in covering}
        classes = " ".join(f"sc-{c}" for c in CATEGORIES if c in cats)
        title = "\n".join(dict.fromkeys(m.note for m in covering))
        out.append(f'<span class="sc-mark {classes}" data-start="{a}" data-end="{b}" title="{esc(title)}" '
                   f'style="{_segment_style(cats)}">{chunk}</span>')
    return "".join(out)


def legend_html(categories: Iterable[str] | None = None, counts: Mapping[str, int] | None = None) -> str:
    """A legend of coloured swatches, one per evidence category (with counts when given)."""
    items = []
    for name in categories or CATEGORIES:
        c = CATEGORIES[name]
        extra = f";border-bottom:3px solid {REUSED_LINE}" if name == "reused" else ""
        count = f" ({counts.get(name, 0)})" if counts is not None else ""
        items.append(f'<span class="sc-legend-item sc-{name}" title="{esc(c.description)}" '
                     f'style="display:inline-block;margin:0 .8em .3em 0">'
                     f'<span style="display:inline-block;width:1.6em;height:1em;vertical-align:middle;'
                     f'background:{c.colour};border-radius:2px{extra}"></span> {esc(c.label)}{count}</span>')
    return '<div class="sc-legend" style="margin:.4em 0;font-size:.9em">' + "".join(items) + "</div>"


# ---------------------------------------------------------------- views


class HTMLView:
    """Base of the notebook views: ``_repr_html_`` renders, ``html()`` returns the same string."""

    def html(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.html()

    def save(self, path: str) -> None:
        """Write a standalone HTML page of this view (UTF-8)."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
                     "<body style='font-family:system-ui,sans-serif;max-width:60em;margin:1em auto'>"
                     + self.html() + "</body></html>\n")


class HighlightedText(HTMLView):
    """An article's text with its evidence coloured by category, and a legend."""

    def __init__(self, item: ScoreResult | Analysis, reuse: "ReuseReport | None" = None,
                 categories: Iterable[str] | None = None, max_chars: int | None = None) -> None:
        analysis = _analysis_of(item)
        self.text = analysis.text
        self.categories = list(categories) if categories is not None else list(CATEGORIES)
        self.marks = evidence_marks(item, reuse, self.categories)
        self.max_chars = max_chars

    def counts(self) -> dict[str, int]:
        """Number of marks per category."""
        out = {c: 0 for c in self.categories}
        for m in self.marks:
            out[m.category] = out.get(m.category, 0) + 1
        return out

    def html(self) -> str:
        text, marks, cut = self.text, self.marks, ""
        if self.max_chars is not None and len(text) > self.max_chars:
            text = text[: self.max_chars]
            marks = [Mark(m.start, min(m.end, self.max_chars), m.category, m.note) for m in marks
                     if m.start < self.max_chars]
            cut = f'<p style="color:#666">… {len(self.text) - self.max_chars} more characters not shown</p>'
        body = render_marks(text, marks)
        return (legend_html(self.categories, self.counts())
                + '<div class="sc-text" style="white-space:pre-wrap;line-height:1.6;border:1px solid #ddd;'
                  f'padding:.6em .9em;border-radius:4px;max-height:40em;overflow:auto">{body}</div>' + cut)


def highlight(item: ScoreResult | Analysis, reuse: "ReuseReport | None" = None,
              categories: Iterable[str] | None = None, max_chars: int | None = None) -> HighlightedText:
    """The article text with anonymous/named sources, unnamed groups, hedges, stated origin and reused passages in colour.

    ``reuse`` is a :class:`~scorer.provenance.ReuseReport` over a corpus that
    includes this article (adds its reused passages); ``categories`` limits the
    kinds shown; ``max_chars`` cuts very long texts.
    """
    return HighlightedText(item, reuse, categories, max_chars)


def _contrib_series(result: ScoreResult, top: int | None) -> pd.Series:
    s = pd.Series(result.contributions, dtype=float)
    s = s.reindex(s.abs().sort_values(ascending=False).index)
    return s if top is None else s.head(top)


def contribution_bars_html(result: ScoreResult, top: int = 10) -> str:
    """Pure HTML/CSS horizontal bars of the ``top`` contributions (no plotting library needed)."""
    s = _contrib_series(result, top)
    if s.empty:
        return '<p style="color:#666">No model contributions (no model loaded): feature values only.</p>'
    scale = max(float(s.abs().max()), 1e-9)
    from scorer.explain import display_value, feature_units

    values = result.features
    units = feature_units()
    rows = []
    for name, c in s.items():
        width = 50.0 * abs(c) / scale
        left = 50.0 if c >= 0 else 50.0 - width
        colour = _POS if c >= 0 else _NEG
        rows.append(
            f'<tr class="sc-bar-row"><td style="text-align:right;padding-right:.5em;white-space:nowrap">{esc(name)}</td>'
            f'<td style="width:22em"><div style="position:relative;height:1em;background:linear-gradient(to right,'
            f'transparent 49.7%,#999 49.7%,#999 50.3%,transparent 50.3%)">'
            f'<div class="sc-bar" data-value="{c:.6g}" style="position:absolute;left:{left:.2f}%;width:{width:.2f}%;'
            f'height:100%;background:{colour}"></div></div></td>'
            f'<td style="text-align:right;font-variant-numeric:tabular-nums;padding-left:.5em">{c:+.3f}</td>'
            f'<td style="color:#666;padding-left:.6em">{esc(display_value(values.get(name, float("nan")), units.get(name, "")))}</td></tr>')
    return ('<table class="sc-bars" style="border-collapse:collapse;font-size:.9em">'
            f'<caption style="text-align:left;color:#444">Contributions to the score ({esc(CONTRIBUTION_UNIT)}; '
            'green pushes towards reliable, red away)</caption>' + "".join(rows) + "</table>")


def _score_badge(score: float | None) -> str:
    if score is None:
        return '<span style="color:#666">no model: features only</span>'
    hue = int(120 * max(0.0, min(1.0, score)))
    return (f'<span class="sc-score" style="display:inline-block;padding:.1em .6em;border-radius:1em;'
            f'background:hsl({hue},70%,80%);font-weight:bold">{score:.2f}</span> '
            '<span style="color:#666">probability reliable</span>')


def _weights_note(result: ScoreResult) -> str:
    """Which of the model's sets of weights scored the article (health stories have their own)."""
    if result.score is None or not result.domain:
        return ""
    return f' <span style="color:#666">· {esc(result.domain)} weights</span>'


class ArticleView(HTMLView):
    """One scored article: header, score, contribution bars, and the highlighted text."""

    def __init__(self, result: ScoreResult, reuse: "ReuseReport | None" = None, top: int = 10,
                 max_chars: int | None = None) -> None:
        self.result = result
        self.reuse = reuse
        self.top = top
        self.max_chars = max_chars

    def html(self) -> str:
        r = self.result
        art = r.analysis.article if r.analysis is not None else None
        meta = []
        if art is not None:
            for label, value in (("outlet", art.outlet or art.domain), ("date", art.date),
                                 ("by", ", ".join(art.authors) if art.authors else None)):
                if value:
                    meta.append(f"{label}: {esc(value)}")
        title = f'<div style="font-size:1.15em;font-weight:bold">{esc(art.title)}</div>' if art and art.title else ""
        parts = [f'<div class="sc-article" style="font-family:system-ui,sans-serif;max-width:60em;margin:.5em 0 2em">{title}'
                 f'<div style="color:#444">{esc(r.id)}{" · " if meta else ""}{" · ".join(meta)}</div>'
                 f'<div style="margin:.4em 0">{_score_badge(r.score)}{_weights_note(r)}</div>',
                 contribution_bars_html(r, self.top)]
        if r.analysis is not None:
            parts.append(HighlightedText(r, self.reuse, max_chars=self.max_chars).html())
        parts.append("</div>")
        return "".join(parts)


def show(result: Any, reuse: "ReuseReport | None" = None, top: int = 10,
         max_chars: int | None = None) -> ArticleView:
    """Everything about one scored article in one view (the notebook's main entry point).

    ``result`` is a :class:`ScoreResult`, or anything :func:`scorer.score`
    accepts (a path, a text, an Article), which is then scored with the shipped model.
    """
    if not isinstance(result, ScoreResult):
        from scorer.scoring import score

        result = score(result)
    return ArticleView(result, reuse, top, max_chars)


# ---------------------------------------------------------------- matplotlib


def _plain(text: Any) -> str:
    """Text safe for matplotlib labels: '$' would otherwise start mathtext."""
    return str(text).replace("$", r"\$")


def _figure(width: float, height: float) -> Any:
    """A matplotlib Figure not attached to pyplot (no global state, not displayed twice)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def figure_html(fig: Any, alt: str = "chart") -> str:
    """A matplotlib figure as an ``<img>`` with an SVG data URI (ids cannot clash between figures)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img class="sc-figure" alt="{esc(alt)}" src="data:image/svg+xml;base64,{data}" style="max-width:100%"/>'


def plot_contributions(result: ScoreResult, ax: Any = None, top: int = 12) -> Any:
    """Horizontal bars of the ``top`` contributions (log-odds), feature values in the labels; returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 0.35 * top + 1.2), layout="constrained")
    s = _contrib_series(result, top)[::-1]
    labels = [f"{_plain(n)} = {result.features.get(n, float('nan')):.3g}" for n in s.index]
    ax.barh(range(len(s)), s.to_numpy(), color=[_POS if c >= 0 else _NEG for c in s])
    ax.set_yticks(range(len(s)), labels, fontsize=9)
    ax.axvline(0, color="#666", linewidth=0.8)
    ax.set_xlabel(f"contribution to the score ({CONTRIBUTION_UNIT}); positive = towards reliable")
    score = "no model" if result.score is None else f"score {result.score:.2f}"
    ax.set_title(_plain(f"{result.id}: {score}, baseline {result.intercept:+.2f} {CONTRIBUTION_UNIT}"), fontsize=10)
    return ax


class Chart(HTMLView):
    """A matplotlib figure rendered inline as SVG; ``figure`` is the Figure for further editing or saving."""

    def __init__(self, figure: Any, alt: str) -> None:
        self.figure = figure
        self.alt = alt

    def html(self) -> str:
        return figure_html(self.figure, self.alt)


def contributions_chart(result: ScoreResult, top: int = 12) -> Chart:
    """The contribution bar chart of one result as a notebook object (see :func:`plot_contributions`)."""
    n = min(top, max(1, len(result.contributions)))
    fig = _figure(7, 0.35 * n + 1.2)
    plot_contributions(result, fig.add_subplot(), top)
    return Chart(fig, f"contributions for {result.id}")


# ---------------------------------------------------------------- several results


class Comparison(HTMLView):
    """Several results side by side: one column per article, one row per feature.

    ``frame`` holds the values, ``contributions`` the contributions (log-odds);
    the HTML shows each value with its cell tinted by its contribution.
    """

    def __init__(self, results: Sequence[ScoreResult], features: Sequence[str] | None = None,
                 max_rows: int | None = 25) -> None:
        self.results = list(results)
        self.max_rows = max_rows
        ids = _unique_ids(self.results)
        self.ids = ids
        names = list(features) if features is not None else list(dict.fromkeys(
            n for r in self.results for n in r.features))
        self.frame = pd.DataFrame({i: [r.features.get(n, np.nan) for n in names] for i, r in zip(ids, self.results)},
                                  index=pd.Index(names, name="feature"))
        self.contributions = pd.DataFrame({i: [r.contributions.get(n, np.nan) for n in names]
                                           for i, r in zip(ids, self.results)}, index=self.frame.index)
        self.scores = pd.Series([r.score for r in self.results], index=ids, name="score", dtype=float)
        order = self.contributions.abs().max(axis=1).fillna(-1).sort_values(ascending=False, kind="stable").index
        self.frame, self.contributions = self.frame.loc[order], self.contributions.loc[order]

    def html(self) -> str:
        cmax = float(np.nanmax(np.abs(self.contributions.to_numpy()))) if self.contributions.notna().any().any() else 0.0
        head = "".join(f'<th style="padding:.2em .5em;max-width:12em;word-break:break-all">{esc(i)}</th>'
                       for i in self.ids)
        rows = [f"<tr><th>score</th>" + "".join(
            f'<td style="text-align:center;padding:.2em .5em">{_score_badge_short(s)}</td>' for s in self.scores) + "</tr>"]
        shown = self.frame.index if self.max_rows is None else self.frame.index[: self.max_rows]
        for name in shown:
            cells = []
            for i in self.ids:
                v, c = self.frame.at[name, i], self.contributions.at[name, i]
                tint = ""
                if c == c and cmax > 0:
                    alpha = min(1.0, abs(c) / cmax) * 0.6
                    rgb = "46,139,87" if c >= 0 else "192,57,43"
                    tint = f"background:rgba({rgb},{alpha:.2f});"
                title = f"contribution {c:+.3f} {CONTRIBUTION_UNIT}" if c == c else "not used by the model"
                cells.append(f'<td class="sc-cell" title="{esc(title)}" style="{tint}text-align:right;'
                             f'padding:.1em .5em;font-variant-numeric:tabular-nums">{v:.3g}</td>')
            rows.append(f'<tr><td style="padding:.1em .5em">{esc(name)}</td>{"".join(cells)}</tr>')
        return ('<table class="sc-compare" style="border-collapse:collapse;font-size:.85em">'
                f'<caption style="text-align:left;color:#444">Feature values; cells tinted by their contribution '
                f'({esc(CONTRIBUTION_UNIT)}: green towards reliable, red away; hover for the number)</caption>'
                f'<tr><th>feature</th>{head}</tr>' + "".join(rows) + "</table>"
                + (f'<p style="color:#666;font-size:.85em">{len(self.frame) - len(shown)} features with smaller '
                   'contributions not shown (all are in <code>.frame</code>).</p>' if len(shown) < len(self.frame) else ""))


def _score_badge_short(score: float | None) -> str:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "–"
    hue = int(120 * max(0.0, min(1.0, score)))
    return f'<span style="padding:0 .4em;border-radius:1em;background:hsl({hue},70%,80%)">{score:.2f}</span>'


def _unique_ids(results: Sequence[ScoreResult]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for r in results:
        k = seen.get(r.id, 0)
        seen[r.id] = k + 1
        out.append(r.id if k == 0 else f"{r.id} ({k + 1})")
    return out


def compare(results: Sequence[ScoreResult], features: Sequence[str] | None = None,
            max_rows: int | None = 25) -> Comparison:
    """Several scored articles side by side (features and scores), cells tinted by contribution.

    Rows are ordered by the largest contribution any of the articles gets from
    the feature; the HTML shows the first ``max_rows`` (None: all).
    """
    return Comparison(results, features, max_rows)


def results_frame(results: Sequence[ScoreResult]) -> pd.DataFrame:
    """One row per result: id, score, log-odds and every feature value (for pandas work)."""
    rows = []
    for r in results:
        art = r.analysis.article if r.analysis is not None else None
        rows.append({"id": r.id, "title": art.title if art else None, "outlet": (art.outlet or art.domain) if art else None,
                     "score": r.score, "log_odds": r.log_odds, **r.features})
    return pd.DataFrame(rows).set_index("id")


# ---------------------------------------------------------------- provenance


def pairs_frame(report: "ReuseReport") -> pd.DataFrame:
    """The reuse pairs as a DataFrame (no passage text; ``passages`` is the number of aligned passages)."""
    rows = report.rows()
    for r in rows:
        r["passages"] = len(r["passages"])
    cols = ["a", "b", "kind", "a_share", "b_share", "direction", "derived_discloses", "a_outlet", "b_outlet", "passages"]
    return pd.DataFrame(rows, columns=cols)


#: Edge styles of the provenance graph, by pair kind.
EDGE_STYLE = {"verbatim": ("#6a1b9a", "-"), "partial": ("#8e44ad", "-"), "paraphrase": ("#b07cc6", "-"),
              "shared_quotes_only": ("#9e9e9e", ":")}


def _layout(ids: Sequence[str], radius: float = 1.0) -> dict[str, tuple[float, float]]:
    n = len(ids)
    if n == 1:
        return {ids[0]: (0.0, 0.0)}
    return {i: (radius * math.cos(math.pi / 2 - 2 * math.pi * k / n), radius * math.sin(math.pi / 2 - 2 * math.pi * k / n))
            for k, i in enumerate(ids)}


def _by_component(ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """``ids`` reordered so that connected articles sit next to each other (breadth-first per component)."""
    adj: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in edges:
        if a in adj and b in adj:
            adj[a].append(b)
            adj[b].append(a)
    out: list[str] = []
    seen: set[str] = set()
    for start in sorted(ids, key=lambda i: -len(adj[i])):
        if start in seen:
            continue
        queue = [start]
        seen.add(start)
        while queue:
            node = queue.pop(0)
            out.append(node)
            for nxt in adj[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return out


def plot_provenance(report: "ReuseReport", ax: Any = None, labels: Mapping[str, str] | None = None,
                    stated_origins: bool = True, all_articles: bool | None = None) -> Any:
    """Draw who reused whom: articles on a circle, one edge per pair, arrows from source to derived.

    Edge colour and style give the kind (verbatim, partial, paraphrase; dotted
    grey for shared quotes only); arrows show a known direction; a dashed edge
    without arrow is ``common_source`` or ``unknown``. With ``stated_origins``,
    outlets an article says it came from (and that are not in the corpus) are
    drawn as square nodes with a thin blue arrow to the article. ``all_articles``
    draws articles with no relation too (default: only when there are at most
    12 articles). Returns the Axes.
    """
    from matplotlib.lines import Line2D

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 7), layout="constrained")
    linked = {p.a for p in report.pairs} | {p.b for p in report.pairs}
    ids = list(report.meta) or sorted(linked)
    if not (len(ids) <= 12 if all_articles is None else all_articles):
        ids = [i for i in ids if i in linked or (stated_origins and i in report.meta and report.meta[i].derived_from)]
    if not ids:
        ax.text(0.5, 0.5, "no reuse found", ha="center", va="center", transform=ax.transAxes)
        ax.axis("off")
        return ax
    pos = _layout(_by_component(ids, [(p.a, p.b) for p in report.pairs]))
    corpus_outlets = {(report.meta[i].outlet or "").lower() for i in ids if i in report.meta}
    externals: dict[str, list[str]] = {}
    if stated_origins:
        for i in ids:
            m = report.meta.get(i)
            for outlet in (m.derived_from if m else []) or []:
                if outlet and outlet.lower() not in corpus_outlets:
                    externals.setdefault(outlet, []).append(i)
    for k, (outlet, members) in enumerate(externals.items()):
        mx = float(np.mean([pos[i][0] for i in members]))
        my = float(np.mean([pos[i][1] for i in members]))
        norm = math.hypot(mx, my) or 1.0
        pos[f"outlet::{outlet}"] = (1.75 * mx / norm, 1.75 * my / norm + 0.12 * (k % 2))

    def arrow(src: tuple[float, float], dst: tuple[float, float], colour: str, style: str, width: float,
              head: bool, rad: float = 0.08) -> None:
        ax.annotate("", xy=dst, xytext=src, zorder=1,
                    arrowprops=dict(arrowstyle="-|>" if head else "-", color=colour, linestyle=style, linewidth=width,
                                    shrinkA=22, shrinkB=22, mutation_scale=16, connectionstyle=f"arc3,rad={rad}"))

    for p in report.pairs:
        if p.a not in pos or p.b not in pos:
            continue
        colour, style = EDGE_STYLE.get(p.kind, ("#555", "-"))
        width = 1.0 + 6.0 * max(p.a_share, p.b_share)
        if p.direction == "a_from_b":
            arrow(pos[p.b], pos[p.a], colour, style, width, True)
        elif p.direction == "b_from_a":
            arrow(pos[p.a], pos[p.b], colour, style, width, True)
        else:
            arrow(pos[p.a], pos[p.b], colour, "--" if p.kind != "shared_quotes_only" else style, width, False)
        mx, my = (pos[p.a][0] + pos[p.b][0]) / 2, (pos[p.a][1] + pos[p.b][1]) / 2
        text = "shared quotes" if p.kind == "shared_quotes_only" else f"{p.kind} {p.a_share:.2f}/{p.b_share:.2f}"
        ax.text(mx, my, _plain(text), fontsize=7.5, ha="center", va="center", color=colour, zorder=3,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    for outlet, members in externals.items():
        for i in members:
            arrow(pos[f"outlet::{outlet}"], pos[i], "#1f77b4", "-", 1.0, True, rad=0.0)
    cluster_of = {m: k for k, c in enumerate(report.clusters) for m in c.members}
    palette = ["#f9d56e", "#8fd3c1", "#f3a683", "#a29bfe", "#81ecec"]
    for i in ids:
        m = report.meta.get(i)
        name = (labels or {}).get(i) or (f"{i}\n{m.outlet}" if m and m.outlet else i)
        fc = palette[cluster_of[i] % len(palette)] if i in cluster_of else "#eeeeee"
        ax.text(*pos[i], _plain(name), ha="center", va="center", fontsize=8, zorder=4,
                bbox=dict(boxstyle="round,pad=0.4", fc=fc, ec="#444"))
    for outlet in externals:
        ax.text(*pos[f"outlet::{outlet}"], _plain(f"{outlet}\n(stated origin, not in corpus)"), ha="center",
                va="center", fontsize=7.5, zorder=4, color="#0b3d91",
                bbox=dict(boxstyle="square,pad=0.35", fc="#e3f0fb", ec="#1f77b4"))
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.3, max(ys) + 0.3)
    ax.axis("off")
    handles = [Line2D([], [], color=c, linestyle=s, linewidth=2.5, label=k.replace("_", " "))
               for k, (c, s) in EDGE_STYLE.items()]
    handles.append(Line2D([], [], color="#1f77b4", linewidth=1, marker=">", label="states it came from"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, frameon=False,
              title="arrow: source → derived; no arrow: common source or unknown", title_fontsize=8)
    shown = "" if len(ids) == report.n_articles else f", {len(ids)} of {report.n_articles} articles shown"
    ax.set_title(f"Reuse among {report.n_articles} articles ({report.n_candidates} candidate pairs aligned{shown})",
                 fontsize=10)
    return ax


class ProvenanceView(HTMLView):
    """The provenance graph (SVG) above the table of pairs."""

    def __init__(self, report: "ReuseReport", labels: Mapping[str, str] | None = None,
                 all_articles: bool | None = None) -> None:
        self.report = report
        fig = _figure(9, 7)
        plot_provenance(report, fig.add_subplot(), labels, all_articles=all_articles)
        self.figure = fig

    def html(self) -> str:
        table = pairs_frame(self.report)
        rows = table.to_html(index=False, escape=True, float_format=lambda v: f"{v:.2f}")
        return figure_html(self.figure, "provenance graph") + f'<div style="font-size:.85em">{rows}</div>'


def provenance_graph(report: "ReuseReport", labels: Mapping[str, str] | None = None,
                     all_articles: bool | None = None) -> ProvenanceView:
    """A notebook view of a :class:`~scorer.provenance.ReuseReport`: graph and pairs table."""
    return ProvenanceView(report, labels, all_articles)


# ---------------------------------------------------------------- corpus evaluation


def batch_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Batch rows (``scorer.score_corpus(...).rows``) as a DataFrame with a 0/1 ``y`` column for labelled rows."""
    from scorer.batch import label_value

    df = pd.DataFrame(list(rows))
    if df.empty:
        return df
    df["y"] = [label_value(v) for v in df.get("label", pd.Series([None] * len(df)))]
    df["y"] = df["y"].astype("Float64")
    df["score"] = pd.to_numeric(df["score"], errors="coerce")
    return df


def plot_roc(y: Sequence[int], p: Sequence[float], ax: Any = None, label: str = "model") -> Any:
    """ROC curve with its AUC in the legend; returns the Axes."""
    from sklearn.metrics import roc_auc_score, roc_curve

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 4.5), layout="constrained")
    fpr, tpr, _ = roc_curve(y, p)
    ax.plot(fpr, tpr, label=_plain(f"{label} (AUC {roc_auc_score(y, p):.3f})"))
    ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=0.8, label="chance")
    ax.set_xlabel("false positive rate (unreliable called reliable)")
    ax.set_ylabel("true positive rate")
    ax.set_title("ROC curve")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_calibration(y: Sequence[int], p: Sequence[float], ax: Any = None, bins: int = 10) -> Any:
    """Reliability diagram: observed share of reliable articles per predicted-score bin (dot size = count)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 4.5), layout="constrained")
    y_arr, p_arr = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p_arr, edges[1:-1]), 0, bins - 1)
    xs, ys, ns = [], [], []
    for b in range(bins):
        m = idx == b
        if m.any():
            xs.append(p_arr[m].mean())
            ys.append(y_arr[m].mean())
            ns.append(int(m.sum()))
    ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=0.8, label="perfectly calibrated")
    ax.plot(xs, ys, color="#1f77b4", marker=None, linewidth=1)
    ax.scatter(xs, ys, s=[20 + 200 * n / max(ns) for n in ns], color="#1f77b4", zorder=3, label="bins (size = articles)")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("mean predicted probability reliable")
    ax.set_ylabel("observed share reliable")
    ax.set_title("Calibration")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def model_importance(model: Any = None) -> pd.DataFrame:
    """Global importance of each model feature: its coefficient per standard deviation (log-odds).

    For the linear model, ``coef`` is the change in log-odds when the feature
    rises by one training-pool standard deviation; ``mean`` and ``sd`` are the
    pool statistics. One row per feature and set of weights (``weights``:
    ``general``, or ``health`` for the weights that score health stories).
    ``model`` is a fitted model, a model path, or None for the shipped model.
    """
    from scorer.model import heads, linear_parts
    from scorer.scoring import _resolve_model

    pipe, _ = _resolve_model(model)
    if pipe is None:
        from scorer.errors import InputError

        raise InputError("model", "no model file is available")
    meaning = _catalogue_meanings()
    frames = []
    for dom, head in heads(pipe).items():
        names, mean, scale, coef, _ = linear_parts(head)
        frames.append(pd.DataFrame({"weights": dom, "feature": names, "coef_per_sd": coef, "mean": mean, "sd": scale,
                                    "meaning": [meaning.get(n, "") for n in names]}))
    df = pd.concat(frames, ignore_index=True)
    return df.reindex(df["coef_per_sd"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def _catalogue_meanings() -> pd.Series:
    """Feature name -> meaning, from the full catalogue when the featurizer provides one."""
    from scorer.features import catalogue

    cat = catalogue()
    return cat.drop_duplicates("name").set_index("name")["meaning"]


def mean_abs_contribution(results: Iterable[ScoreResult]) -> pd.Series:
    """Mean absolute contribution (log-odds) of each feature over ``results``, largest first."""
    frame = pd.DataFrame([r.contributions for r in results])
    if frame.empty:
        return pd.Series(dtype=float, name="mean_abs_contribution")
    return frame.abs().mean().sort_values(ascending=False).rename("mean_abs_contribution")


def plot_importance(importance: pd.Series, ax: Any = None, top: int = 15, xlabel: str | None = None) -> Any:
    """Horizontal bars of a feature-importance Series (largest on top); returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 0.3 * min(top, len(importance)) + 1.2), layout="constrained")
    s = importance.head(top)[::-1]
    ax.barh(range(len(s)), s.to_numpy(), color=[_POS if v >= 0 else _NEG for v in s])
    ax.set_yticks(range(len(s)), [_plain(n) for n in s.index], fontsize=9)
    ax.axvline(0, color="#666", linewidth=0.8)
    ax.set_xlabel(xlabel or f"importance ({CONTRIBUTION_UNIT})")
    return ax


def worst_errors(frame: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` labelled rows whose score is furthest from their label (confident mistakes first)."""
    df = frame[frame["y"].notna() & frame["score"].notna()].copy()
    df["abs_error"] = (df["score"] - df["y"].astype(float)).abs()
    return df.sort_values("abs_error", ascending=False).head(n)
