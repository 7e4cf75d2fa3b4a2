"""Notebook HTML views: an article with its evidence highlighted, contribution bars, results side by side.

Evidence marks come from the feature specs: every feature with a ``highlight``
category lends its evidence (the ``mark`` inside the sentence: the source's
words, the hedge cue, the origin statement), and reused passages come from a
:class:`~scorer.provenance.ReuseReport` when one is given. Every highlight is a
character range of the article text, so what is coloured is exactly what the
tool found. Article text and metadata are untrusted: every piece is escaped
before it reaches the page. No matplotlib needed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from scorer.analysis import Analysis
from scorer.features import SPECS
from scorer.outputs import esc
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
    Category("gathered", "own reporting", "#b2dfdb",
             "the outlet's own newsgathering (a right of reply, an interview, documents obtained, a dateline)"),
    Category("relayed", "relayed report", "#d7ccc8", "another outlet's reporting passed on ('CNN reported')"),
    Category("reused", "reused passage", "#e4d4f7", "text found in another article of the corpus (underlined)"),
)}
#: Colour of the underline that marks reused passages (drawn under the other highlights).
REUSED_LINE = "#7b2cbf"
POSITIVE, NEGATIVE = "#2e8b57", "#c0392b"




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

    Each feature spec with a ``highlight`` category lends its evidence, marked
    on the narrow range it names: sources on the words naming them ("John
    Kirby", "a senior official"), hedges on their cue, origin statements on the
    statement, newsgathering on the phrase that shows it; reused passages (from ``reuse``, a report over a corpus containing this
    article) on the whole passage. ``categories`` keeps only those kinds.
    """
    analysis = _analysis_of(item)
    text = analysis.text
    keep = set(CATEGORIES) if categories is None else set(categories)
    unknown = keep - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown evidence categories: {', '.join(sorted(unknown))}; known: {', '.join(CATEGORIES)}")
    marks: list[Mark] = []
    seen: set[tuple[int, int, str]] = set()
    for spec in SPECS:  # every feature that names a highlight lends its evidence
        cat = spec.highlight
        if cat is None or cat not in keep:
            continue
        for e in spec.evidence(analysis):
            span = e.mark if e.mark is not None else e.span
            if (span.start, span.end, cat) not in seen:
                seen.add((span.start, span.end, cat))
                marks.append(Mark(span.start, span.end, cat, f"{CATEGORIES[cat].label}: {e.note}"))
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


def contribution_series(result: ScoreResult, top: int | None) -> pd.Series:
    s = pd.Series(result.contributions, dtype=float)
    s = s.reindex(s.abs().sort_values(ascending=False).index)
    return s if top is None else s.head(top)


def contribution_bars_html(result: ScoreResult, top: int = 10) -> str:
    """Pure HTML/CSS horizontal bars of the ``top`` contributions (no plotting library needed)."""
    s = contribution_series(result, top)
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
        colour = POSITIVE if c >= 0 else NEGATIVE
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
        rows = ["<tr><th>score</th>" + "".join(
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
