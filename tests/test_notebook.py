"""Notebook rendering: untrusted text is escaped, every evidence kind has its colour, marks sit at the right offsets."""

from __future__ import annotations

import html
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from scorer import notebook as nb  # noqa: E402
from scorer.analysis import Analysis  # noqa: E402
from scorer.signals.attribution import Attribution  # noqa: E402
from scorer.signals.hedging import Hedge  # noqa: E402
from scorer.signals.origin import OriginStatement  # noqa: E402
from scorer.article import Article  # noqa: E402
from scorer.scoring import ScoreResult  # noqa: E402
from scorer.spans import Span  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'

_SEG = re.compile(r'<span class="sc-mark ([^"]*)" data-start="(\d+)" data-end="(\d+)"[^>]*>(.*?)</span>', re.S)


def _find(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part))


def _hand_made() -> tuple[Analysis, ScoreResult]:
    """An analysis with one finding of each kind, built by hand so offsets are known exactly."""
    text = ("Officials said the plan may fail. A senior official, who spoke on condition of anonymity, "
            "said it was over. Jane Roe told reporters <b>nothing</b>.\nBy Associated Press")
    sent = Span(0, len(text))
    atts = [
        Attribution(cue=_find(text, "said the"), source=_find(text, "Officials"), content=None,
                    source_type="unnamed_group", direct=False, sentence=sent),
        Attribution(cue=_find(text, "said it"), source=_find(text, "A senior official"), content=None,
                    source_type="anonymous_person", direct=False, sentence=sent,
                    anonymity_reason=_find(text, "on condition of anonymity")),
        Attribution(cue=_find(text, "told"), source=_find(text, "Jane Roe"), content=None,
                    source_type="named_person", direct=False, sentence=sent),
    ]
    hedges = [Hedge(cue=_find(text, "may"), sentence=sent, kind="modal")]
    origin = [OriginStatement(span=_find(text, "By Associated Press"), kind="wire_byline", outlet="Associated Press"),
              OriginStatement(span=Span(0, 0), kind="aggregator", outlet="<i>Evil</i>")]
    art = Article(id='id<"x">', text=text, title=HOSTILE, outlet="Outlet & <Co>")
    analysis = Analysis(text=text, paragraphs=[sent], sentences=[sent], article=art,
                        findings={"quotes": [], "attributions": atts, "hedges": hedges, "origin": origin})
    result = ScoreResult(id=art.id, score=0.42, features={"hedge_density": 2.0, "byline_present": 0.0},
                         contributions={"hedge_density": -0.3, "byline_present": 0.5}, intercept=0.1,
                         analysis=analysis, model="test")
    return analysis, result


def test_marks_cover_each_kind_at_its_offsets():
    analysis, _ = _hand_made()
    text = analysis.text
    marks = nb.evidence_marks(analysis)
    got = {(m.category, m.start, m.end) for m in marks}
    for cat, part in [("vague", "Officials"), ("anonymous", "A senior official"),
                      ("anonymous", "on condition of anonymity"), ("named", "Jane Roe"), ("hedge", "may"),
                      ("origin", "By Associated Press")]:
        span = _find(text, part)
        assert (cat, span.start, span.end) in got, (cat, part)
    assert ("origin", 0, 0) in got


def test_rendered_segments_match_text_offsets_and_categories():
    analysis, _ = _hand_made()
    text = analysis.text
    out = nb.render_marks(text, nb.evidence_marks(analysis))
    segs = _SEG.findall(out)
    assert segs, "no highlighted segments rendered"
    for classes, start, end, inner in segs:
        assert html.unescape(inner) == text[int(start):int(end)]
    by_text = {html.unescape(inner): classes for classes, _, _, inner in segs}
    assert "sc-named" in by_text["Jane Roe"]
    assert "sc-anonymous" in by_text["A senior official"]
    assert "sc-hedge" in by_text["may"]
    assert "sc-origin" in by_text["By Associated Press"]
    # stripping the markup gives back the exact text (plus the badge for the zero-length origin)
    no_badge = re.sub(r'<span class="sc-badge[^>]*>.*?</span>', "", out)
    assert html.unescape(re.sub(r"<[^>]+>", "", no_badge)) == text


def test_overlapping_marks_split_into_runs_with_all_categories():
    text = "aaaa bbbb cccc"
    marks = [nb.Mark(0, 9, "reused", "copied"), nb.Mark(5, 9, "named", "name"), nb.Mark(5, 14, "hedge", "h")]
    segs = _SEG.findall(nb.render_marks(text, marks))
    runs = {(int(s), int(e)): set(c.split()) for c, s, e, _ in segs}
    assert runs[(0, 5)] >= {"sc-reused"} and "sc-named" not in runs[(0, 5)]
    assert runs[(5, 9)] >= {"sc-reused", "sc-named", "sc-hedge"}
    assert runs[(9, 14)] >= {"sc-hedge"} and "sc-reused" not in runs[(9, 14)]
    # the reused underline survives under the higher-priority background
    seg_59 = re.search(r'data-start="5" data-end="9"[^>]*style="([^"]*)"', nb.render_marks(text, marks)).group(1)
    assert nb.REUSED_LINE in seg_59 and nb.CATEGORIES["named"].colour in seg_59


def test_everything_untrusted_is_escaped():
    _, result = _hand_made()
    for view in (nb.show(result), nb.highlight(result), nb.compare([result, result])):
        out = view._repr_html_()
        assert "<script>" not in out and "<b>bold</b>" not in out and "<b>nothing</b>" not in out
        assert "<i>Evil</i>" not in out
    out = nb.show(result)._repr_html_()
    assert html.escape(HOSTILE) in out
    assert "Outlet &amp; &lt;Co&gt;" in out
    assert html.escape('id<"x">', quote=True) in out


def test_legend_lists_every_category_with_its_colour():
    _, result = _hand_made()
    out = nb.highlight(result)._repr_html_()
    for cat in nb.CATEGORIES.values():
        assert f'sc-legend-item sc-{cat.name}"' in out
        assert cat.colour in out
        assert html.escape(cat.label) in out
    colours = [c.colour for c in nb.CATEGORIES.values()]
    assert len(set(colours)) == len(colours)
    assert "named source (1)" in out and "anonymous source (2)" in out


def test_category_filter_and_unknown_category():
    analysis, _ = _hand_made()
    assert {m.category for m in nb.evidence_marks(analysis, categories=["hedge"])} == {"hedge"}
    with pytest.raises(ValueError):
        nb.evidence_marks(analysis, categories=["nonsense"])


def test_contribution_bars_and_chart():
    _, result = _hand_made()
    bars = nb.contribution_bars_html(result)
    values = [float(v) for v in re.findall(r'class="sc-bar" data-value="([^"]+)"', bars)]
    assert values == [0.5, -0.3]  # largest |contribution| first
    assert "#2e8b57" in bars and "#c0392b" in bars
    chart = nb.contributions_chart(result)._repr_html_()
    assert chart.startswith('<img class="sc-figure"') and "data:image/svg+xml;base64," in chart


def test_comparison_frame_and_order():
    _, r1 = _hand_made()
    r2 = ScoreResult(id="other", score=0.9, features={"hedge_density": 0.0, "byline_present": 1.0},
                     contributions={"hedge_density": 0.1, "byline_present": -0.05})
    cmp_ = nb.compare([r1, r2])
    assert list(cmp_.frame.columns) == [r1.id, "other"]
    assert cmp_.frame.index[0] == "byline_present"
    assert cmp_.frame.at["hedge_density", "other"] == 0.0
    assert cmp_.scores.tolist() == [0.42, 0.9]


def test_result_without_analysis_is_a_clear_error():
    from scorer.errors import InputError

    with pytest.raises(InputError):
        nb.highlight(ScoreResult(id="x", score=0.5, features={}))


def test_seed_view_with_provenance_renders_reused_passages():
    import scorer
    from scorer.provenance import find_reuse

    report = find_reuse(scorer.read_corpus(REPO / "seeds"))
    result = scorer.score(REPO / "seeds" / "001_896550752f931eee.txt")
    view = nb.highlight(result, reuse=report)
    reused = [m for m in view.marks if m.category == "reused"]
    assert reused, "the seed rewrite should show reused passages"
    for e in report.evidence_for(result.id):
        assert any(m.start == e.span.start and m.end == e.span.end for m in reused)
    by_path = nb.show(REPO / "seeds" / "001_896550752f931eee.txt", reuse=report)._repr_html_()
    assert by_path.count("sc-reused") >= len(reused)
    graph = nb.provenance_graph(report)._repr_html_()
    assert "data:image/svg+xml;base64," in graph and "<table" in graph
    assert len(nb.pairs_frame(report)) == len(report.pairs)


def test_evaluation_helpers():
    import pandas as pd

    rows = [{"id": "a", "score": 0.9, "label": "reliable", "error": None},
            {"id": "b", "score": 0.8, "label": "unreliable", "error": None},
            {"id": "c", "score": 0.2, "label": "unreliable", "error": None},
            {"id": "d", "score": None, "label": "reliable", "error": "bad"}]
    frame = nb.batch_frame(rows)
    assert frame["y"].tolist()[:3] == [1, 0, 0]
    worst = nb.worst_errors(frame, 1)
    assert worst["id"].tolist() == ["b"] and "error" in worst.columns
    fig = nb._figure(4, 4)
    nb.plot_roc([1, 0, 0], [0.9, 0.8, 0.2], ax=fig.add_subplot())
    ax = nb.plot_calibration([1, 0, 0], [0.9, 0.8, 0.2], ax=fig.add_subplot())
    assert ax.get_title() == "Calibration"
    imp = nb.mean_abs_contribution([ScoreResult("x", 0.5, {}, {"f": -1.0, "g": 0.5}),
                                    ScoreResult("y", 0.5, {}, {"f": 3.0, "g": 0.5})])
    assert isinstance(imp, pd.Series) and imp.index[0] == "f" and imp["f"] == 2.0


def test_charts_survive_dollar_signs_and_markup_in_ids():
    """'$' would start matplotlib mathtext; ids and titles are untrusted text."""
    result = ScoreResult(id="cost $5 vs $6 <b>", score=0.5, features={"f_$": 1.0},
                         contributions={"f_$": 0.2, "g": -0.1})
    out = nb.contributions_chart(result)._repr_html_()
    assert "data:image/svg+xml;base64," in out and "<b>" not in out
    ax = nb.plot_importance(nb.mean_abs_contribution([result]), ax=nb._figure(4, 3).add_subplot())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["g", r"f_\$"]


def test_article_view_names_the_weights_that_scored_it():
    import scorer

    from dataclasses import replace

    health = scorer.score("The drug cut symptoms in patients with early disease, researchers reported after a clinical "
                          "trial at three hospitals. Doctors cautioned that the study was small.")
    health = replace(health, domain="health")  # the shipped model has one set of weights; a routed one names its own
    assert "health weights" in nb.show(health).html()
    general = scorer.score("The senator said on Tuesday that the bill would pass, according to two aides.")
    assert "general weights" in nb.show(general).html()


def test_every_spec_highlight_has_a_view_category():
    from scorer.features import SPECS
    from scorer.signals.spec import HIGHLIGHTS

    assert set(HIGHLIGHTS) <= set(nb.CATEGORIES)
    assert {f.highlight for f in SPECS if f.highlight} <= set(HIGHLIGHTS)


def test_model_importance_reads_the_shipped_model_and_a_model_path():
    from scorer import linear

    table = nb.model_importance()
    fast = linear.load()
    general = fast.heads["general"]
    assert set(table["weights"]) == set(fast.heads)
    rows = table[table["weights"] == "general"].set_index("feature")
    assert sorted(rows.index) == sorted(general.names)
    for name, coef in zip(general.names, general.coef):
        assert rows.loc[name, "coef_per_sd"] == pytest.approx(coef, abs=1e-9)
    assert nb.model_importance(str(linear.DEFAULT_MODEL)).equals(table)
