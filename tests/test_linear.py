"""The exported linear parameters: same scores as scikit-learn, checked files, refused bad values."""

from __future__ import annotations

import copy
import json
import shutil
from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from scorer import linear
from scorer.pipeline import analyse
from scorer.article import read
from scorer.errors import InputError
from scorer.features import features_of
from scorer.linear import DEFAULT_MODEL
from scorer.model import RoutedModel, heads
from scorer.model_file import load, save
from scorer.scoring import score, score_features

TOL = 1e-9


def _reference(model: RoutedModel, analysis) -> tuple[float, dict[str, float], str]:
    """Probability, contributions and domain computed by scikit-learn itself (transform, scaler, classifier)."""
    domain = model.route(analysis.text)
    pipe = model.heads[domain]
    prob = float(model.predict_proba([analysis])[0, 1])
    z = pipe[:-1].transform([analysis])[0]  # features, clipped, scaled: the classifier's input
    coef = pipe.named_steps["classify"].coef_[0]
    names = list(pipe.named_steps["features"].get_feature_names_out())
    return prob, dict(zip(names, coef * z)), domain


def _assert_agree(fast: linear.LinearModel, model: RoutedModel, analysis) -> str:
    prob, contrib, domain = _reference(model, analysis)
    got = fast.score(features_of(analysis), analysis.text)
    assert got.domain == domain
    assert abs(got.probability - prob) <= TOL
    assert set(got.contributions) == set(contrib)
    assert max(abs(got.contributions[n] - c) for n, c in contrib.items()) <= TOL
    return domain


@pytest.fixture(scope="module")
def shipped() -> tuple[linear.LinearModel, RoutedModel]:
    fast = linear.load()
    assert fast is not None, "the shipped model has no exported parameters"
    return fast, load()[0]


def test_shipped_export_agrees_with_scikit_learn_on_every_seed(seeds, shipped) -> None:
    fast, model = shipped
    for path in seeds:
        _assert_agree(fast, model, analyse(read(path)))


@pytest.mark.shared
def test_shipped_export_agrees_on_200_shared_articles(shared, shipped) -> None:
    fast, model = shipped
    texts = []
    for corpus in ("fakehealth", "misinfotext-sfu", "fakenewsnet-v1", "articlecomparisons-helsinki"):
        with open(shared / "data" / "corpora" / corpus / "articles.jsonl", encoding="utf-8") as fh:
            recs = (json.loads(line) for line in fh if line.strip())
            texts += list(islice((r["text"] for r in recs if isinstance(r.get("text"), str) and r["text"].strip()), 50))
    assert len(texts) == 200
    domains = {_assert_agree(fast, model, analyse(t)) for t in texts}
    assert domains == set(model.heads)  # every set of weights the model has is exercised


def test_committed_export_is_the_one_the_shipped_model_gives(tmp_path: Path) -> None:
    model, _ = load()
    copy_path = tmp_path / DEFAULT_MODEL.name
    shutil.copy(DEFAULT_MODEL, copy_path)
    written = linear.write_export(linear.prepare_export(model), copy_path)
    assert written.read_bytes() == linear.params_path(DEFAULT_MODEL).read_bytes()


def test_a_fitted_model_scores_like_its_export(seeds, shipped) -> None:
    _, model = shipped
    analysis = analyse(read(seeds[0]))
    via_fitted = score_features("a", features_of(analysis), model, analysis=analysis)
    via_file = score(analysis)
    assert via_fitted.score == pytest.approx(via_file.score, abs=TOL)
    assert via_fitted.contributions == pytest.approx(via_file.contributions, abs=TOL)


def _saved_copy(tmp_path: Path) -> Path:
    """The shipped model saved again under another name (skops, export and two-line checksum file)."""
    model, meta = load()
    return save(model, tmp_path / "m.skops", meta)


def test_save_writes_both_files_and_lists_both_in_the_checksum_file(tmp_path: Path) -> None:
    path = _saved_copy(tmp_path)
    lines = linear.read_checksums(linear.checksum_path(path))
    assert [name for _, name in lines] == ["m.skops", "m.linear.json"]
    assert lines[0][0] == linear.sha256_of(path) and lines[1][0] == linear.sha256_of(tmp_path / "m.linear.json")
    assert json.loads((tmp_path / "m.linear.json").read_text())["model_sha256"] == lines[0][0]
    assert isinstance(linear.load(path), linear.LinearModel)
    assert score("Officials said on Monday the bridge would reopen.", model=path).score == \
        pytest.approx(score("Officials said on Monday the bridge would reopen.").score, abs=TOL)


def test_a_model_file_without_export_is_scored_with_scikit_learn(tmp_path: Path) -> None:
    path = _saved_copy(tmp_path)
    (tmp_path / "m.linear.json").unlink()
    linear.write_checksums(path, [])  # an older model file: one checksum line
    assert linear.load(path) is None
    text = "Officials said on Monday the bridge would reopen."
    assert score(text, model=path).score == pytest.approx(score(text).score, abs=TOL)


def _rewrite_export(path: Path, change) -> Path:
    """Change the export beside ``path`` and vouch for it again (a crafted but checksummed file)."""
    target = linear.params_path(path)
    data = json.loads(target.read_text())
    change(data)
    target.write_text(json.dumps(data))
    linear.write_checksums(path, [target])
    return target


def test_tampered_or_foreign_exports_are_refused(tmp_path: Path) -> None:
    path = _saved_copy(tmp_path)
    target = linear.params_path(path)
    target.write_text(target.read_text().replace("0.", "1.", 1))  # checksum no longer matches
    with pytest.raises(InputError, match="do not match"):
        linear.load(path)
    _rewrite_export(path, lambda d: d.update(model_sha256="0" * 64))  # vouched for, but not this model's
    with pytest.raises(InputError, match="not those of m.skops"):
        linear.load(path)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["heads"]["general"].update(coef=d["heads"]["general"]["coef"][:3]), "general coefficients has 3 values"),
    (lambda d: d["heads"]["general"].update(coef=[float("nan")] * len(d["heads"]["general"]["coef"])), "non-finite"),
    (lambda d: d["heads"]["general"]["mean"].__setitem__(0, float("inf")), "general means holds non-finite"),
    (lambda d: d["heads"]["general"]["scale"].__setitem__(2, 0.0), "not positive"),
    (lambda d: d["heads"]["general"].update(intercept="1"), "intercept"),
    (lambda d: d["heads"].pop("general"), "no general weights"),
    (lambda d: d["heads"]["general"]["features"].__setitem__(0, "made_up_feature"), "does not compute"),
    (lambda d: d.update(rule={"domain": "health", "patterns": ["(a+)+$"], "min_per_100_words": 1.0}),
     "not plain words"),
    (lambda d: d.update(format="scorer-linear/99"), "not exported scorer model parameters"),
])
def test_crafted_exports_with_bad_values_are_refused_in_one_line(tmp_path: Path, change, message) -> None:
    path = _saved_copy(tmp_path)
    target = _rewrite_export(path, change)
    with pytest.raises(InputError, match=message) as info:
        linear.load(path)
    assert "\n" not in str(info.value) and str(info.value).startswith(str(target))


def _write_skops(model, path: Path) -> Path:
    """A model file written without :func:`scorer.model_file.save`'s checks, with a matching checksum."""
    import skops.io as sio

    from scorer.model_file import FORMAT, _deterministic_zip

    path.write_bytes(_deterministic_zip(sio.dumps({"format": FORMAT, "pipeline": model, "metadata": {}})))
    linear.write_checksums(path, [])
    return path


def _crafted(change) -> RoutedModel:
    model = copy.deepcopy(load()[0])
    change(model.heads["general"].named_steps["classify"])
    return model


@pytest.mark.parametrize("change, message", [
    (lambda lr: setattr(lr, "coef_", lr.coef_[:, :3]), r"coef_ has shape \(1, 3\)"),
    (lambda lr: setattr(lr, "coef_", np.full_like(lr.coef_, np.nan)), "non-finite"),
    (lambda lr: setattr(lr, "intercept_", np.array([np.inf])), "non-finite"),
])
def test_crafted_skops_files_with_bad_values_are_refused_in_one_line(tmp_path: Path, change, message) -> None:
    model = _crafted(change)
    path = _write_skops(model, tmp_path / "bad.skops")
    with pytest.raises(InputError, match=message) as info:
        load(path)
    assert "invalid values" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ValueError, match="invalid values"):
        save(model, tmp_path / "not_written.skops")
    assert not (tmp_path / "not_written.skops").exists()


def test_cli_refuses_a_crafted_model_with_one_line(tmp_path: Path, seeds) -> None:
    from click.testing import CliRunner

    from scorer.cli import main

    path = _write_skops(_crafted(lambda lr: setattr(lr, "coef_", lr.coef_[:, :3])), tmp_path / "bad.skops")
    for args in (["score", "--model", str(path), str(seeds[0])],
                 ["batch", str(seeds[0].parent), "--model", str(path), "--no-progress"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 2, res.output
        assert res.stderr.count("\n") == 1 and "invalid values" in res.stderr and "Traceback" not in res.stderr


def test_a_pipeline_that_is_not_linear_gets_no_export() -> None:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline

    model = load()[0]
    pipe = heads(model)["general"]
    other = Pipeline([pipe.steps[0], pipe.steps[1], ("classify", RandomForestClassifier())])
    assert linear.params_of(other) is None and linear.prepare_export(other) is None


def test_an_export_that_misses_a_step_is_never_written(monkeypatch) -> None:
    model = load()[0]
    original = linear.head_params

    def without_clipping(pipe):
        p = original(pipe)
        return dict(p, upper=None)

    monkeypatch.setattr(linear, "head_params", without_clipping)
    with pytest.raises(ValueError, match="differ from the fitted model"):
        linear.prepare_export(model)
