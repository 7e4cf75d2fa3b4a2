"""The report pages as HTML: content, policy, escaping (no browser needed)."""

from __future__ import annotations

import math
import re


from scorer.reports.batch import bootstrap_interval, outlet_rows
from scorer.reports.common import SCRIPT, csp, page, script_hash
from scorer.reports.provenance import mark_shared, roles

from _reports import PAYLOADS, hostile_corpus


def test_policy_allows_only_the_page_script_by_hash() -> None:
    html = page("t", ["<p>x</p>"])
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    assert f"script-src {script_hash(SCRIPT)}" in policy
    assert "script-src" not in csp(None)
    assert html.count("<script>") == 1 and f"<script>{SCRIPT}</script>" in html


def test_no_external_resources_in_the_seeds_reports(seeds_batch, seeds_provenance) -> None:
    for path in (seeds_batch[0], seeds_provenance[0]):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"\ssrc=", html), "a report must not load anything"
        assert not re.search(r"url\((?!#)", html), "no external url() in styles or SVG"
        assert "<link" not in html and "@import" not in html


def test_batch_report_explains_in_plain_words(seeds_batch) -> None:
    from scorer.features import SPECS

    path, run = seeds_batch
    html = path.read_text(encoding="utf-8")
    assert html.count('<details class="row"') == len(run.rows) == 5
    assert "ROC curve" in html and "Calibration" in html and "Score distribution" in html
    assert "ROC AUC" in html and "predicted reliable" in html
    # every bar names a feature whose meaning the page's glossary carries once
    spec = {s.name: s for s in SPECS}
    top = run.rows[0]["top"][0]
    assert html.count(spec[top["feature"]].meaning.split("(")[0][:30]) >= 1
    assert spec[top["feature"]].shown(top["value"]) in html
    assert 'class="sc-text"' in html and "sc-mark sc-named" in html, "highlighted text from the notebook views"
    assert "Per outlet" in html and "95% interval" in html
    # seeds 000 and 001 share a paraphrased passage: each links to the other's row
    assert re.search(r'common source <a href="#a\d">001_896550752f931eee</a>', html)


def test_provenance_report_shows_clusters_roles_graph_and_passages(seeds_provenance) -> None:
    path, report = seeds_provenance
    html = path.read_text(encoding="utf-8")
    assert len(report.clusters) == 1
    assert "Cluster 1: 2 articles, origin San Francisco Chronicle" in html
    assert html.count('class="badge role-rewrite"') >= 2, "both seeds paraphrase one wire story"
    assert "<svg" in html and "credits: San Francisco Chronicle" in html
    assert html.count('<details class="row"') == len(report.pairs) == 3
    assert '<mark class="same">' in html
    assert "direct quote (not counted as copying)" in html


def test_roles_follow_direction_and_kind() -> None:
    from types import SimpleNamespace as NS

    pairs = [NS(a="b", b="a", kind="verbatim", direction="a_from_b"), NS(a="c", b="a", kind="paraphrase", direction="a_from_b"),
             NS(a="d", b="a", kind="shared_quotes_only", direction="unknown")]
    got = roles(NS(pairs=pairs), ["a", "b", "c", "d"], "a")
    assert got == {"a": "origin", "b": "copy", "c": "rewrite", "d": "member"}


def test_shared_words_are_marked_and_escaped() -> None:
    a, b = mark_shared("The <b>mayor</b> said the bridge will reopen on Tuesday.",
                       "On Tuesday the mayor said the bridge will reopen, officials added.", exact=False)
    assert "<b>" not in a and "&lt;b&gt;" in a
    assert '<mark class="same">said the bridge will reopen</mark>' in a
    assert '<mark class="same">said the bridge will reopen</mark>' in b
    assert "officials" not in "".join(re.findall(r'<mark class="same">(.*?)</mark>', b))


def test_bootstrap_interval_holds_the_mean_and_narrows_with_more_articles() -> None:
    small = bootstrap_interval([0.2, 0.4, 0.6, 0.8])
    big = bootstrap_interval([0.2, 0.4, 0.6, 0.8] * 50)
    assert small[1] <= small[0] <= small[2] and big[1] <= big[0] <= big[2]
    assert (big[2] - big[1]) < (small[2] - small[1])
    assert bootstrap_interval([0.2, 0.4, 0.6, 0.8]) == small, "seeded: the same page every run"
    assert math.isnan(bootstrap_interval([0.5])[1])
    per = outlet_rows([{"outlet": "A", "score": 0.2}, {"outlet": "A", "score": 0.4}, {"outlet": "B", "score": 0.9},
                       {"outlet": "B", "score": None, "error": "x"}])
    assert [(r["outlet"], r["n"]) for r in per] == [("A", 2), ("B", 1)]


def test_hostile_corpus_is_escaped_in_both_reports(tmp_path) -> None:
    import scorer
    from scorer.batch import score_corpus
    from scorer.provenance import find_reuse
    from scorer.reports.provenance import provenance_page

    corpus = hostile_corpus(tmp_path / "hostile.jsonl")
    score_corpus(corpus, tmp_path / "batch.html", reuse=True)
    articles = list(scorer.read_corpus(corpus))
    report = find_reuse(articles, workers=1)
    assert report.pairs, "the planted copies should be found"
    (tmp_path / "prov.html").write_text(provenance_page(report, {a.id: a.text for a in articles}), encoding="utf-8")
    for name in ("batch.html", "prov.html"):
        html = (tmp_path / name).read_text(encoding="utf-8")
        for p in PAYLOADS:
            if "<" in p:
                assert p not in html, f"{name}: payload {p[:30]!r} unescaped"
        # quote-breaking payloads may appear in text nodes (inert) but never inside a tag
        assert not re.search(r'<[^>]*\sautofocus onfocus="', html), f"{name}: an attribute was broken out of"
        assert 'href="javascript:' not in html.lower()
        assert html.count("<script>") == 1
        assert "&lt;script&gt;" in html


def test_hand_drawn_graph_and_charts_escape_labels() -> None:
    from scorer.reports import svg

    hostile = "<script>x</script>"
    graph = svg.circle_graph([("a", hostile, "#eee"), ("b", "b", "#eee")], [("a", "b", "#555", True, 2.0)])
    assert graph.startswith("<svg") and "<script>" not in graph and "&lt;script&gt;" in graph
    assert 'marker-end="url(#ah)"' in graph, "a known direction is drawn as an arrow"
    hist = svg.histogram({"reliable": [0.9, 0.8], "unreliable": [0.1]})
    assert hist.count("<rect") >= 3 and "reliable (2)" in hist
