"""Transfer evaluation pieces: weights, sign flips, bootstrap intervals, outlet-level rank correlation."""

from __future__ import annotations

import numpy as np

from scorer.transfer import (EvalSet, cluster_bootstrap, concat, group_balanced_weights, outlet_rho, sign_flips,
                             training_sets, wire_origin, _auc)


def test_group_balanced_weights_keep_each_cell_total_and_shrink_big_outlets() -> None:
    y = np.array([1, 1, 1, 1, 0, 0])
    corpus = np.array(["a"] * 6)
    groups = np.array(["big", "big", "big", "small", "x", "y"])
    w = group_balanced_weights(y, corpus, groups)
    from scorer.training_data import balanced_weights

    base = balanced_weights(y, corpus)
    assert np.isclose(w[y == 1].sum(), base[y == 1].sum()) and np.isclose(w[y == 0].sum(), base[y == 0].sum())
    assert w[3] > w[0]  # an article of a one-article outlet outweighs one of a three-article outlet
    assert np.isclose(w[:3].sum() / w[3], np.sqrt(3))


def test_sign_flips_finds_a_feature_that_reverses_between_corpora() -> None:
    rng = np.random.default_rng(0)
    n = 400
    y = np.tile([0, 1], n)
    corpus = np.array(["a"] * n + ["b"] * n)
    steady = y + rng.normal(0, 1, 2 * n)
    flip = np.where(corpus == "a", y, -y) + rng.normal(0, 1, 2 * n)
    X = np.c_[steady, flip]
    assert sign_flips(X, y, corpus).tolist() == [False, True]
    assert not sign_flips(X[:n], y[:n], corpus[:n]).any()  # one corpus: nothing to compare


def test_cluster_bootstrap_interval_brackets_the_estimate_and_widens_with_clustered_data() -> None:
    rng = np.random.default_rng(1)
    cluster = np.repeat(np.arange(8), 50)
    y = (rng.uniform(0, 1, 400) < np.repeat(np.linspace(0.2, 0.8, 8), 50)).astype(int)
    p = y * 0.3 + np.repeat(rng.normal(0, 0.5, 8), 50) + rng.uniform(0, 1, 400)
    est = _auc(y, p)
    lo, hi = cluster_bootstrap(y, p, np.arange(400), _auc, n=300)
    assert lo < est < hi
    lo2, hi2 = cluster_bootstrap(y, p, cluster, _auc, n=300)
    assert hi2 - lo2 > hi - lo


def test_auc_ignores_articles_between_the_rating_cut_offs() -> None:
    y = np.array([1, 0, -1, -1])
    assert _auc(y, np.array([0.9, 0.1, 0.0, 1.0])) == 1.0


def test_outlet_rho_uses_outlets_with_three_articles_only() -> None:
    outlet = np.array(["a"] * 3 + ["b"] * 3 + ["c"] * 3 + ["d"])
    rating = np.array([0.1] * 3 + [0.5] * 3 + [0.9] * 3 + [0.0])
    s = EvalSet("h", np.zeros(10), outlet, outlet, outlet, [""] * 10, np.zeros((10, 1)), ["f"], rating=rating,
                outlet=outlet)
    p = np.array([0.2] * 3 + [0.4] * 3 + [0.6] * 3 + [0.99])  # the one-article outlet would break the order
    assert outlet_rho(s, p) == 1.0


def test_held_out_corpus_is_never_trained_on_and_perezrosas_never_is() -> None:
    assert training_sets("fakehealth") == ("political",)
    assert training_sets("political") == ("fakehealth",)
    assert set(training_sets("perezrosas2018")) == set(training_sets("helsinki")) == {"fakehealth", "political"}


def test_concat_stacks_rows() -> None:
    a = EvalSet("a", np.array([1]), np.array(["g"]), np.array(["a"]), np.array(["g"]), ["x"], np.ones((1, 2)), ["f", "g"])
    b = EvalSet("b", np.array([0]), np.array(["h"]), np.array(["b"]), np.array(["h"]), ["y"], np.zeros((1, 2)), ["f", "g"])
    c = concat([a, b])
    assert c.y.tolist() == [1, 0] and c.X.shape == (2, 2) and c.texts == ["x", "y"]


def test_wire_origin_reads_bylines_datelines_and_removed_credits() -> None:
    from scorer.article import Article, Removed
    from scorer.spans import Span

    assert wire_origin(Article("1", "WASHINGTON (Reuters) - The president said on Monday..."))
    assert wire_origin(Article("2", "The president said...", removed=[Removed("byline", "By The Associated Press", Span(0, 5))]))
    assert not wire_origin(Article("3", "The president said on Monday that talks went well."))
