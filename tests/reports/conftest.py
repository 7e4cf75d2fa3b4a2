"""Reports built once per test session (the seeds' batch and provenance reports); makes ``_reports`` importable.

pytest runs in importlib mode, so the helper module next to the tests is put on ``sys.path`` here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from _reports import SEEDS, seed_labels  # noqa: E402


@pytest.fixture(scope="session")
def seeds_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """``scorer batch seeds --labels ... --reuse --out report.html``: (report path, the run)."""
    from scorer.batch import score_corpus

    tmp = tmp_path_factory.mktemp("seeds_batch")
    out = tmp / "report.html"
    run = score_corpus(SEEDS, out, labels=seed_labels(tmp / "labels.csv"), reuse=True)
    return out, run


@pytest.fixture(scope="session")
def seeds_provenance(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The provenance report of the seeds: (report path, the ReuseReport)."""
    import scorer
    from scorer.provenance import find_reuse
    from scorer.reports.provenance import provenance_page as html_report

    tmp = tmp_path_factory.mktemp("seeds_prov")
    articles = list(scorer.read_corpus(SEEDS))
    report = find_reuse(articles, workers=1)
    out = tmp / "provenance.html"
    out.write_text(html_report(report, {a.id: a.text for a in articles}), encoding="utf-8")
    return out, report
