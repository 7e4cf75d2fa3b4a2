"""scorer: how much to trust a news article, and where its text came from.

Public API::

    import scorer
    art = scorer.read("seeds/004_c5f29e39a883f2f0.txt")
    result = scorer.analyse(art)
"""

from scorer.analysis import Analysis, analyse
from scorer.article import Article, read, read_corpus
from scorer.errors import InputError, ScorerError

__all__ = ["Analysis", "Article", "InputError", "ScorerError", "analyse", "read", "read_corpus"]
__version__ = "0.1.0"
