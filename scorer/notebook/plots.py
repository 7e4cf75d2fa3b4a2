"""Notebook charts (matplotlib, the ``notebooks`` extra): contributions, provenance graph, ROC, calibration, importance.
"""

from __future__ import annotations

import base64
import io
import math
import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from scorer.notebook.corpus import pairs_frame
from scorer.notebook.views import NEGATIVE, POSITIVE, HTMLView, contribution_series, esc
from scorer.scoring import CONTRIBUTION_UNIT, ScoreResult

if TYPE_CHECKING:  # pragma: no cover
    from scorer.provenance import ReuseReport


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


def figure_svg(fig: Any) -> str:
    """A matplotlib figure as inline ``<svg>`` text (text kept as text; labels escaped by matplotlib)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "scorer"}):
        fig.savefig(buf, format="svg")
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # matplotlib escapes < > & in text; quotes too, so label text reads the same as everywhere else in a page
    return re.sub(r">([^<]+)<", lambda m: ">" + m.group(1).replace('"', "&quot;").replace("'", "&#x27;") + "<", text)


def plot_contributions(result: ScoreResult, ax: Any = None, top: int = 12) -> Any:
    """Horizontal bars of the ``top`` contributions (log-odds), feature values in the labels; returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 0.35 * top + 1.2), layout="constrained")
    s = contribution_series(result, top)[::-1]
    labels = [f"{_plain(n)} = {result.features.get(n, float('nan')):.3g}" for n in s.index]
    ax.barh(range(len(s)), s.to_numpy(), color=[POSITIVE if c >= 0 else NEGATIVE for c in s])
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



def plot_importance(importance: pd.Series, ax: Any = None, top: int = 15, xlabel: str | None = None) -> Any:
    """Horizontal bars of a feature-importance Series (largest on top); returns the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 0.3 * min(top, len(importance)) + 1.2), layout="constrained")
    s = importance.head(top)[::-1]
    ax.barh(range(len(s)), s.to_numpy(), color=[POSITIVE if v >= 0 else NEGATIVE for v in s])
    ax.set_yticks(range(len(s)), [_plain(n) for n in s.index], fontsize=9)
    ax.axvline(0, color="#666", linewidth=0.8)
    ax.set_xlabel(xlabel or f"importance ({CONTRIBUTION_UNIT})")
    return ax
