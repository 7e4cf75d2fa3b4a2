"""benchmarks.external_outlets: the unseen-outlet check runs and its figures are well formed."""

from __future__ import annotations

import math

import pytest

from benchmarks import external_outlets as ext
from scorer.paths import shared_dir


def test_domain_normalisation() -> None:
    assert ext.normalise("WWW.Example.COM") == "example.com"
    assert ext.normalise("www.yahoo.com/news") == "yahoo.com"
    assert ext.registrable("news.google.com") == "google.com"
    assert ext.registrable("bbc.co.uk") == "bbc.co.uk"
    assert ext.registrable("www.bbc.co.uk") == "bbc.co.uk"
    assert ext.outlet_key("huffpost.com") == "huffingtonpost.com"


def test_training_outlets_are_recognised_through_subdomains() -> None:
    seen = ext.training_outlets()
    assert "nytimes.com" in seen
    assert ext.seen_in_training("well.blogs.nytimes.com", seen)
    assert ext.seen_in_training("nytimes.com", seen)


@pytest.fixture(scope="module")
def sample_run():
    """(shared root, kept items, drop counts, measure() on the sample); skipped without ../shared."""
    root = shared_dir()
    if root is None:
        pytest.skip("../shared is absent")
    items, drops = ext.load_items(root)
    return root, items, drops, ext.measure(full=False)


def test_measure_on_sample(sample_run) -> None:
    _, _, _, out = sample_run
    for key in ("articles", "outlets", "articles_high", "articles_low", "dropped_training_outlet"):
        assert key in out
    assert out["articles"] > 0 and out["outlets"] > 0
    assert out["articles"] <= ext.SAMPLE
    assert out["dropped_training_outlet"] > 0  # basil's NYT and Fox are training outlets
    for who in ("model", "length"):
        for metric in ("spearman_article", "spearman_outlet"):
            value = out[f"{who}.{metric}"]
            assert not math.isnan(value) and -1.0 <= value <= 1.0, (who, metric, value)
        auc = out[f"{who}.auc_high_vs_low"]
        assert math.isnan(auc) or 0.0 <= auc <= 1.0
        lo, hi = out[f"{who}.spearman_article_ci_low"], out[f"{who}.spearman_article_ci_high"]
        assert -1.0 <= lo <= hi <= 1.0, (who, lo, hi)


def test_no_training_outlet_is_kept(sample_run) -> None:
    _, items, _, _ = sample_run
    seen = ext.training_outlets()
    assert items
    hosts = {it.host for it in items}
    assert not hosts & seen
    assert not {ext.outlet_key(h) for h in hosts} & seen
    assert all(0.0 <= it.rating <= 1.0 for it in items)
    assert all(it.words >= 50 for it in items)


def test_helsinki_text_is_cleaned(sample_run) -> None:
    """Helsinki records are scraped pages: furniture lines such as 'Advertisement' must not reach scoring."""
    _, items, _, _ = sample_run
    helsinki = [it for it in items if it.corpus == "articlecomparisons-helsinki"]
    assert helsinki
    for it in helsinki:
        assert "\nAdvertisement\n" not in f"\n{it.article.text}\n"
