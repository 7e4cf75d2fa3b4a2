"""Cheap prefilters for families of regexes: where a pattern can start, read from its source.

A family of patterns is searched only where one of the literal words its
matches must start with occurs (reporting cues, newsgathering anchors),
instead of at every character; that finds exactly what a plain search finds.
``str.lower`` and the regex engine's IGNORECASE agree on every character but
:data:`CASE_TWINS`, so a text holding one of those is searched plainly.
"""

from __future__ import annotations

#: Characters the regex engine's IGNORECASE matches with an ASCII letter although ``str.lower`` does not turn
#: them into that letter (dotless i, long s, dotted capital I, Kelvin sign); a test checks the list against the engine.
CASE_TWINS = "\u0131\u017f\u0130\u212a"
_META = frozenset("\\.^$*+?{}[]()|")


def literal_run(pattern: str) -> str:
    """The literal characters ``pattern`` starts with ("costs?" -> "cost", "\\$\\s?" -> "$")."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            c, step = pattern[i + 1], 2  # an escaped symbol stands for itself
        elif c in _META:
            break
        else:
            step = 1
        if pattern[i + step:i + step + 1] in ("?", "*", "{"):
            break  # an optional character is not a sure start
        out.append(c)
        i += step
    return "".join(out)


def literal_starts(pattern: str) -> tuple[str, ...] | None:
    """Lower-case words one of which starts every match of ``pattern``, or None when none is plain to see.

    Reads a leading ``\\b``, then a literal run or a group of literal
    alternatives (``(?:more|further) ...``); anything else gives None.
    """
    q = pattern[2:] if pattern.startswith("\\b") else pattern
    if q.startswith("(?:"):
        close = q.find(")")
        body = q[3:close]
        if close < 0 or "(" in body or q[close + 1:close + 2] in ("?", "*", "{"):
            return None
        starts = tuple(literal_run(alt).lower() for alt in body.split("|"))
    else:
        starts = (literal_run(q).lower(),)
    return starts if all(starts) else None
