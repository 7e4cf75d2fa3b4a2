"""HTML reports an analyst opens in a browser: the batch report and the provenance report.

* :mod:`scorer.reports.batch` — ``scorer batch CORPUS --out report.html``
* :mod:`scorer.reports.provenance` — ``scorer provenance CORPUS --html report.html``
* :mod:`scorer.reports.common` — page shell, Content-Security-Policy, CSS, the sorting script, escaping
* :mod:`scorer.reports.svg` — small inline SVG charts
* :mod:`scorer.reports.browser` — open a report in headless Chromium (tests, benchmark, screenshots)
"""
