"""Sentence alignment: verbatim, partial, paraphrase (spin), shared quotes, nothing."""

from __future__ import annotations

from scorer.provenance import article_detail
from scorer.provenance.align import align

def _align(a: str, b: str):
    return align(article_detail("a", a), article_detail("b", b))


def test_identical_articles_are_verbatim(texts: dict[str, str]) -> None:
    SOURCE = texts["source"]
    res = _align(SOURCE, SOURCE)
    assert res.kind == "verbatim"
    assert res.a_share > 0.9 and res.b_share > 0.9
    assert all(p.exact for p in res.passages)


def test_paragraphs_inside_another_article_are_partial(texts: dict[str, str]) -> None:
    SOURCE, OTHER = texts["source"], texts["other"]
    paras = SOURCE.split("\n\n")
    host = OTHER + "\n\n" + "\n\n".join(paras[1:3])
    res = _align(host, SOURCE)
    assert res.kind == "partial"
    assert 0.2 < res.b_share < 0.6
    # evidence offsets point at the copied sentences in both texts
    for p in res.passages:
        assert p.a.of(host) == p.b.of(SOURCE)


def test_synonym_spin_is_paraphrase(texts: dict[str, str]) -> None:
    SOURCE, SPUN = texts["source"], texts["spun"]
    res = _align(SPUN, SOURCE)
    assert res.kind == "paraphrase"
    assert res.a_share > 0.5


def test_unrelated_articles_share_nothing(texts: dict[str, str]) -> None:
    SOURCE, OTHER = texts["source"], texts["other"]
    assert _align(SOURCE, OTHER).kind is None


def test_shared_quotes_are_not_copying() -> None:
    quote = '"We will fix every bridge in this district before the next election, no matter what it costs," '
    a = (f"{quote}said Mayor Jane Doe on Tuesday.\n\nThe council met for six hours and heard from forty residents.\n\n"
         f'"This is a historic day for our neighbourhoods and for every family who drives here," she added.')
    b = (f"Mayor Jane Doe made a promise at the town hall. {quote}Doe said.\n\nCritics called the plan a gimmick "
         f'aimed at voters.\n\n"This is a historic day for our neighbourhoods and for every family who drives here," '
         f"Doe told reporters.")
    res = _align(a, b)
    assert res.kind == "shared_quotes_only"
    assert res.a_share == 0.0 and res.b_share == 0.0
    assert res.passages and all(p.quoted for p in res.passages)


def test_rewrite_passages_keep_order(texts: dict[str, str]) -> None:
    """A rewrite keeps its source's order: the aligned passages increase in both texts."""
    SOURCE, SPUN = texts["source"], texts["spun"]
    ordered = _align(SPUN, SOURCE)
    assert [p.a.start for p in ordered.passages] == sorted(p.a.start for p in ordered.passages)
    assert [p.b.start for p in ordered.passages] == sorted(p.b.start for p in ordered.passages)
