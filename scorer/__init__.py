"""scorer: how much to trust a news article, and where its text came from.

Public API::

    import scorer
    art = scorer.read("seeds/004_c5f29e39a883f2f0.txt")
    result = scorer.analyse(art)
    scored = scorer.score("seeds/004_c5f29e39a883f2f0.txt")   # probability reliable + evidence
    scorer.explain(scored)                                     # per-feature table (log-odds)
    run = scorer.score_corpus("corpus.jsonl", out="preds.jsonl")
"""

from scorer.analysis import Analysis
from scorer.article import Article, read, read_corpus
from scorer.errors import InputError, ScorerError
from scorer.pipeline import analyse

#: Model-side API, imported on first use (keeps `import scorer` light).
_LAZY = {"score": "scorer.scoring", "ScoreResult": "scorer.scoring", "explain": "scorer.explain",
         "score_corpus": "scorer.batch", "train": "scorer.model_file"}


def __getattr__(name: str):  # PEP 562 lazy attributes
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return getattr(module, "train_corpora" if name == "train" else name)
    raise AttributeError(f"module 'scorer' has no attribute {name!r}")


__all__ = ["Analysis", "Article", "InputError", "ScoreResult", "ScorerError", "analyse", "explain",
           "read", "read_corpus", "score", "score_corpus", "train"]
__version__ = "0.1.0"
