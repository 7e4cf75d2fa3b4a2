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

Three modules, one job each: :mod:`~scorer.notebook.views` (HTML: highlighted
text, contribution bars, comparisons; no matplotlib), :mod:`~scorer.notebook.plots`
(matplotlib charts, the ``notebooks`` extra) and :mod:`~scorer.notebook.corpus`
(tables for evaluating a corpus and inspecting the model). Article text and
metadata are untrusted: every piece is escaped before it reaches the page.
"""

from __future__ import annotations

from scorer.notebook.corpus import batch_frame, mean_abs_contribution, model_importance, pairs_frame, worst_errors
from scorer.notebook.plots import (EDGE_STYLE, Chart, ProvenanceView, contributions_chart, figure_html, plot_calibration,
                                   plot_contributions, plot_importance, plot_provenance, plot_roc, provenance_graph)
from scorer.notebook.plots import _figure  # noqa: F401  (used by the notebooks' own charts)
from scorer.notebook.views import (CATEGORIES, REUSED_LINE, ArticleView, Category, Comparison, HighlightedText,
                                   HTMLView, Mark, compare, contribution_bars_html, esc, evidence_marks, highlight,
                                   legend_html, render_marks, results_frame, show)

__all__ = ["CATEGORIES", "EDGE_STYLE", "REUSED_LINE", "ArticleView", "Category", "Chart", "Comparison",
           "HighlightedText", "HTMLView", "Mark", "ProvenanceView", "batch_frame", "compare", "contribution_bars_html",
           "contributions_chart", "esc", "evidence_marks", "figure_html", "highlight", "legend_html",
           "mean_abs_contribution", "model_importance", "pairs_frame", "plot_calibration", "plot_contributions",
           "plot_importance", "plot_provenance", "plot_roc", "provenance_graph", "render_marks", "results_frame",
           "show", "worst_errors"]
