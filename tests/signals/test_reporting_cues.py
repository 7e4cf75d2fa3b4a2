"""Reporting and style cue families: the fast search finds exactly what a plain search finds."""

from __future__ import annotations

from scorer.signals import reporting_cues

_TEXT = ("The $1.2 million study, funded by Acme, was not involved in the trial. However, you said "
         "it costs 40 percent more!! Is it a breakthrough? We told them on Monday, Jan. 5. I'm sure. ") * 3


def _plain(text: str) -> dict[str, list[tuple[int, int, str]]]:
    return {name: [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
            for name, rx in reporting_cues._cue_patterns().items()}


def test_fast_cue_search_equals_plain_search(seeds) -> None:
    texts = [_TEXT, _TEXT.replace("s", "\u017f"), _TEXT.upper(), ""] + [p.read_text(encoding="utf-8") for p in seeds]
    for text in texts:
        assert reporting_cues.cue_matches.__wrapped__(text) == _plain(text)
