"""explain(): value, exact contribution (log-odds) and evidence spans per feature."""

from __future__ import annotations

import math

import pytest

from scorer import explain, score


def test_table_columns_unit_and_order(seeds) -> None:
    r = score(seeds[0])
    t = explain(r)
    assert list(t.columns) == ["feature", "group", "value", "unit", "contribution", "evidence", "meaning"]
    assert t.attrs["contribution_unit"] == "log-odds"
    assert set(t["feature"]) == set(r.features)
    used = t.dropna(subset=["contribution"])
    mags = used["contribution"].abs().tolist()
    assert mags == sorted(mags, reverse=True)
    assert r.explanation.equals(t)


def test_contributions_sum_to_log_odds(seeds) -> None:
    r = score(seeds[3])
    t = explain(r)
    total = t["contribution"].fillna(0).sum() + r.intercept
    assert total == pytest.approx(math.log(r.score / (1 - r.score)), abs=1e-9)


def test_evidence_offsets_point_into_the_text(seeds) -> None:
    checked = 0
    for path in seeds:
        r = score(path)
        for items in explain(r)["evidence"]:
            for e in items:
                if e["start"] == e["end"]:
                    # A point: a statement found in furniture the cleaner removed, quoted from there.
                    assert e["text"].strip()
                    continue
                span_text = " ".join(r.analysis.text[e["start"]:e["end"]].split())
                assert span_text.startswith(e["text"].rstrip("…")[:50])
                checked += 1
    assert checked > 0


def test_max_evidence_caps_items(seeds) -> None:
    r = score(seeds[0])
    assert all(len(items) <= 1 for items in explain(r, max_evidence=1)["evidence"])
