"""Outlet-grouped evaluation of the model against its baselines (majority, length, corpus, TF-IDF, word counts).

``python -m benchmarks.evaluate --full`` is the one command behind
``docs/evaluation.md``: 3 fold seeds x 5 outlet-grouped folds on the whole
training pool, every baseline in the same run; it rewrites that file.
Without ``--full`` (the CI gate) it runs one seed, 3 folds, on a stratified
1,200-article sample, in about a minute on 2 cores, and writes nothing.
Nothing containing article text is cached.
"""

from __future__ import annotations

import sys

from benchmarks._common import require_shared, run_cli
from scorer.paths import REPO

NAME = "evaluate"
DOC = REPO / "docs" / "evaluation.md"
COMMAND = "python -m benchmarks.evaluate --full"


def measure(full: bool = False) -> dict[str, float]:
    """AUC per setting and model (and margins over length); the full run also writes docs/evaluation.md."""
    require_shared()
    from scorer import evaluate
    from scorer.report import atomic_write_text

    ev = evaluate.run(full=full, progress=lambda msg: print(msg, file=sys.stderr))
    if full:
        atomic_write_text(DOC, evaluate.to_markdown(ev, COMMAND))
        print(f"wrote {DOC}", file=sys.stderr)
    return evaluate.headline(ev)


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
