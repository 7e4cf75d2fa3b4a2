"""Signal families: each reads an :class:`~scorer.analysis.Analysis` and returns its findings."""
