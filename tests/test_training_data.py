"""Training pool: label mapping, duplicate clusters across corpora, outlet groups, weights."""

from __future__ import annotations

import numpy as np
import pytest

from scorer.article import Article
from scorer.training_data import (balanced_weights, build_pool, duplicate_clusters, load_label_mapping,
                                  load_pool, outlet_groups)

BODY = ("The city council voted on Monday to approve the new budget after a long debate about "
        "funding for schools, parks and public transport, officials said. ") * 3


def _art(rid: str, text: str, url: str | None = None, corpus: str = "fakenewsnet-v1", domain: str | None = None) -> Article:
    extra = {"corpus": corpus}
    if domain:
        extra["domain"] = domain
    return Article(id=rid, text=text, url=url, extra=extra)


def test_label_mapping_decisions() -> None:
    m = load_label_mapping()
    assert m[("misinfotext-sfu", "buzzfeedUSE", "mixed")] == "unreliable"
    assert m[("misinfotext-sfu", "buzzfeedUSE", "no_factual_content")] == "exclude"
    assert m[("fakehealth", "HealthStory", "reliable")] == "reliable"


def test_duplicates_by_url_text_and_near_text() -> None:
    arts = [
        _art("a", BODY, url="https://www.x.com/story?id=1"),
        _art("b", "other words entirely " * 30, url="http://x.com/story?id=1/", corpus="misinfotext-sfu"),
        _art("c", BODY.upper().replace(",", " ,"), corpus="misinfotext-sfu"),  # same words, other punctuation/case
        _art("d", BODY + " One more closing sentence was added by the copier here.", corpus="misinfotext-sfu"),
        _art("e", "A completely different story about football and the weather in spring " * 5),
        _art("f", BODY, url="https://x.com/story?id=2"),
    ]
    cl = duplicate_clusters(arts)
    assert cl[0] == cl[1] == cl[2] == cl[3] == cl[5]
    assert cl[4] != cl[0]


def test_query_strings_distinguish_urls() -> None:
    arts = [_art("a", "alpha " * 60, url="http://h.com/a.asp?AID=1"), _art("b", "beta " * 60, url="http://h.com/a.asp?AID=2")]
    cl = duplicate_clusters(arts)
    assert cl[0] != cl[1]


def test_outlet_groups_no_domain_alone_and_duplicates_joined() -> None:
    g = outlet_groups(["a.com", None, "b.com", None, "a.com"], ["1", "2", "3", "4", "5"], clusters=[0, 1, 2, 2, 4])
    assert g[0] == g[4] == "a.com"
    assert g[1] == "id:2"
    assert g[2] == g[3] == "b.com"


def test_build_pool_keeps_one_copy_and_drops_conflicts() -> None:
    arts = [
        _art("fnn", BODY, url="http://p.com/1", domain=None),
        _art("bf", BODY, url="http://p.com/1", corpus="misinfotext-sfu", domain="p.com"),
        _art("x1", "unique story one about rivers and bridges " * 10, url="http://q.com/1", domain="q.com"),
        _art("x2", "unique story one about rivers and bridges " * 10, url="http://q.com/2", corpus="misinfotext-sfu", domain="q.com"),
        _art("z", "another unrelated article on elections and polls " * 10, domain="r.com", corpus="fakehealth"),
    ]
    pool = build_pool(arts, [1, 1, 1, 0, 0])
    ids = [a.id for a in pool.articles]
    assert ids == ["fnn", "z"]  # FakeNewsNet copy kept; the x1/x2 cluster disagrees on the label
    assert pool.articles[0].domain == "p.com"  # inherited from its duplicate
    assert pool.dropped == {"duplicate_copies": 1, "duplicate_label_conflict": 2}
    assert list(pool.manifest().columns) == ["corpus", "subset", "id", "label", "group"]


def test_balanced_weights_balance_classes_within_each_corpus_and_keep_corpus_sizes() -> None:
    y = np.array([1, 1, 1, 0, 1, 0, 0, 1])
    corpus = np.array(["a", "a", "a", "a", "b", "b", "b", "c"])
    w = balanced_weights(y, corpus)
    assert w.mean() == pytest.approx(1.0)
    cell = {(c, k): w[(corpus == c) & (y == k)].sum() for c, k in set(zip(corpus, y))}
    assert cell[("a", 1)] == pytest.approx(cell[("a", 0)]) and cell[("b", 1)] == pytest.approx(cell[("b", 0)])
    # corpus totals stay in proportion to corpus sizes (4 : 3 : 1)
    assert (cell[("a", 0)] + cell[("a", 1)]) / cell[("c", 1)] == pytest.approx(4.0)
    assert (cell[("b", 0)] + cell[("b", 1)]) / cell[("c", 1)] == pytest.approx(3.0)


@pytest.mark.shared
def test_shared_pool_has_no_duplicates_across_groups(shared) -> None:
    pool = load_pool()
    assert len(pool) > 2000
    assert set(pool.eval_corpus) == {"political", "fakehealth"}
    cl = duplicate_clusters(pool.articles)
    assert len(set(cl)) == len(cl)  # one copy per cluster kept
    urls = [a.url for a in pool.articles if a.url]
    assert len(urls) == len(set(urls))
    assert pool.dropped.get("duplicate_copies", 0) > 100


def test_misinfotext_repair_restores_quotes_and_apostrophes() -> None:
    from scorer.training_data import repair_misinfotext

    fixed = repair_misinfotext('A meme on ?poisoned Skittles,? he said. She?s here. Why? ""Yes,"" she said.')
    assert fixed == 'A meme on "poisoned Skittles," he said. She\'s here. Why? "Yes," she said.'
