"""Evaluation harness: grouped folds never split an outlet, metrics, baselines and the report."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import StratifiedGroupKFold

from scorer import evaluate
from scorer.article import Article
from scorer.training_data import TrainingPool

GOOD = "The minister said on Tuesday, according to a statement, that the trial involved 400 patients and cost $2 million."
BAD = "You won't believe this miracle cure! Some say it may work, allegedly, insiders claim. Share if you agree!"


def synthetic_pool(n: int = 120) -> TrainingPool:
    rng = np.random.default_rng(0)
    arts, y, corpus, groups = [], [], [], []
    for i in range(n):
        good = i % 2 == 0
        filler = " ".join(f"w{k}" for k in rng.integers(0, 500, size=40 + 40 * (i % 3)))
        arts.append(Article(id=f"a{i}", text=(GOOD if good else BAD) + " " + filler, extra={"domain": f"d{i % 12}.com"}))
        y.append(int(good))
        corpus.append("fakehealth" if i < n // 2 else "fakenewsnet-v1")
        groups.append(f"d{i % 12}.com")
    corpus = np.array(corpus)
    return TrainingPool(arts, np.array(y), corpus, np.where(corpus == "fakehealth", "fakehealth", "political"),
                        np.array(groups))


def test_fold_metrics() -> None:
    m = evaluate.fold_metrics(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]))
    assert m["auc"] == pytest.approx(0.75)
    assert m["accuracy"] == pytest.approx(0.5)
    assert m["brier"] == pytest.approx(np.mean([0.01, 0.36, 0.36, 0.01]))


def test_grouped_folds_keep_each_outlet_on_one_side() -> None:
    pool = synthetic_pool()
    cv = StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=0)
    for tr, te in cv.split(np.arange(len(pool)), pool.y, pool.groups):
        assert not set(pool.groups[tr]) & set(pool.groups[te])


def test_wordcount_matrix_counts_terms_and_marks(tmp_path) -> None:
    terms = tmp_path / "t.json"
    terms.write_text('{"_about": "x", "verbs": ["said", "told"], "marks": ["\\""]}')
    m = evaluate.wordcount_matrix(['He said "yes" and she said no.', "nothing here"], terms)
    assert m.shape == (2, 2)
    assert m[0].tolist() == pytest.approx([np.log1p(2), np.log1p(2)])
    assert m[1].tolist() == [0.0, 0.0]


def test_cross_validation_runs_every_baseline_and_summarises() -> None:
    pool = synthetic_pool()
    d = evaluate.prepare(pool)
    res = evaluate.cross_validate(d, seeds=(0,), n_splits=3)
    s = evaluate.summarise(res)
    assert set(s["model"]) == set(evaluate.MODELS)
    assert set(s[s.model == "corpus"]["setting"]) == {"pooled"}  # corpus identity only where it means something
    maj = s[(s.model == "majority") & (s.setting == "pooled")].iloc[0]
    assert maj["auc"] == pytest.approx(0.5)
    model = s[(s.model == "model") & (s.setting == "pooled")].iloc[0]
    assert model["auc"] > 0.8  # the synthetic classes differ in hedging, hype and sourcing
    assert {"auc", "auc_sd", "auc_within", "accuracy", "macro_f1", "brier"} <= set(s.columns)
    # every article is predicted exactly once per (setting, model, seed)
    o = res.oof[(res.oof.setting == "pooled") & (res.oof.model == "model")]
    assert sorted(o["row"]) == list(range(len(pool)))


def test_report_and_headline() -> None:
    pool = synthetic_pool()
    ev = evaluate.run(pool, full=False, n_jobs=1, sample=len(pool))
    md = evaluate.to_markdown(ev, "python -m benchmarks.evaluate --full")
    assert "## fakehealth" in md and "## pooled" in md and "tfidf" in md and "Calibration" in md
    h = evaluate.headline(ev)
    assert "pooled.model.auc" in h and "fakehealth.model_minus_length.auc" in h


@pytest.mark.shared
def test_shared_pool_settings_are_disjoint_and_complete(shared) -> None:
    from scorer.training_data import load_pool

    pool = load_pool()
    fh = evaluate.setting_mask(pool, "fakehealth")
    pol = evaluate.setting_mask(pool, "political")
    assert fh.sum() + pol.sum() == len(pool) and not (fh & pol).any()
