"""The reports in a real browser (headless Chromium): no console error, no request, sorting, filtering, no-script view.

Skipped when Chromium or chromedriver is not installed (CI installs them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorer.reports import browser

from _reports import hostile_corpus

pytestmark = pytest.mark.skipif(not browser.available(), reason="chromium and chromedriver are not installed")


@pytest.fixture(scope="module")
def chrome():
    with browser.Browser() as b:
        yield b


@pytest.fixture(scope="module")
def chrome_nojs():
    with browser.Browser(javascript=False) as b:
        yield b


def _clean(visit: browser.PageVisit) -> None:
    assert visit.console_errors == [], visit.console_errors
    assert visit.requests == [], visit.requests


def test_batch_report_loads_clean_and_sorts_and_filters(chrome, seeds_batch) -> None:
    path, run = seeds_batch
    _clean(chrome.visit(path))
    assert chrome.run("return document.documentElement.classList.contains('js')"), "the page script ran (CSP hash)"
    chrome.run("document.querySelector('.articles button[data-sort=score]').click()")
    shown = chrome.run("return Array.from(document.querySelectorAll('.articles .c-score')).map(e => e.textContent)")
    expected = sorted((f"{r['score']:.2f}" for r in run.rows), reverse=True)
    assert shown == expected
    chrome.run("var b=document.querySelector('.articles input[data-filter]'); b.value='european';"
               "b.dispatchEvent(new Event('input'))")
    visible = chrome.run("return Array.from(document.querySelectorAll('.articles details.row')).filter(e => !e.hidden).length")
    assert visible == 1
    assert chrome.run("return document.querySelector('.articles .count').textContent") == "1 of 5 shown"


def test_provenance_report_loads_clean_and_sorts_by_share(chrome, seeds_provenance) -> None:
    path, report = seeds_provenance
    _clean(chrome.visit(path))
    chrome.run("document.querySelector('.pairs button[data-sort=share]').click()")
    shares = chrome.run("return Array.from(document.querySelectorAll('.pairs details.row')).map(e => +e.dataset.share)")
    assert shares == sorted(shares, reverse=True) and len(shares) == len(report.pairs)
    assert chrome.run("return document.querySelectorAll('.cluster svg').length") == len(report.clusters)


def test_without_script_everything_is_still_there(chrome_nojs, seeds_batch, seeds_provenance) -> None:
    for path, count in ((seeds_batch[0], 5), (seeds_provenance[0], len(seeds_provenance[1].pairs))):
        _clean(chrome_nojs.visit(path))
        assert not chrome_nojs.run("return document.documentElement.classList.contains('js')")
        assert chrome_nojs.run("return document.querySelectorAll('details.row').length") == count
        chrome_nojs.run("document.querySelectorAll('details.row').forEach(d => d.open = true)")
        assert chrome_nojs.run("return Array.from(document.querySelectorAll('details.row .detail'))"
                               ".every(d => d.getBoundingClientRect().height > 0)")


def test_hostile_reports_stay_inert(chrome, tmp_path: Path) -> None:
    import scorer
    from scorer.batch import score_corpus
    from scorer.provenance import find_reuse
    from scorer.reports.provenance import provenance_page

    corpus = hostile_corpus(tmp_path / "hostile.jsonl")
    score_corpus(corpus, tmp_path / "batch.html", reuse=True)
    articles = list(scorer.read_corpus(corpus))
    (tmp_path / "prov.html").write_text(provenance_page(find_reuse(articles, workers=1), {a.id: a.text for a in articles}),
                                        encoding="utf-8")
    for name in ("batch.html", "prov.html"):
        _clean(chrome.visit(tmp_path / name))
        chrome.run("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert chrome.run("return document.documentElement.getAttribute('data-xss')") is None, f"{name}: a payload ran"
        assert chrome.run("return document.querySelectorAll('body script, iframe, img, [onerror], [onload], [onfocus]')"
                          ".length") == 1, "only the report's own script"


def test_control_the_checks_see_requests_errors_and_blocked_scripts(chrome, tmp_path: Path) -> None:
    """Control: a page that fetches something and carries a script outside the policy is caught."""
    from scorer.reports.common import page

    bad = tmp_path / "bad.html"
    bad.write_text(page("bad", ['<img src="http://127.0.0.1:9/x.png">', "<script>document.title='ran'</script>"]),
                   encoding="utf-8")
    visit = chrome.visit(bad)
    assert visit.console_errors, "the blocked script and image should be reported"
    assert chrome.run("return document.title") == "bad", "the policy blocked the extra script"
    plain = tmp_path / "plain.html"
    plain.write_text('<html><body><img src="http://127.0.0.1:9/x.png"></body></html>', encoding="utf-8")
    assert chrome.visit(plain).requests == ["http://127.0.0.1:9/x.png"]
